/// A failure to read JSON text, with the byte offset where it happened.
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public var description: String { "\(message) (at byte \(offset))" }
}

/// Parses UTF-8 JSON into `JSONValue`. Duplicate object keys keep the last value (as Go's
/// decoder does) and are reported through `duplicateKeys` so strict field validation can
/// reject them.
public struct JSONParser {
    /// Dotted paths of keys that appeared twice in one object, in document order.
    public private(set) var duplicateKeys: [String] = []
    /// Deepest nesting accepted; deeper documents are rejected instead of exhausting the stack.
    public static let maximumDepth = 512

    public init() {}

    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser()
        return try parser.parse(bytes)
    }

    public static func parse(_ string: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(string.utf8))
    }

    public mutating func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let array = Array(bytes)
        var duplicates: [String] = []
        let result: Result<JSONValue, JSONParseError> = array.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(bytes: buffer)
            do {
                reader.skipWhitespace()
                let value = try reader.readValue(depth: 0)
                reader.skipWhitespace()
                if reader.index != buffer.count {
                    throw reader.error("invalid character \(reader.describeCurrent()) after top-level value")
                }
                duplicates = reader.duplicates
                return .success(value)
            } catch let error as JSONParseError {
                return .failure(error)
            } catch {
                return .failure(JSONParseError(message: "\(error)", offset: reader.index))
            }
        }
        duplicateKeys = duplicates
        return try result.get()
    }
}
