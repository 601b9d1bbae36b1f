import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP/1.1 connection (TLS or plain) that carries one request at a time.
final class HTTPConnection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<HTTPResponseHandler>

    private init(channel: any Channel, handler: NIOLoopBound<HTTPResponseHandler>) {
        self.channel = channel
        self.handler = handler
    }

    static func connect(to address: ServerAddress, tls: NIOSSLContext?, serverName: String?,
                        group: any EventLoopGroup, timeout: Duration) async throws -> HTTPConnection {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout.timeAmount)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(HTTPResponseHandler())
                }
            }
            .connect(host: address.host, port: address.port).get()
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: HTTPResponseHandler.self), eventLoop: channel.eventLoop)
        }.get()
        return HTTPConnection(channel: channel, handler: handler)
    }

    var isActive: Bool { channel.isActive }

    func close() { channel.close(promise: nil) }

    /// Sends the request and collects the whole response; fails after `timeout`.
    func execute(_ head: HTTPRequestHead, body: [UInt8], timeout: Duration) async throws -> BufferedResponse {
        let promise = channel.eventLoop.makePromise(of: BufferedResponse.self)
        start(.buffered(promise), head: head, body: body)
        return try await wait(for: promise.futureResult, timeout: timeout)
    }

    /// Sends the request and returns at the response head; the body follows as a stream whose
    /// termination closes the connection.
    func stream(_ head: HTTPRequestHead, body: [UInt8], headTimeout: Duration) async throws -> StreamingClientResponse {
        let headPromise = channel.eventLoop.makePromise(of: ClientResponse.self)
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let channel = self.channel
        continuation.onTermination = { _ in channel.close(promise: nil) }
        start(.streaming(head: headPromise, body: continuation), head: head, body: body)
        let response = try await wait(for: headPromise.futureResult, timeout: headTimeout)
        return StreamingClientResponse(status: response.status, headers: response.headers, body: stream)
    }

    private func start(_ sink: ResponseSink, head: HTTPRequestHead, body: [UInt8]) {
        let channel = self.channel
        let handler = self.handler
        channel.eventLoop.execute {
            handler.value.begin(sink)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if !body.isEmpty {
                channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil)
            }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
    }

    /// Waits for `future`; a timeout or cancellation fails the request and closes the connection.
    private func wait<Value: Sendable>(for future: EventLoopFuture<Value>, timeout: Duration) async throws -> Value {
        let channel = self.channel
        let handler = self.handler
        let timer = channel.eventLoop.scheduleTask(in: timeout.timeAmount) {
            handler.value.fail(HTTPTransportError.timedOut(timeout))
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await future.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
    }
}

extension Duration {
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
