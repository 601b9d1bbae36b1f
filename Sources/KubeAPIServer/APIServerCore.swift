import Foundation
import KubeModel
import KubeStore
import Logging
import NIOConcurrencyHelpers

/// Everything of the API server behind the network: store context, admission, registry and
/// the router. `APIServer` puts TLS and HTTP in front of it; tests drive it directly.
public final class APIServerCore: Sendable {
    public let registry: ResourceRegistry
    public let router: APIRouter
    let context: ServerContext
    let logger: Logger
    private let ready = NIOLockedValueBox(false)

    public init(store: any Store, tokens: [String: UserInfo] = [:], serverAddress: String = "127.0.0.1:6443",
                logger: Logger = Logger(label: "skiff.apiserver"), now: @escaping @Sendable () -> Date = { Date() },
                bookmarkInterval: Duration = .seconds(60), admission: AdmissionOptions = AdmissionOptions()) {
        var context = ServerContext(store: store, now: now, bookmarkInterval: bookmarkInterval)
        context.admission = AdmissionChain.standard(store: store, options: admission, now: now)
        context.tables = BuiltinPrinters.all
        self.context = context
        self.logger = logger
        let registry = BuiltinResources.registry(context: context, strategies: BuiltinStrategies.all)
        self.registry = registry
        let ready = self.ready
        router = APIRouter(
            registry: registry, authenticator: Authenticator(tokens: tokens),
            discovery: DiscoveryDocuments(registry: registry, serverAddress: serverAddress),
            openAPI: OpenAPIDocuments(registry: registry), version: APIServer.versionInfo,
            readiness: { ready.withLockedValue { $0 } }, logger: logger)
    }

    /// Creates the objects every cluster has, then reports ready.
    public func bootstrap() async throws {
        try await Bootstrap(context: context, registry: registry, logger: logger).run()
        ready.withLockedValue { $0 = true }
    }
}
