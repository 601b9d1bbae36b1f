/// An RFC 6901 JSON Pointer: "" names the whole document, "/spec/containers/0/name" walks object
/// members and array indices, and "~1" and "~0" spell "/" and "~" inside a token.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens, outermost first.
    public let tokens: [String]
    /// The pointer as written.
    public let description: String

    public init(parsing text: String) throws(PatchError) {
        description = text
        guard !text.isEmpty else {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw .malformed("JSON pointer must be empty or start with a \"/\": \(text)")
        }
        var tokens: [String] = []
        for escaped in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            tokens.append(try Self.unescape(escaped, in: text))
        }
        self.tokens = tokens
    }

    /// The value the pointer names in `document`; nil when the path does not exist.
    public func value(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let object):
                guard let member = object[token] else { return nil }
                current = member
            case .array(let array):
                guard let index = Self.arrayIndex(token), index < array.count else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Whether `other` points strictly inside the value this pointer names.
    func isProperPrefix(of other: JSONPointer) -> Bool {
        tokens.count < other.tokens.count && Array(other.tokens.prefix(tokens.count)) == tokens
    }

    /// The index an array token spells: decimal digits without leading zeros, as RFC 6901 requires.
    static func arrayIndex(_ token: String) -> Int? {
        guard let first = token.first, first.isASCII, first.isNumber,
              token == "0" || first != "0",
              token.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        return Int(token)
    }

    private static func unescape(_ token: Substring, in text: String) throws(PatchError) -> String {
        guard token.contains("~") else { return String(token) }
        var result = ""
        var characters = token.makeIterator()
        while let character = characters.next() {
            guard character == "~" else {
                result.append(character)
                continue
            }
            switch characters.next() {
            case "0": result.append("~")
            case "1": result.append("/")
            default: throw .malformed("JSON pointer has an invalid escape (only ~0 and ~1 are allowed): \(text)")
            }
        }
        return result
    }
}
