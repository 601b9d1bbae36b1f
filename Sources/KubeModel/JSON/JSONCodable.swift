/// A type that converts to and from `JSONValue`. Generated API types and the hand-written meta
/// types conform; decoding reports unknown fields to its context instead of failing, so the API
/// server can apply upstream's fieldValidation (Strict, Warn, Ignore) policies.
public protocol JSONCodable: Sendable {
    init(json: JSONValue, context: JSONDecodingContext) throws
    /// Decodes straight from JSON text, with the same results as `init(json:)` and, for
    /// well-formed text, the same errors (malformed text fails, possibly with a type mismatch
    /// found before the syntax error).
    /// The default reads the value into a `JSONValue` first; generated types and containers
    /// read it member by member.
    init(reader: inout JSONReader, context: JSONDecodingContext) throws
    func toJSON() -> JSONValue
}

extension JSONCodable {
    /// Decodes ignoring unknown fields.
    public init(json: JSONValue) throws {
        try self.init(json: json, context: JSONDecodingContext())
    }

    /// Decodes UTF-8 JSON bytes, ignoring unknown fields.
    public init(jsonBytes: some Collection<UInt8>) throws {
        self = try JSONReader.read(jsonBytes) { reader in
            let value = try Self(reader: &reader, context: JSONDecodingContext())
            try reader.expectEnd()
            return value
        }
    }

    public func jsonBytes() -> [UInt8] { JSONWriter.bytes(toJSON()) }
    public func jsonString() -> String { JSONWriter.string(toJSON()) }
}

/// A value had the wrong JSON type for the field it was decoded into.
public struct JSONDecodeError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String {
        path.isEmpty ? message : "\(message) (field \(path))"
    }
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

/// Carries the field path while decoding and collects the paths of fields the schema does not
/// declare. One context belongs to one decode on one thread.
public final class JSONDecodingContext {
    public private(set) var unknownFields: [String] = []
    /// Kept as keys and indices; turned into text only for an error or an unknown field.
    var path: [PathElement] = []

    enum PathElement {
        case key(String)
        case index(Int)
    }

    public init() {}

    /// The current path in upstream's notation: `spec.containers[0].name`.
    public var currentPath: String {
        var result = ""
        for element in path {
            switch element {
            case .index(let index): result += "[\(index)]"
            case .key(let key): result += result.isEmpty ? key : "." + key
            }
        }
        return result
    }

    public func unknownField(_ key: String) {
        path.append(.key(key))
        unknownFields.append(currentPath)
        path.removeLast()
    }

    public func mismatch(_ value: JSONValue, expected: String) -> JSONDecodeError {
        mismatch(found: value.typeName, expected: expected)
    }

    /// Go's wording: `cannot unmarshal string into field spec.replicas of type integer`.
    func mismatch(found typeName: String, expected: String) -> JSONDecodeError {
        JSONDecodeError(
            path: currentPath,
            message: "cannot unmarshal \(typeName) into field \(currentPath.isEmpty ? "(root)" : currentPath) of type \(expected)")
    }

    /// The members of an object, or a type-mismatch error naming the expected type.
    public func object(_ value: JSONValue, typeName: String) throws -> JSONObject {
        guard case .object(let object) = value else { throw mismatch(value, expected: typeName) }
        return object
    }

    /// Decodes the member `key` of the object being decoded.
    @inline(__always)
    public func decode<T: JSONCodable>(_ value: JSONValue, at key: String) throws -> T {
        path.append(.key(key))
        defer { path.removeLast() }
        return try T(json: value, context: self)
    }

    /// Decodes element `index` of the array being decoded.
    @inline(__always)
    func decodeElement<T: JSONCodable>(_ value: JSONValue, index: Int) throws -> T {
        path.append(.index(index))
        defer { path.removeLast() }
        return try T(json: value, context: self)
    }
}

