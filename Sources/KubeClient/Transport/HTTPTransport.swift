/// How the client reaches the API server. The HTTPS transport speaks HTTP/1.1 over TLS; an
/// in-process transport can hand requests straight to the server's router instead.
///
/// Both calls return once the response head is known. `send` buffers the whole body;
/// `stream` hands the body over as it arrives (watch), and whoever stops iterating the body
/// (or is cancelled while iterating) ends the exchange: the stream's termination must release
/// the connection or producer behind it.
public protocol HTTPTransport: Sendable {
    func send(_ request: ClientRequest) async throws -> ClientResponse
    func stream(_ request: ClientRequest) async throws -> StreamingClientResponse
}

/// One request to the API server: method, unencoded path and query, headers and body.
public struct ClientRequest: Sendable, Equatable {
    /// "GET", "POST", "PUT", "PATCH", "DELETE".
    public var method: String
    /// The path, not percent-encoded: "/api/v1/namespaces/default/pods/web-0".
    public var path: String
    /// Query parameters in order, not percent-encoded.
    public var query: [QueryItem]
    public var headers: HeaderFields
    public var body: [UInt8]

    public init(method: String, path: String, query: [QueryItem] = [], headers: HeaderFields = HeaderFields(),
                body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The request target as it goes on the wire: percent-encoded path, then `?query`.
    public var uri: String {
        var text = URIEncoding.encode(path, allowing: URIEncoding.pathCharacters)
        if !query.isEmpty {
            text += "?" + query.map {
                URIEncoding.encode($0.name, allowing: URIEncoding.queryCharacters) + "="
                    + URIEncoding.encode($0.value, allowing: URIEncoding.queryCharacters)
            }.joined(separator: "&")
        }
        return text
    }

    /// The value of query parameter `name` (the last one when repeated).
    public func queryValue(_ name: String) -> String? {
        query.last { $0.name == name }?.value
    }
}

public struct QueryItem: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A whole response.
public struct ClientResponse: Sendable {
    public var status: Int
    public var headers: HeaderFields
    public var body: [UInt8]

    public init(status: Int, headers: HeaderFields = HeaderFields(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A response whose body arrives in chunks, in order, as the server writes them.
public struct StreamingClientResponse: Sendable {
    public var status: Int
    public var headers: HeaderFields
    public var body: AsyncThrowingStream<[UInt8], any Error>

    public init(status: Int, headers: HeaderFields = HeaderFields(), body: AsyncThrowingStream<[UInt8], any Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Reads the rest of the body into one buffer (for error responses).
    public func collectBody(limit: Int = 1 << 20) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in body {
            bytes.append(contentsOf: chunk.prefix(max(0, limit - bytes.count)))
            if bytes.count >= limit { break }
        }
        return bytes
    }
}

/// HTTP header fields in order; names compare case-insensitively.
public struct HeaderFields: Sendable, Equatable, Sequence {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ fields: [(name: String, value: String)] = []) { self.fields = fields }

    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    public mutating func replaceOrAdd(_ name: String, _ value: String) {
        fields.removeAll { $0.name.lowercased() == name.lowercased() }
        fields.append((name, value))
    }

    public func first(_ name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }

    public func all(_ name: String) -> [String] {
        let lowered = name.lowercased()
        return fields.filter { $0.name.lowercased() == lowered }.map(\.value)
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (lhs: HeaderFields, rhs: HeaderFields) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// Percent-encoding for request targets.
enum URIEncoding {
    static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
    /// Path segments keep sub-delimiters, ":" and "@" (RBAC names such as "system:node").
    static let pathCharacters = unreserved.union("/!$&'()*+,;=:@".utf8)
    static let queryCharacters = unreserved

    static func encode(_ text: String, allowing allowed: Set<UInt8>) -> String {
        guard !text.utf8.allSatisfy({ allowed.contains($0) }) else { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            if allowed.contains(byte) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
