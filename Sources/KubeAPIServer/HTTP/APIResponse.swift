import NIOHTTP1

/// What a handler answers: a status, headers and either a whole body or a stream of chunks
/// (watch). The connection layer turns it into HTTP/1.1.
public struct APIResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: Body

    public enum Body: Sendable {
        case bytes([UInt8])
        /// Writes chunks until done; cancelled when the client goes away.
        case stream(@Sendable (ResponseStreamWriter) async throws -> Void)
    }

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = HTTPHeaders(), body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ bytes: [UInt8], status: HTTPResponseStatus = .ok, contentType: String = "application/json") -> APIResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        return APIResponse(status: status, headers: headers, body: .bytes(bytes))
    }

    public static func text(_ text: String, status: HTTPResponseStatus = .ok) -> APIResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        return APIResponse(status: status, headers: headers, body: .bytes(Array(text.utf8)))
    }

    /// Adds an upstream-style warning header (`299 - "message"`).
    public mutating func addWarnings(_ warnings: [String]) {
        for warning in warnings {
            let escaped = warning.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            headers.add(name: "Warning", value: "299 - \"\(escaped)\"")
        }
    }
}

/// Sends chunks of a streamed response body.
public protocol ResponseStreamWriter: Sendable {
    func write(_ bytes: [UInt8]) async throws
}
