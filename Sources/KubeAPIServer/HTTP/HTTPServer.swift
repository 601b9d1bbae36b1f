import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Serves HTTPS/1.1 with NIO: TLS (client certificates requested, verified against the cluster
/// CA when presented), request bodies collected up to a limit, one handler call per request and
/// streamed bodies for watches (see `HTTPConnectionHandler`).
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
    private let connections = OpenConnections()

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
        let connections = self.connections
        let (handler, maximumBodyBytes) = (self.handler, self.maximumBodyBytes)
        let server = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(HTTPConnectionHandler(
                        handler: handler, maximumBodyBytes: maximumBodyBytes, eventLoop: channel.eventLoop))
                    connections.add(channel)
                }
            }
            .bind(host: host, port: port).get()
        let port = server.localAddress?.port ?? self.port
        boundPort.withLockedValue { $0 = port }
        for waiter in readyWaiters.withLockedValue({ waiters in defer { waiters = [] }; return waiters }) {
            waiter.resume(returning: port)
        }
        logger.info("listening", metadata: ["address": "\(host):\(port)", "tls": "\(tlsContext != nil)"])

        // Serves until cancelled; then the listening socket and every open connection close.
        let (closed, closedContinuation) = AsyncStream<Void>.makeStream()
        server.closeFuture.whenComplete { _ in closedContinuation.finish() }
        await withTaskCancellationHandler {
            for await _ in closed {}
        } onCancel: {
            server.close(promise: nil)
        }
        connections.closeAll()
    }
}

/// The open connections, so that stopping the server closes them.
final class OpenConnections: Sendable {
    private let channels = NIOLockedValueBox<[ObjectIdentifier: Channel]>([:])

    func add(_ channel: Channel) {
        let id = ObjectIdentifier(channel)
        channels.withLockedValue { $0[id] = channel }
        channel.closeFuture.whenComplete { [channels] _ in channels.withLockedValue { _ = $0.removeValue(forKey: id) } }
    }

    func closeAll() {
        for channel in channels.withLockedValue({ $0.values }) { channel.close(promise: nil) }
    }
}
