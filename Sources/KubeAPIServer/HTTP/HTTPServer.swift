import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Serves HTTPS/1.1 with NIO: TLS (client certificates requested, verified against the cluster
/// CA when presented), request bodies collected up to a limit, one handler call per request and
/// streamed bodies for watches. Each connection runs as a child task of `run()`.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (APIRequest, ConnectionInfo) async -> APIResponse

    /// What the connection knows about its client.
    public struct ConnectionInfo: Sendable {
        public var peerCertificateDER: [UInt8]?
        public var remoteAddress: String

        public init(peerCertificateDER: [UInt8]? = nil, remoteAddress: String) {
            self.peerCertificateDER = peerCertificateDER
            self.remoteAddress = remoteAddress
        }
    }

    let host: String
    let port: Int
    let tlsContext: NIOSSLContext?
    let maximumBodyBytes: Int
    let handler: Handler
    let logger: Logger
    let eventLoopGroup: MultiThreadedEventLoopGroup
    private let boundPort = NIOLockedValueBox<Int?>(nil)
    private let readyWaiters = NIOLockedValueBox<[CheckedContinuation<Int, Error>]>([])

    public init(host: String, port: Int, tlsContext: NIOSSLContext?, maximumBodyBytes: Int,
                eventLoopGroup: MultiThreadedEventLoopGroup, logger: Logger, handler: @escaping Handler) {
        self.host = host
        self.port = port
        self.tlsContext = tlsContext
        self.maximumBodyBytes = maximumBodyBytes
        self.handler = handler
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
    }

    /// The port actually bound (useful with port 0), once listening.
    public func waitUntilListening() async throws -> Int {
        if let port = boundPort.withLockedValue({ $0 }) { return port }
        return try await withCheckedThrowingContinuation { continuation in
            let port = boundPort.withLockedValue { $0 }
            if let port { continuation.resume(returning: port) } else { readyWaiters.withLockedValue { $0.append(continuation) } }
        }
    }

    public func run() async throws {
        let tlsContext = self.tlsContext
        let server = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let port = server.channel.localAddress?.port ?? self.port
        boundPort.withLockedValue { $0 = port }
        for waiter in readyWaiters.withLockedValue({ waiters in defer { waiters = [] }; return waiters }) {
            waiter.resume(returning: port)
        }
        logger.info("listening", metadata: ["address": "\(host):\(port)", "tls": "\(tlsContext != nil)"])

        // Cancelling run() closes the listening socket, which ends the accept loop; open
        // connections are child tasks and are cancelled with the group.
        let listener = server.channel
        try await withTaskCancellationHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection) }
                    }
                }
                group.cancelAll()
            }
        } onCancel: {
            listener.close(promise: nil)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        let channel = connection.channel
        do {
            try await connection.executeThenClose { inbound, outbound in
                var info: ConnectionInfo?
                var head: HTTPRequestHead?
                var body = ByteBuffer()
                var bodyTooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        body.clear()
                        bodyTooLarge = false
                        if let length = requestHead.headers.first(name: "content-length").flatMap(Int.init), length > maximumBodyBytes {
                            bodyTooLarge = true
                        }
                    case .body(var chunk):
                        if !bodyTooLarge {
                            if body.readableBytes + chunk.readableBytes > maximumBodyBytes {
                                bodyTooLarge = true
                                body.clear()
                            } else {
                                body.writeBuffer(&chunk)
                            }
                        }
                    case .end:
                        guard let requestHead = head else { continue }
                        head = nil
                        if info == nil { info = await connectionInfo(channel) }
                        let response: APIResponse
                        if bodyTooLarge {
                            response = APIError.requestEntityTooLarge(limit: maximumBodyBytes).response()
                        } else {
                            let request = APIRequest(
                                method: requestHead.method, uri: requestHead.uri, headers: requestHead.headers,
                                body: Array(body.readableBytesView))
                            response = await handler(request, info!)
                        }
                        let keepAlive = try await write(response, for: requestHead, to: outbound, channel: channel)
                        if !keepAlive || bodyTooLarge { return }
                    }
                }
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// Writes the response; returns whether the connection may serve another request.
    private func write(_ response: APIResponse, for request: HTTPRequestHead,
                       to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, channel: Channel) async throws -> Bool {
        var headers = response.headers
        headers.replaceOrAdd(name: "Cache-Control", value: "no-cache, private")
        let keepAlive = request.isKeepAlive
        switch response.body {
        case .bytes(let bytes):
            headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
            if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
            let head = HTTPResponseHead(version: request.version, status: response.status, headers: headers)
            var buffer = channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            if request.method == .HEAD {
                try await outbound.write(contentsOf: [.head(head), .end(nil)])
            } else {
                try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(buffer)), .end(nil)])
            }
            return keepAlive
        case .stream(let produce):
            headers.remove(name: "Content-Length")
            headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
            try await outbound.write(.head(HTTPResponseHead(version: request.version, status: response.status, headers: headers)))
            let writer = ChunkWriter(outbound: outbound, allocator: channel.allocator)
            // The stream ends when the producer finishes or the client closes the connection.
            // An AsyncStream (unlike a future) stops waiting when its task is cancelled.
            let (closed, closedContinuation) = AsyncStream<Void>.makeStream()
            channel.closeFuture.whenComplete { _ in closedContinuation.finish() }
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await produce(writer) }
                group.addTask { for await _ in closed {} }
                await group.next()
                group.cancelAll()
            }
            try? await outbound.write(.end(nil))
            return false
        }
    }

    private func connectionInfo(_ channel: Channel) async -> ConnectionInfo {
        let remote = channel.remoteAddress.map { "\($0)" } ?? "unknown"
        let certificate: NIOSSLCertificate?? = try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate
        }.get()
        let der = (certificate ?? nil).flatMap { try? $0.toDERBytes() }
        return ConnectionInfo(peerCertificateDER: der, remoteAddress: remote)
    }
}

/// Writes watch chunks to the connection.
struct ChunkWriter: ResponseStreamWriter {
    let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    let allocator: ByteBufferAllocator

    func write(_ bytes: [UInt8]) async throws {
        try Task.checkCancellation()
        try await outbound.write(.body(.byteBuffer(allocator.buffer(bytes: bytes))))
    }
}