extension JSONObject {
    /// Sets `key` when the value is present; absent optionals are omitted as Go's `omitempty` does.
    @inline(__always)
    public mutating func encode<T: JSONCodable>(_ key: String, _ value: T?) {
        if let value { self[key] = value.toJSON() }
    }

    /// Lists and maps are omitted when empty, as Go's `omitempty` does for slices and maps.
    @inline(__always)
    public mutating func encode<T: JSONCodable>(_ key: String, _ value: [T]?) {
        if let value, !value.isEmpty { self[key] = value.toJSON() }
    }

    @inline(__always)
    public mutating func encode<T: JSONCodable>(_ key: String, _ value: [String: T]?) {
        if let value, !value.isEmpty { self[key] = value.toJSON() }
    }

    /// Required fields are always written.
    @inline(__always)
    public mutating func encodeRequired<T: JSONCodable>(_ key: String, _ value: T) {
        self[key] = value.toJSON()
    }
}

// MARK: - Standard library conformances

extension String: JSONCodable {
    public init(json: JSONValue, context: JSONDecodingContext) throws {
        guard case .string(let s) = json else { throw context.mismatch(json, expected: "string") }
        self = s
    }
    public func toJSON() -> JSONValue { .string(self) }
}

extension Bool: JSONCodable {
    public init(json: JSONValue, context: JSONDecodingContext) throws {
        guard case .bool(let b) = json else { throw context.mismatch(json, expected: "boolean") }
        self = b
    }
    public func toJSON() -> JSONValue { .bool(self) }
}

extension Int: JSONCodable {
    public init(json: JSONValue, context: JSONDecodingContext) throws {
        switch json {
        case .int(let i): self = Int(i)
        case .double(let d) where d == d.rounded() && abs(d) < 9.2e18: self = Int(d)
        default: throw context.mismatch(json, expected: "integer")
        }
    }
    public func toJSON() -> JSONValue { .int(Int64(self)) }
}

extension Double: JSONCodable {
    public init(json: JSONValue, context: JSONDecodingContext) throws {
        switch json {
        case .int(let i): self = Double(i)
        case .double(let d): self = d
        default: throw context.mismatch(json, expected: "number")
        }
    }
    public func toJSON() -> JSONValue { .double(self) }
}

extension JSONValue: JSONCodable {
    public init(json: JSONValue, context: JSONDecodingContext) throws { self = json }
    public func toJSON() -> JSONValue { self }
}

extension Optional: JSONCodable where Wrapped: JSONCodable {
    public init(json: JSONValue, context: JSONDecodingContext) throws {
        if case .null = json { self = .none } else { self = .some(try Wrapped(json: json, context: context)) }
    }
    public func toJSON() -> JSONValue { self?.toJSON() ?? .null }
}

extension Array: JSONCodable where Element: JSONCodable {
    public init(json: JSONValue, context: JSONDecodingContext) throws {
        switch json {
        case .null: self = []
        case .array(let elements):
            var result: [Element] = []
            result.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                result.append(try context.decodeElement(element, index: index))
            }
            self = result
        default: throw context.mismatch(json, expected: "array")
        }
    }
    public func toJSON() -> JSONValue { .array(map { $0.toJSON() }) }
}

extension Dictionary: JSONCodable where Key == String, Value: JSONCodable {
    public init(json: JSONValue, context: JSONDecodingContext) throws {
        switch json {
        case .null: self = [:]
        case .object(let members):
            var result: [String: Value] = [:]
            result.reserveCapacity(members.count)
            for (key, value) in members { result[key] = try context.decode(value, at: key) }
            self = result
        default: throw context.mismatch(json, expected: "object")
        }
    }
    /// Keys are written sorted, as Go's encoder writes maps, so output is deterministic.
    public func toJSON() -> JSONValue {
        var object = JSONObject()
        object.reserveCapacity(count)
        for key in keys.sorted() { object[key] = self[key]!.toJSON() }
        return .object(object)
    }
}
