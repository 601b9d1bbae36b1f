/// Reads UTF-8 JSON text: whole values into `JSONValue` (for `JSONParser`), or token by token
/// (object keys, array elements, skipped values) so typed decoding and field lookups need not
/// build a `JSONValue` tree first. A reader borrows its bytes; it exists only inside the
/// closure that lends them (`JSONReader.read(_:_:)`).
public struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var duplicates: [String] = []
    /// Keys from the root to the value being read; joined only to report a duplicate.
    var keyPath: [String] = []
    /// Objects and arrays entered and not yet left by the token-by-token reads.
    var depth = 0
    /// Set by entering an object or array: its first member or element has no comma before it.
    var justOpened = false

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ message: String) -> JSONParseError { JSONParseError(message: message, offset: index) }

    func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        return "'\(Character(Unicode.Scalar(bytes[index])))'"
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func readValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < JSONParser.maximumDepth else { throw error("exceeded max depth") }
        guard index < bytes.count else { throw error("unexpected end of JSON input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try readObject(depth: depth)
        case UInt8(ascii: "["): return try readArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumber()
        default: throw error("invalid character \(describeCurrent()) looking for beginning of value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of JSON input") }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else { throw error("invalid character \(describeCurrent()) in literal") }
        index += count
    }

    mutating func readObject(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("invalid character \(describeCurrent()) looking for beginning of object key string")
            }
            let key = try readString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("invalid character \(describeCurrent()) after object key")
            }
            index += 1
            skipWhitespace()
            keyPath.append(key)
            let value = try readValue(depth: depth + 1)
            if object.updateValue(value, forKey: key) != nil { duplicates.append(keyPath.joined(separator: ".")) }
            keyPath.removeLast()
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of JSON input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(object) }
            throw error("invalid character \(describeCurrent()) after object key:value pair")
        }
    }

    mutating func readArray(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            array.append(try readValue(depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of JSON input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(array) }
            throw error("invalid character \(describeCurrent()) after array element")
        }
    }

    mutating func readNumber() throws(JSONParseError) -> JSONValue {
        let (start, isInteger) = try scanNumber()
        if isInteger, let value = integer(from: start) { return .int(value) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw JSONParseError(message: "invalid number \(text)", offset: start) }
        return .double(value)
    }

    /// Moves past a number; returns where it started and whether it has only digits.
    mutating func scanNumber() throws(JSONParseError) -> (start: Int, isInteger: Bool) {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else {
            throw error("invalid character \(describeCurrent()) in numeric literal")
        }
        while index < bytes.count {
            let byte = bytes[index]
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                index += 1
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            {
                isInteger = false
                index += 1
            } else {
                break
            }
        }
        return (start, isInteger)
    }

    /// The integer in bytes[start..<index] without building a String; nil on overflow.
    func integer(from start: Int) -> Int64? {
        var position = start
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        var value: Int64 = 0
        while position < index {
            let digit = Int64(bytes[position] &- UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = next
            position += 1
        }
        return value
    }

    mutating func readString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes, so the bytes between the quotes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("invalid control character in string literal") }
            index += 1
        }
        var scalars = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw error("unexpected end of JSON input") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""): scalars.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): scalars.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): scalars.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try readHex4()
                    if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count,
                        bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        let low = try readHex4()
                        if (0xDC00..<0xE000).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalars.append(contentsOf: Array("\u{FFFD}".utf8))
                            code = low
                        }
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw error("invalid character '\(Character(Unicode.Scalar(escaped)))' in string escape code")
                }
            default:
                if byte < 0x20 { throw error("invalid control character in string literal") }
                scalars.append(byte)
                index += 1
            }
        }
        throw error("unexpected end of JSON input")
    }

    mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("unexpected end of JSON input") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid character in \\u hexadecimal character escape")
            }
            code = code << 4 | digit
            index += 1
        }
        return code
    }
}

// MARK: - Token by token

extension JSONReader {
    /// The kind of JSON value, named as Go's decoder names it in type-mismatch errors.
    public enum ValueKind: String, Sendable {
        case object, array, string, number, bool, null
    }

    /// Lends a reader over `bytes` to `body`; the reader must not outlive the call.
    public static func read<Result>(_ bytes: some Collection<UInt8>, _ body: (inout JSONReader) throws -> Result) throws -> Result {
        if let result = try bytes.withContiguousStorageIfAvailable({ buffer in
            var reader = JSONReader(bytes: buffer)
            return try body(&reader)
        }) {
            return result
        }
        return try Array(bytes).withUnsafeBufferPointer { buffer in
            var reader = JSONReader(bytes: buffer)
            return try body(&reader)
        }
    }

