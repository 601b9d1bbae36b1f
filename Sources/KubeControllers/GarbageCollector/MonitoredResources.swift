import KubeClient
import KubeModel
import Synchronization

/// The metadata informers of every resource the garbage collector watches (upstream's graph
/// builder monitors), indexed by UID and by owner UID so the ownership graph can be walked
/// from any node in either direction. New resources (custom ones appearing in discovery) get
/// an informer when `add` is called; `run()` starts them as they come.
final class MonitoredResources: Sendable {
    struct Monitor: Sendable {
        let resource: DiscoveredResource
        let informer: Informer<PartialObject>
    }

    static let uidIndex = "uid"
    static let ownerIndex = "owner-uid"

    private let client: APIClient
    private let options: InformerOptions
    private let clock: any ClientClock
    private let monitors = Mutex<[String: Monitor]>([:])
    private let started: (stream: AsyncStream<Monitor>, continuation: AsyncStream<Monitor>.Continuation)

    init(client: APIClient, options: InformerOptions, clock: any ClientClock) {
        self.client = client
        self.options = options
        self.clock = clock
        started = AsyncStream.makeStream(of: Monitor.self)
    }

    /// Starts watching `resource` unless it is watched already; `handler(monitor)` builds the
    /// event handler. Returns true when a monitor was added.
    @discardableResult
    func add(_ resource: DiscoveredResource, handler: (Monitor) -> InformerEventHandler<PartialObject>) -> Bool {
        let monitor: Monitor? = monitors.withLock { monitors in
            guard monitors[resource.description] == nil else { return nil }
            let informer = Informer<PartialObject>(
                listWatch: ListWatch(metadataOf: client.dynamic(resource.resource)), options: options,
                indexers: [
                    Self.uidIndex: { [$0.metadata.uid].compactMap { $0 } },
                    Self.ownerIndex: { ($0.metadata.ownerReferences ?? []).map(\.uid) },
                ],
                clock: clock)
            let monitor = Monitor(resource: resource, informer: informer)
            monitors[resource.description] = monitor
            return monitor
        }
        guard let monitor else { return false }
        monitor.informer.addEventHandler(handler(monitor))
        started.continuation.yield(monitor)
        return true
    }

    var all: [Monitor] { monitors.withLock { Array($0.values) } }

    /// The monitor of a resource by its `plural.group` name.
    func monitor(named name: String) -> Monitor? { monitors.withLock { $0[name] } }

    /// The monitor of the resource serving `kind` in `group` (any version).
    func monitor(group: String, kind: String) -> Monitor? {
        monitors.withLock { monitors in monitors.values.first { $0.resource.group == group && $0.resource.kind == kind } }
    }

    /// Every cached object that names `uid` among its owners, with its monitor.
    func dependents(of uid: String) -> [(monitor: Monitor, object: PartialObject)] {
        all.flatMap { monitor in monitor.informer.store.byIndex(Self.ownerIndex, uid).map { (monitor, $0) } }
    }

    /// The cached object with `uid`, if any monitor holds it.
    func object(uid: String) -> (monitor: Monitor, object: PartialObject)? {
        for monitor in all {
            if let object = monitor.informer.store.byIndex(Self.uidIndex, uid).first { return (monitor, object) }
        }
        return nil
    }

    var hasSynced: Bool { all.allSatisfy(\.informer.hasSynced) }

    func waitForSync() async throws {
        for monitor in all { try await monitor.informer.waitForSync() }
    }

    /// Runs every informer added before and after the call until the task is cancelled.
    func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for await monitor in started.stream {
                group.addTask { try await monitor.informer.run() }
            }
        }
    }
}
