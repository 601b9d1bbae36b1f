import Foundation
import KubeClient
import KubeModel
import KubeStore
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// The Kubernetes API server: TLS and authentication in front of the resource registry over
/// one store. `run()` serves until cancelled.
public final class APIServer: Sendable {
    public struct Configuration: Sendable {
        public var dataDirectory: String
        public var bindAddress: String
        public var port: Int
        /// Extra names and addresses the serving certificate must cover.
        public var certificateHostnames: [String] = []
        public var certificateAddresses: [String] = []
        public var tokenFile: String?
        public var maximumRequestBytes = 3 * 1024 * 1024
        /// Settings of the admission plugins.
        public var admission = AdmissionOptions()

        public init(dataDirectory: String, bindAddress: String = "0.0.0.0", port: Int = 6443) {
            self.dataDirectory = dataDirectory
            self.bindAddress = bindAddress
            self.port = port
        }
    }

    public let configuration: Configuration
    public let pki: ClusterPKI
    public let core: APIServerCore
    let http: HTTPServer
    let logger: Logger

    public init(configuration: Configuration, store: any Store, eventLoopGroup: MultiThreadedEventLoopGroup,
                logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.configuration = configuration
        self.logger = logger
        let hostnames = ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                         "kubernetes.default.svc.cluster.local", ProcessInfo.processInfo.hostName] + configuration.certificateHostnames
        var addresses = ["127.0.0.1", "::1", ServiceNetwork.kubernetesServiceIP] + configuration.certificateAddresses
        if configuration.bindAddress != "0.0.0.0", configuration.bindAddress != "::" { addresses.append(configuration.bindAddress) }
        pki = try ClusterPKI.loadOrCreate(directory: configuration.dataDirectory + "/tls", hostnames: hostnames, addresses: addresses)

        var tokens: [String: UserInfo] = [:]
        if let tokenFile = configuration.tokenFile { tokens = try Authenticator.loadTokenFile(tokenFile) }
        let advertised = configuration.bindAddress == "0.0.0.0" ? "127.0.0.1" : configuration.bindAddress
        core = APIServerCore(store: store, tokens: tokens, serverAddress: "\(advertised):\(configuration.port)", logger: logger, now: now,
                             admission: configuration.admission)
        let router = core.router
        let tlsConfiguration = try Self.tlsConfiguration(pki)
        http = HTTPServer(host: configuration.bindAddress, port: configuration.port,
                          tlsContext: try NIOSSLContext(configuration: tlsConfiguration),
                          maximumBodyBytes: configuration.maximumRequestBytes, eventLoopGroup: eventLoopGroup, logger: logger) { request, info in
            await router.handle(request, connection: info)
        }
    }

    static func tlsConfiguration(_ pki: ClusterPKI) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(pki.servingCertificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(pki.servingKeyPEM.utf8), format: .pem)))
        tls.certificateVerification = .optionalVerification
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pki.caCertificatePEM.utf8)))
        tls.applicationProtocols = ["http/1.1"]
        return tls
    }

    public static let versionInfo = KubeVersion.Info(
        buildDate: "2026-11-21T00:00:00Z", compiler: "swiftc", emulationMajor: "1", emulationMinor: "36",
        gitCommit: "0000000000000000000000000000000000000000", gitTreeState: "clean", gitVersion: "v1.36.0-skiff",
        goVersion: "swift6.3", major: "1", minCompatibilityMajor: "1", minCompatibilityMinor: "35", minor: "36",
        platform: "linux/amd64")

    /// The port the server listens on (resolves port 0 once listening).
    public func listeningPort() async throws -> Int { try await http.waitUntilListening() }

    /// Creates what every cluster has, then serves until cancelled.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.http.run() }
            _ = try await self.http.waitUntilListening()
            try await self.core.bootstrap()
            try await group.next()
            group.cancelAll()
        }
    }

    /// An admin kubeconfig for this server at `serverURL`.
    public func adminKubeconfig(serverURL: String) -> Kubeconfig {
        Kubeconfig.admin(server: serverURL, caPEM: pki.caCertificatePEM, certificatePEM: pki.adminCertificatePEM, keyPEM: pki.adminKeyPEM)
    }
}
