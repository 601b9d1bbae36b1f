/// Decoding straight from JSON text (`JSONCodable.init(reader:context:)`): the containers and
/// the helpers generated types call. Results and errors match decoding from `JSONValue`.

extension JSONCodable {
    /// Scalars and hand-written types: read the value, then decode it as a `JSONValue`. Cheap
    /// for scalars, which are all such types hold.
    public init(reader: inout JSONReader, context: JSONDecodingContext) throws {
        try self.init(json: try reader.readValue(), context: context)
    }
}

extension JSONDecodingContext {
    /// Decodes the value of member `key` of the object being read.
    @inline(__always)
    public func decode<T: JSONCodable>(_ reader: inout JSONReader, at key: String) throws -> T {
        path.append(.key(key))
        defer { path.removeLast() }
        return try T(reader: &reader, context: self)
    }

    @inline(__always)
    func decodeElement<T: JSONCodable>(_ reader: inout JSONReader, index: Int) throws -> T {
        path.append(.index(index))
        defer { path.removeLast() }
        return try T(reader: &reader, context: self)
    }

    /// Enters the object that comes next, or fails as `object(_:typeName:)` does.
    public func enterObject(_ reader: inout JSONReader, typeName: String) throws {
        guard reader.peekKind() == .object else { throw mismatch(&reader, expected: typeName) }
        try reader.enterObject()
    }

    /// Records an unknown member and moves past its value.
    public func skipUnknownField(_ reader: inout JSONReader, key: String) throws {
        unknownField(key)
        try reader.skipValue()
    }

    /// The type-mismatch error for the value that comes next.
    func mismatch(_ reader: inout JSONReader, expected: String) -> any Error {
        guard let kind = reader.peekKind() else {
            return reader.error(reader.index < reader.bytes.count
                ? "invalid character \(reader.describeCurrent()) looking for beginning of value" : "unexpected end of JSON input")
        }
        return mismatch(found: kind.rawValue, expected: expected)
    }
}

extension JSONValue {
    public init(reader: inout JSONReader, context: JSONDecodingContext) throws {
        self = try reader.readValue()
    }
}

extension Optional where Wrapped: JSONCodable {
    public init(reader: inout JSONReader, context: JSONDecodingContext) throws {
        self = try reader.consumeNull() ? .none : .some(try Wrapped(reader: &reader, context: context))
    }
}

extension Array where Element: JSONCodable {
    public init(reader: inout JSONReader, context: JSONDecodingContext) throws {
        if try reader.consumeNull() {
            self = []
            return
        }
        guard reader.peekKind() == .array else { throw context.mismatch(&reader, expected: "array") }
        try reader.enterArray()
        var result: [Element] = []
        while try reader.nextElement() {
            result.append(try context.decodeElement(&reader, index: result.count))
        }
        self = result
    }
}

extension Dictionary where Key == String, Value: JSONCodable {
    public init(reader: inout JSONReader, context: JSONDecodingContext) throws {
        if try reader.consumeNull() {
            self = [:]
            return
        }
        guard reader.peekKind() == .object else { throw context.mismatch(&reader, expected: "object") }
        try reader.enterObject()
        var result: [String: Value] = [:]
        while let key = try reader.nextKey() {
            result[key] = try context.decode(&reader, at: key)
        }
        self = result
    }
}
