import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// One HTTP/1.1 connection: collects a request's head and body, runs the API handler in a task
/// that prefers this connection's event loop, and writes the response. NIO's pipelining helper
/// (configured in front of this handler) holds back the next request until the response ends,
/// so at most one request per connection is in flight. Closing the connection cancels it.
final class HTTPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let handler: HTTPServer.Handler
    private let maximumBodyBytes: Int
    private let executor: EventLoopTaskExecutor
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var bodyTooLarge = false
    private var connectionInfo: HTTPServer.ConnectionInfo?
    private var inFlight: Task<Void, Never>?

    init(handler: @escaping HTTPServer.Handler, maximumBodyBytes: Int, eventLoop: EventLoop) {
        self.handler = handler
        self.maximumBodyBytes = maximumBodyBytes
        self.executor = EventLoopTaskExecutor(eventLoop)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = nil
            bodyTooLarge = false
            if let length = requestHead.headers.first(name: "content-length").flatMap(Int.init), length > maximumBodyBytes {
                bodyTooLarge = true
            }
        case .body(var chunk):
            guard !bodyTooLarge else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maximumBodyBytes {
                bodyTooLarge = true
                body = nil
            } else if body == nil {
                body = chunk
            } else {
                body!.writeBuffer(&chunk)
            }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            respond(to: requestHead, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        inFlight?.cancel()
        inFlight = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func respond(to requestHead: HTTPRequestHead, context: ChannelHandlerContext) {
        let channel = context.channel
        if bodyTooLarge {
            let response = APIError.requestEntityTooLarge(limit: maximumBodyBytes).response()
            Self.write(response, for: requestHead, to: channel, keepAlive: false)
            return
        }
        if connectionInfo == nil { connectionInfo = Self.connectionInfo(context) }
        let request = APIRequest(method: requestHead.method, uri: requestHead.uri, headers: requestHead.headers,
                                 body: body.map { Array($0.readableBytesView) } ?? [])
        body = nil
        inFlight = Self.start(request, head: requestHead, info: connectionInfo!, handler: handler, on: executor, channel: channel)
    }

    private static func start(_ request: APIRequest, head: HTTPRequestHead, info: HTTPServer.ConnectionInfo,
                              handler: @escaping HTTPServer.Handler, on executor: EventLoopTaskExecutor,
                              channel: Channel) -> Task<Void, Never> {
        Task(executorPreference: executor) {
            let response = await handler(request, info)
            await deliver(response, for: head, to: channel)
        }
    }

    private static func deliver(_ response: APIResponse, for request: HTTPRequestHead, to channel: Channel) async {
        switch response.body {
        case .bytes:
            write(response, for: request, to: channel, keepAlive: request.isKeepAlive)
        case .stream(let produce):
            await stream(response, produce: produce, for: request, to: channel)
        }
    }

    private static func responseHead(_ response: APIResponse, for request: HTTPRequestHead) -> HTTPResponseHead {
        var headers = response.headers
        headers.replaceOrAdd(name: "Cache-Control", value: "no-cache, private")
        return HTTPResponseHead(version: request.version, status: response.status, headers: headers)
    }

    /// Writes a whole response; closes the connection afterwards unless it may be kept alive.
    private static func write(_ response: APIResponse, for request: HTTPRequestHead, to channel: Channel, keepAlive: Bool) {
        guard case .bytes(let bytes) = response.body else { return }
        var head = responseHead(response, for: request)
        head.headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
        if !keepAlive { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        channel.write(HTTPServerResponsePart.head(head), promise: nil)
        if request.method != .HEAD {
            channel.write(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: bytes))), promise: nil)
        }
        let done = channel.writeAndFlush(HTTPServerResponsePart.end(nil))
        if !keepAlive { done.whenComplete { _ in channel.close(promise: nil) } }
    }

    /// Streams chunks (a watch) until the producer finishes or the task is cancelled because the
    /// client went away; the connection is closed afterwards.
    private static func stream(_ response: APIResponse, produce: @Sendable (ResponseStreamWriter) async throws -> Void,
                               for request: HTTPRequestHead, to channel: Channel) async {
        var head = responseHead(response, for: request)
        head.headers.remove(name: "Content-Length")
        head.headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
        channel.writeAndFlush(HTTPServerResponsePart.head(head), promise: nil)
        try? await produce(ChunkWriter(channel: channel))
        channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in channel.close(promise: nil) }
    }

    private static func connectionInfo(_ context: ChannelHandlerContext) -> HTTPServer.ConnectionInfo {
        let remote = context.channel.remoteAddress.map { "\($0)" } ?? "unknown"
        let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate
        let der = (certificate ?? nil).flatMap { try? $0.toDERBytes() }
        return HTTPServer.ConnectionInfo(peerCertificateDER: der, remoteAddress: remote)
    }
}

/// Writes watch chunks to the connection, waiting for each to be flushed so a slow client
/// holds back its producer instead of growing an unbounded buffer.
struct ChunkWriter: ResponseStreamWriter {
    let channel: Channel

    func write(_ bytes: [UInt8]) async throws {
        try Task.checkCancellation()
        try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: bytes)))).get()
    }
}
