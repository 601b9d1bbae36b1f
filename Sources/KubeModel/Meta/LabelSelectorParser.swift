/// Upstream's label selector lexer and recursive-descent parser, kept token for token so that
/// the same strings are accepted and the same messages come back.
enum LabelSelectorParser {
    enum Token: Equatable {
        case error, endOfString, closedParenthesis, comma, doesNotExist, doubleEquals, equals
        case greaterThan, identifier, `in`, lessThan, notEquals, notIn, openParenthesis
    }

    /// Literal spellings of every token except identifiers.
    static let keywords: [String: Token] = [
        ")": .closedParenthesis, ",": .comma, "!": .doesNotExist, "==": .doubleEquals, "=": .equals,
        ">": .greaterThan, "in": .in, "<": .lessThan, "!=": .notEquals, "notin": .notIn, "(": .openParenthesis,
    ]

    static let binaryOperators = ["in", "notin", "=", "==", "!=", "gt", "lt"]

    static func parse(_ text: String) throws(SelectorError) -> [LabelRequirement] {
        var lexer = Lexer(bytes: Array(text.utf8))
        var parser = Parser(items: lexer.scanAll())
        return try parser.parse()
    }

    struct Lexer {
        let bytes: [UInt8]
        var position = 0

        static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\n")
        }