    /// The kind of the value that comes next; nil at the end of the input or on a character
    /// that starts no value.
    public mutating func peekKind() -> ValueKind? {
        skipWhitespace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return nil
        }
    }

    /// Reads the next value whole.
    public mutating func readValue() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        return try readValue(depth: depth)
    }

    /// Consumes a `null` if one comes next.
    public mutating func consumeNull() throws(JSONParseError) -> Bool {
        guard peekKind() == .null else { return false }
        try expectLiteral("null")
        return true
    }

    /// Enters the object that comes next; read its members with `nextKey()` until it returns nil.
    public mutating func enterObject() throws(JSONParseError) {
        guard peekKind() == .object else { throw error("invalid character \(describeCurrent()) looking for beginning of object") }
        try enter()
    }

    /// Enters the array that comes next; read its elements while `nextElement()` returns true.
    public mutating func enterArray() throws(JSONParseError) {
        guard peekKind() == .array else { throw error("invalid character \(describeCurrent()) looking for beginning of array") }
        try enter()
    }

    private mutating func enter() throws(JSONParseError) {
        guard depth + 1 < JSONParser.maximumDepth else { throw error("exceeded max depth") }
        depth += 1
        index += 1
        justOpened = true
    }

    /// The key of the next member of the object being read, with the reader on its value; nil
    /// (and the object left) at its closing brace. The caller reads or skips every value.
    public mutating func nextKey() throws(JSONParseError) -> String? {
        guard try advanceToMember() else { return nil }
        let key = try readString()
        try expectColon()
        return key
    }

    /// True with the reader on the next element of the array being read; false (and the array
    /// left) at its closing bracket.
    public mutating func nextElement() throws(JSONParseError) -> Bool {
        try advance(closing: UInt8(ascii: "]"), after: "array element")
    }

    /// Moves past the next value without building it.
    public mutating func skipValue() throws(JSONParseError) {
        switch peekKind() {
        case .object:
            try enter()
            while try advanceToMember() {
                try skipString()
                try expectColon()
                try skipValue()
            }
        case .array:
            try enter()
            while try nextElement() { try skipValue() }
        case .string: try skipString()
        case .number: _ = try scanNumber()
        case .bool: try expectLiteral(bytes[index] == UInt8(ascii: "t") ? "true" : "false")
        case .null: try expectLiteral("null")
        case nil:
            guard index < bytes.count else { throw error("unexpected end of JSON input") }
            throw error("invalid character \(describeCurrent()) looking for beginning of value")
        }
    }

    /// The bytes of the next value, which the reader moves past.
    public mutating func skipValueBytes() throws(JSONParseError) -> UnsafeBufferPointer<UInt8> {
        skipWhitespace()
        let start = index
        try skipValue()
        return UnsafeBufferPointer(rebasing: bytes[start..<index])
    }

    /// Fails unless only whitespace is left.
    public mutating func expectEnd() throws(JSONParseError) {
        skipWhitespace()
        guard index == bytes.count else { throw error("invalid character \(describeCurrent()) after top-level value") }
    }

    /// True with the reader on the opening quote of the next member's key; false past the
    /// object's closing brace.
    private mutating func advanceToMember() throws(JSONParseError) -> Bool {
        guard try advance(closing: UInt8(ascii: "}"), after: "object key:value pair") else { return false }
        guard bytes[index] == UInt8(ascii: "\"") else {
            throw error("invalid character \(describeCurrent()) looking for beginning of object key string")
        }
        return true
    }

    /// Past the comma before the next member or element (none before the first): true. Past
    /// the container's closing character: false, and the container is left.
    private mutating func advance(closing: UInt8, after what: String) throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of JSON input") }
        if bytes[index] == closing {
            index += 1
            depth -= 1
            justOpened = false
            return false
        }
        if justOpened {
            justOpened = false
        } else {
            guard bytes[index] == UInt8(ascii: ",") else { throw error("invalid character \(describeCurrent()) after \(what)") }
            index += 1
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of JSON input") }
        }
        return true
    }

    private mutating func expectColon() throws(JSONParseError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
            throw error("invalid character \(describeCurrent()) after object key")
        }
        index += 1
    }

    /// Moves past a string, checking its escapes' shape but not building it.
    private mutating func skipString() throws(JSONParseError) {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return
            }
            if byte == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { break }
                if bytes[index] == UInt8(ascii: "u") {
                    index += 1
                    _ = try readHex4()
                    continue
                }
                guard "\"\\/bfnrt".utf8.contains(bytes[index]) else {
                    throw error("invalid character '\(Character(Unicode.Scalar(bytes[index])))' in string escape code")
                }
            } else if byte < 0x20 {
                throw error("invalid control character in string literal")
            }
            index += 1
        }
        throw error("unexpected end of JSON input")
    }
}
