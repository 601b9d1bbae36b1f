import KubeModel
import Logging
import Synchronization

/// One informer per kind, shared by every controller that asks for it, so a process lists and
/// watches each resource once. `run()` runs the informers handed out before and after it starts.
public final class SharedInformerFactory: Sendable {
    public let client: APIClient
    /// Nil: all namespaces.
    public let namespace: String?
    public let options: InformerOptions
    private let clock: any ClientClock
    private let logger: Logger
    private let informers = Mutex<[ObjectIdentifier: any RunnableInformer]>([:])
    private let started: (stream: AsyncStream<any RunnableInformer>, continuation: AsyncStream<any RunnableInformer>.Continuation)

    public init(client: APIClient, namespace: String? = nil, options: InformerOptions = InformerOptions(),
                clock: any ClientClock = SystemClock(), logger: Logger = Logger(label: "skiff.informer")) {
        self.client = client
        self.namespace = namespace
        self.options = options
        self.clock = clock
        self.logger = logger
        started = AsyncStream.makeStream(of: (any RunnableInformer).self)
    }

    /// The shared informer of `type`, created on first use.
    public func informer<Object: KubeObject>(_ type: Object.Type) -> Informer<Object> {
        informers.withLock { informers in
            if let existing = informers[ObjectIdentifier(type)] as? Informer<Object> { return existing }
            let informer = Informer<Object>(client: client, namespace: namespace, options: options, clock: clock, logger: logger)
            informers[ObjectIdentifier(type)] = informer
            started.continuation.yield(informer)
            return informer
        }
    }

    /// True when every informer handed out so far has synced.
    public var hasSynced: Bool { informers.withLock { $0.values.allSatisfy(\.hasSynced) } }

    /// Waits until every informer handed out so far has synced.
    public func waitForSync() async throws {
        for informer in informers.withLock({ Array($0.values) }) { try await informer.waitForSync() }
    }

    /// Runs every informer until the task is cancelled. Call once.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for await informer in started.stream {
                group.addTask { try await informer.run() }
            }
        }
    }
}

/// What the factory needs of an informer without knowing its kind.
protocol RunnableInformer: Sendable {
    var hasSynced: Bool { get }
    func waitForSync() async throws
    func run() async throws
}

extension Informer: RunnableInformer {}