        static func isSpecialSymbol(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","),
                UInt8(ascii: ">"), UInt8(ascii: "<"):
                return true
            default:
                return false
            }
        }

        /// The next byte, or 0 at the end (upstream also stops at a NUL byte).
        mutating func read() -> UInt8 {
            guard position < bytes.count else {
                position += 1
                return 0
            }
            position += 1
            return bytes[position - 1]
        }

        mutating func unread() { position -= 1 }

        mutating func scanAll() -> [(Token, String)] {
            var items: [(Token, String)] = []
            while true {
                let item = lex()
                items.append(item)
                if item.0 == .endOfString { return items }
            }
        }

        mutating func lex() -> (Token, String) {
            var byte = read()
            while Self.isWhitespace(byte) { byte = read() }
            if byte == 0 { return (.endOfString, "") }
            unread()
            return Self.isSpecialSymbol(byte) ? scanSpecialSymbol() : scanIdentifierOrKeyword()
        }

        mutating func scanIdentifierOrKeyword() -> (Token, String) {
            var buffer: [UInt8] = []
            while true {
                let byte = read()
                if byte == 0 { break }
                if Self.isSpecialSymbol(byte) || Self.isWhitespace(byte) {
                    unread()
                    break
                }
                buffer.append(byte)
            }
            let text = String(decoding: buffer, as: UTF8.self)
            return (keywords[text] ?? .identifier, text)
        }

        /// The longest run of symbols that spells a token ("!=" rather than "!").
        mutating func scanSpecialSymbol() -> (Token, String) {
            var buffer: [UInt8] = []
            var last: (Token, String)?
            while true {
                let byte = read()
                if byte == 0 { break }
                guard Self.isSpecialSymbol(byte) else {
                    unread()
                    break
                }
                buffer.append(byte)
                let text = String(decoding: buffer, as: UTF8.self)
                if let token = keywords[text] {
                    last = (token, text)
                } else if last != nil {
                    unread()
                    break
                }
            }
            guard let last else {
                return (.error, "error expected: keyword found '\(String(decoding: buffer, as: UTF8.self))'")
            }
            return last
        }
    }

    struct Parser {
        /// Whether `in` and `notin` are operators here or ordinary words (values, keys).
        enum Context { case keyAndOperator, values }

        let items: [(Token, String)]
        var position = 0

        init(items: [(Token, String)]) { self.items = items }

        func lookahead(_ context: Context) -> (Token, String) {
            Self.adjust(items[position], context)
        }

        mutating func consume(_ context: Context) -> (Token, String) {
            position += 1
            return Self.adjust(items[position - 1], context)
        }

        static func adjust(_ item: (Token, String), _ context: Context) -> (Token, String) {
            if context == .values && (item.0 == .in || item.0 == .notIn) { return (.identifier, item.1) }
            return item
        }

        static func failure(_ message: String) -> SelectorError { SelectorError(message) }

        mutating func parse() throws(SelectorError) -> [LabelRequirement] {
            var requirements: [LabelRequirement] = []
            while true {
                let (token, literal) = lookahead(.values)
                switch token {
                case .identifier, .doesNotExist:
                    do {
                        requirements.append(try parseRequirement())
                    } catch {
                        throw SelectorError("unable to parse requirement: " + error.message, fieldErrors: error.fieldErrors)
                    }
                    let (next, nextLiteral) = consume(.values)
                    switch next {
                    case .endOfString:
                        return requirements
                    case .comma:
                        let (following, followingLiteral) = lookahead(.values)
                        if following != .identifier && following != .doesNotExist {
                            throw Self.failure("found '\(followingLiteral)', expected: identifier after ','")
                        }
                    default:
                        throw Self.failure("found '\(nextLiteral)', expected: ',' or 'end of string'")
                    }
                case .endOfString:
                    return requirements
                default:
                    throw Self.failure("found '\(literal)', expected: !, identifier, or 'end of string'")
                }
            }
        }

        mutating func parseRequirement() throws(SelectorError) -> LabelRequirement {
            let (key, inferred) = try parseKeyAndInferOperator()
            if let inferred {
                return try makeRequirement(key: key, operator: inferred, values: [])
            }
            let selectorOperator = try parseOperator()
            let values: [String]
            switch selectorOperator {
            case .in, .notIn: values = try parseValues()
            default: values = try parseExactValue()
            }
            return try makeRequirement(key: key, operator: selectorOperator, values: values)
        }

        /// Upstream builds requirements through NewRequirement with the parser's (absent) path.
        func makeRequirement(key: String, operator: LabelRequirement.Operator, values: [String]) throws(SelectorError)
            -> LabelRequirement
        {
            let errors = LabelRequirement.validate(key: key, operator: `operator`, values: values, path: .root)
            if let message = ValidationMessages.aggregate(errors.map(\.description)) {
                throw SelectorError(message, fieldErrors: errors)
            }
            return LabelRequirement(unchecked: key, operator: `operator`, values: values)
        }

        /// The key, and `exists` or `!` when no binary operator follows.
        mutating func parseKeyAndInferOperator() throws(SelectorError) -> (String, LabelRequirement.Operator?) {
            var inferred: LabelRequirement.Operator?
            var (token, literal) = consume(.values)
            if token == .doesNotExist {
                inferred = .doesNotExist
                (token, literal) = consume(.values)
            }
            guard token == .identifier else { throw Self.failure("found '\(literal)', expected: identifier") }
            let keyErrors = Validation.isQualifiedName(literal)
            if !keyErrors.isEmpty {
                // Upstream validates the key against a nil field path, which prints as "<nil>".
                var error = FieldError.invalid(.root, .string(literal), keyErrors.joined(separator: "; "))
                error.field = "<nil>"
                throw SelectorError(error.description, fieldErrors: [error])
            }
            let (next, _) = lookahead(.values)
            if (next == .endOfString || next == .comma) && inferred == nil { inferred = .exists }
            return (literal, inferred)
        }

        mutating func parseOperator() throws(SelectorError) -> LabelRequirement.Operator {
            let (token, literal) = consume(.keyAndOperator)
            switch token {
            case .in: return .in
            case .equals: return .equals
            case .doubleEquals: return .doubleEquals
            case .greaterThan: return .greaterThan
            case .lessThan: return .lessThan
            case .notIn: return .notIn
            case .notEquals: return .notEquals
            default:
                throw Self.failure(
                    "found '\(literal)', expected: \(LabelSelectorParser.binaryOperators.joined(separator: ", "))")
            }
        }

        /// `( a, b )`; values are a set, returned sorted as upstream's sets.String.List() does.
        mutating func parseValues() throws(SelectorError) -> [String] {
            let (token, literal) = consume(.values)
            guard token == .openParenthesis else { throw Self.failure("found '\(literal)' expected: '('") }
            let (next, nextLiteral) = lookahead(.values)
            switch next {
            case .identifier, .comma:
                let values = try parseIdentifierList()
                if consume(.values).0 != .closedParenthesis {
                    // Upstream reports the token seen before the list here, not the offending one.
                    throw Self.failure("found '\(nextLiteral)', expected: ')'")
                }
                return values
            case .closedParenthesis:
                _ = consume(.values)
                return [""]
            default:
                throw Self.failure("found '\(nextLiteral)', expected: ',', ')' or identifier")
            }
        }

        mutating func parseIdentifierList() throws(SelectorError) -> [String] {
            var values = Set<String>()
            while true {
                let (token, literal) = consume(.values)
                switch token {
                case .identifier:
                    values.insert(literal)
                    let (next, nextLiteral) = lookahead(.values)
                    switch next {
                    case .comma: continue
                    case .closedParenthesis: return values.sorted(by: Self.byteOrder)
                    default: throw Self.failure("found '\(nextLiteral)', expected: ',' or ')'")
                    }
                case .comma:
                    // Empty values: "(,a", "a,)" and "a,,b" each add "".
                    if values.isEmpty { values.insert("") }
                    let (next, _) = lookahead(.values)
                    if next == .closedParenthesis {
                        values.insert("")
                        return values.sorted(by: Self.byteOrder)
                    }
                    if next == .comma {
                        _ = consume(.values)
                        values.insert("")
                    }
                default:
                    throw Self.failure("found '\(literal)', expected: ',', or identifier")
                }
            }
        }

        /// The single value after =, ==, !=, > or <; an absent one is "".
        mutating func parseExactValue() throws(SelectorError) -> [String] {
            let (next, _) = lookahead(.values)
            if next == .endOfString || next == .comma { return [""] }
            let (token, literal) = consume(.values)
            guard token == .identifier else { throw Self.failure("found '\(literal)', expected: identifier") }
            return [literal]
        }

        /// Go sorts strings by bytes.
        static func byteOrder(_ lhs: String, _ rhs: String) -> Bool {
            lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
        }
    }
}
