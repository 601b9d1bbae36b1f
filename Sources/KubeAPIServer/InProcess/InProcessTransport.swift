import KubeClient
import NIOHTTP1

/// The client transport of the server's own components (scheduler, controllers, local node):
/// requests go straight to the router as `user`, without TLS or sockets, through the same
/// authentication-free path, admission, validation and storage as any other client's.
public struct InProcessTransport: HTTPTransport {
    let router: APIRouter
    let user: UserInfo

    public init(router: APIRouter, user: UserInfo) {
        self.router = router
        self.user = user
    }

    public func send(_ request: ClientRequest) async throws -> ClientResponse {
        let response = try await stream(request)
        var body: [UInt8] = []
        for try await chunk in response.body { body += chunk }
        return ClientResponse(status: response.status, headers: response.headers, body: body)
    }

    public func stream(_ request: ClientRequest) async throws -> StreamingClientResponse {
        var headers = HTTPHeaders()
        for (name, value) in request.headers { headers.add(name: name, value: value) }
        let method = HTTPMethod(rawValue: request.method)
        let response = await router.handle(
            APIRequest(method: method, uri: request.uri, headers: headers, body: request.body), authenticatedAs: user)
        var responseHeaders = HeaderFields()
        for header in response.headers { responseHeaders.add(header.name, header.value) }
        let status = Int(response.status.code)
        switch response.body {
        case .bytes(let bytes):
            let body = AsyncThrowingStream<[UInt8], any Error> { continuation in
                continuation.yield(bytes)
                continuation.finish()
            }
            return StreamingClientResponse(status: status, headers: responseHeaders, body: body)
        case .stream(let produce):
            return StreamingClientResponse(status: status, headers: responseHeaders, body: Self.run(produce))
        }
    }

    /// Runs a streamed response's producer for as long as the reader keeps the stream: the
    /// producer's task belongs to the stream and is cancelled when the stream ends.
    private static func run(_ produce: @escaping @Sendable (ResponseStreamWriter) async throws -> Void)
        -> AsyncThrowingStream<[UInt8], any Error> {
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let producer = Task {
            do {
                try await produce(ContinuationStreamWriter(continuation: continuation))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in producer.cancel() }
        return stream
    }
}

/// Hands streamed chunks to the in-process reader.
struct ContinuationStreamWriter: ResponseStreamWriter {
    let continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation

    func write(_ bytes: [UInt8]) async throws {
        try Task.checkCancellation()
        if case .terminated = continuation.yield(bytes) { throw CancellationError() }
    }
}
