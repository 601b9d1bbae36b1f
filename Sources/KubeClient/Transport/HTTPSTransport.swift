import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// HTTP/1.1 over TLS (or plain TCP for http:// servers) with NIO: the server's CA from the
/// configuration, a client certificate or bearer token, a pool of keep-alive connections, and
/// connect/request timeouts. Watches get a connection of their own, closed when the stream ends.
public final class HTTPSTransport: HTTPTransport {
    public let configuration: ClientConfiguration
    private let address: ServerAddress
    private let tlsContext: NIOSSLContext?
    private let serverName: String?
    private let group: any EventLoopGroup
    private let token: BearerTokenSource
    private let idle = Mutex<(connections: [HTTPConnection], closed: Bool)>(([], false))

    public init(configuration: ClientConfiguration,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.configuration = configuration
        address = try ServerAddress(configuration.server)
        group = eventLoopGroup
        token = BearerTokenSource(token: configuration.bearerToken, file: configuration.bearerTokenFile)
        if address.useTLS {
            tlsContext = try NIOSSLContext(configuration: Self.tlsConfiguration(configuration))
            serverName = configuration.tlsServerName ?? (address.hostIsIPAddress ? nil : address.host)
        } else {
            tlsContext = nil
            serverName = nil
        }
    }

    static func tlsConfiguration(_ configuration: ClientConfiguration) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.applicationProtocols = ["http/1.1"]
        if configuration.insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else if let ca = configuration.certificateAuthorityPEM {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca))
        }
        if let certificate = configuration.clientCertificatePEM, let key = configuration.clientKeyPEM {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
        }
        return tls
    }

    public func send(_ request: ClientRequest) async throws -> ClientResponse {
        let head = try requestHead(request)
        // A pooled connection the server closed meanwhile fails before any response; that
        // attempt is retried once on a fresh connection.
        for attempt in 0..<2 {
            let (connection, reused) = try await connection(fresh: attempt > 0)
            do {
                let result = try await connection.execute(head, body: request.body, timeout: configuration.requestTimeout)
                if result.keepAlive { giveBack(connection) } else { connection.close() }
                return result.response
            } catch HTTPTransportError.connectionClosed(beforeResponse: true) where reused && attempt == 0 {
                connection.close()
                continue
            } catch {
                connection.close()
                throw error
            }
        }
        throw HTTPTransportError.connectionClosed(beforeResponse: true)
    }

    public func stream(_ request: ClientRequest) async throws -> StreamingClientResponse {
        let head = try requestHead(request)
        let (connection, _) = try await connection(fresh: true)
        do {
            return try await connection.stream(head, body: request.body, headTimeout: configuration.requestTimeout)
        } catch {
            connection.close()
            throw error
        }
    }

    /// Closes the idle connections; later requests fail. Streams in progress end on their own.
    public func shutdown() {
        let connections = idle.withLock { state in
            state.closed = true
            defer { state.connections.removeAll() }
            return state.connections
        }
        for connection in connections { connection.close() }
    }

    private func requestHead(_ request: ClientRequest) throws -> HTTPRequestHead {
        let method = HTTPMethod(rawValue: request.method.uppercased())
        if case .RAW = method { throw HTTPTransportError.invalidMethod(request.method) }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: address.hostHeader)
        for (name, value) in request.headers { headers.add(name: name, value: value) }
        if !request.headers.contains(where: { $0.name.lowercased() == "authorization" }), let token = token.token() {
            headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method.uppercased()) {
            headers.replaceOrAdd(name: "Content-Length", value: String(request.body.count))
        }
        return HTTPRequestHead(version: .http1_1, method: method, uri: address.pathPrefix + request.uri, headers: headers)
    }

    private func connection(fresh: Bool) async throws -> (HTTPConnection, reused: Bool) {
        if !fresh {
            let pooled: HTTPConnection? = try idle.withLock { state in
                if state.closed { throw HTTPTransportError.shutDown }
                while let candidate = state.connections.popLast() {
                    if candidate.isActive { return candidate }
                    candidate.close()
                }
                return nil
            }
            if let pooled { return (pooled, true) }
        } else if idle.withLock({ $0.closed }) {
            throw HTTPTransportError.shutDown
        }
        let connection = try await HTTPConnection.connect(
            to: address, tls: tlsContext, serverName: serverName, group: group, timeout: configuration.connectTimeout)
        return (connection, false)
    }

    private func giveBack(_ connection: HTTPConnection) {
        let kept = idle.withLock { state in
            guard !state.closed, state.connections.count < configuration.maximumIdleConnections, connection.isActive else { return false }
            state.connections.append(connection)
            return true
        }
        if !kept { connection.close() }
    }
}
