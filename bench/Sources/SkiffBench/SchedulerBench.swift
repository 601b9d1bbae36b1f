import Foundation
import HollowNode
import KubeAPIServer
import KubeClient
import KubeModel
import KubeScheduler
import KubeStore
import Logging
import Synchronization

/// `skiff-bench scheduler DIR NODES PODS`: the scheduler's throughput on hollow nodes.
///
/// One process holds an API server over the SQLite store in DIR, NODES hollow nodes (Leases
/// renewed, bound pods marked Running as a kubelet would) and, for the second phase, the
/// scheduler; all of them reach the API server through the in-process transport, as they do
/// inside `skiff server`. Two phases do the same API work for PODS pods each:
/// 1. ceiling: concurrent clients create each pod and bind it themselves through
///    `pods/binding` (round-robin over the nodes), with no scheduler running;
/// 2. scheduling: the clients only create the pods; the scheduler places and binds them.
/// Pod latency is from the create's response to the informer seeing the pod bound.
enum SchedulerBench {
    static let namespace = "bench"
    static let creators = 16

    static func run(directory: String, nodeCount: Int, podCount: Int) async throws {
        var logger = Logger(label: "skiff.bench")
        logger.logLevel = .error
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var storeOptions = SQLiteStore.Options()
        storeOptions.logger = logger
        let store = try SQLiteStore(path: directory + "/state.db", options: storeOptions)
        let core = APIServerCore(store: store, logger: logger)
        try await core.bootstrap()
        let client = APIClient(transport: InProcessTransport(router: core.router, user: UserInfo(name: "bench", groups: ["system:masters"])))
        var namespaceObject = CoreV1.Namespace()
        namespaceObject.metadata.name = namespace
        _ = try await client.resource(CoreV1.Namespace.self).create(namespaceObject)

        try await withThrowingDiscardingTaskGroup { group in
            let pool = try await startHollowNodes(count: nodeCount, client: client, logger: logger, group: &group)
            let nodeNames = pool.nodeNames
            // The latency probe watches both phases, so its cost weighs on both alike.
            let watcher = BindingWatcher(client: client, namespace: namespace, logger: logger)
            group.addTask { try await watcher.informer.run() }
            try await watcher.informer.waitForSync()

            print("== ceiling: \(podCount) pods created and bound directly by \(creators) clients")
            var cpuBefore = cpuSeconds()
            let ceiling = try await createPods(podCount, prefix: "direct-", client: client) { pod, index in
                try await bind(pod, to: nodeNames[index % nodeNames.count], client: client)
            }
            let ceilingRate = Double(podCount) / seconds(ceiling)
            print(String(format: "bound: %d in %.2f s, %.0f pods/s", podCount, seconds(ceiling), ceilingRate))
            try await waitForHollowNodes(pool, toStart: podCount)
            print(String(format: "process CPU: %.2f ms per pod (API server, clients and hollow nodes)",
                         (cpuSeconds() - cpuBefore) * 1000 / Double(podCount)))

            print("== scheduling: \(podCount) pods created by \(creators) clients, bound by the scheduler")
            try startScheduler(client: client, logger: logger, group: &group)
            cpuBefore = cpuSeconds()
            let createdAt = Mutex<[String: ContinuousClock.Instant]>([:])
            let start = ContinuousClock.now
            _ = try await createPods(podCount, prefix: "scheduled-", client: client) { pod, _ in
                let now = ContinuousClock.now
                createdAt.withLock { $0[pod.metadata.name ?? ""] = now }
            }
            let creationTime = ContinuousClock.now - start
            try await watcher.waitForBound(prefix: "scheduled-", count: podCount, timeout: .seconds(600))
            let elapsed = watcher.lastBound(prefix: "scheduled-")! - start
            let rate = Double(podCount) / seconds(elapsed)
            let latencies = createdAt.withLock { created in
                watcher.boundTimes(prefix: "scheduled-").compactMap { name, bound in created[name].map { milliseconds(bound - $0) } }
            }.sorted()
            let p50 = percentile(latencies, 0.50), p99 = percentile(latencies, 0.99)
            print(String(format: "created in %.2f s; all bound after %.2f s: %.0f pods/s", seconds(creationTime), seconds(elapsed), rate))
            print(String(format: "process CPU: %.2f ms per pod (as above, plus the scheduler)", (cpuSeconds() - cpuBefore) * 1000 / Double(podCount)))
            print(String(format: "pod latency (created → bound): p50 %.1f ms, p99 %.1f ms over %d pods", p50, p99, latencies.count))
            print(String(format: "scheduler/ceiling: %.2f (target ≥ 0.50); pods/s target ≥ 1000 (upstream scheduler_perf floor 680)", rate / ceilingRate))
            print(String(format: "RESULT pods_per_s=%.0f ceiling_binds_per_s=%.0f p50_ms=%.1f p99_ms=%.1f", rate, ceilingRate, p50, p99))
            group.cancelAll()
        }
        await store.close()
    }

    // MARK: - Phases

    static func startHollowNodes(count: Int, client: APIClient, logger: Logger,
                                 group: inout ThrowingDiscardingTaskGroup<any Error>) async throws -> HollowNodePool {
        var configuration = HollowNodeConfiguration(count: count, namePrefix: "hollow-")
        // No IPAM controller runs here: each node takes a /24 of a network wide enough for all.
        configuration.clusterCIDR = IPv4Network("10.0.0.0/8")!
        configuration.podCIDRFallbackDelay = .zero
        let pool = HollowNodePool(client: client, configuration: configuration, logger: logger)
        let start = ContinuousClock.now
        group.addTask { try await pool.run() }
        try await pool.waitUntilRegistered()
        print(String(format: "== %d hollow nodes registered in %.1f s", count, seconds(ContinuousClock.now - start)))
        return pool
    }

    static func startScheduler(client: APIClient, logger: Logger,
                               group: inout ThrowingDiscardingTaskGroup<any Error>) throws {
        let informers = SharedInformerFactory(client: client, logger: logger)
        let events = EventRecorder(client: client, component: "default-scheduler")
        let scheduler = try Scheduler(client: client, informers: informers, events: events, logger: logger)
        group.addTask { try await informers.run() }
        group.addTask { await events.run() }
        group.addTask { try await scheduler.run() }
    }

    /// Lets the hollow nodes finish starting the ceiling's pods, so both phases start from rest.
    static func waitForHollowNodes(_ pool: HollowNodePool, toStart count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(300)
        while pool.statistics.podStatusWrites < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Creates `count` pods from `creators` concurrent clients, running `after` on each created
    /// pod; returns the elapsed time.
    static func createPods(_ count: Int, prefix: String, client: APIClient,
                           after: @escaping @Sendable (CoreV1.Pod, Int) async throws -> Void) async throws -> Duration {
        let pods = client.resource(CoreV1.Pod.self, namespace: namespace)
        let start = ContinuousClock.now
        try await withThrowingDiscardingTaskGroup { group in
            for creator in 0..<creators {
                group.addTask {
                    for index in stride(from: creator, to: count, by: creators) {
                        let created = try await pods.create(makePod(name: prefix + String(index)))
                        try await after(created, index)
                    }
                }
            }
        }
        return ContinuousClock.now - start
    }

    static func bind(_ pod: CoreV1.Pod, to node: String, client: APIClient) async throws {
        var binding = CoreV1.Binding()
        binding.metadata.name = pod.metadata.name
        binding.metadata.namespace = pod.metadata.namespace
        binding.target = CoreV1.ObjectReference(kind: "Node", name: node)
        try await client.resource(CoreV1.Pod.self, namespace: namespace).create(pod.metadata.name ?? "", subresource: "binding", body: binding)
    }

    /// The pod of upstream scheduler_perf's default template: one container with requests.
    static func makePod(name: String) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.labels = ["app": "bench"]
        var container = CoreV1.Container(image: "registry.k8s.io/pause:3.10", name: "pause")
        container.resources = CoreV1.ResourceRequirements(requests: ["cpu": "100m", "memory": "500Mi"])
        pod.spec.containers = [container]
        return pod
    }

    // MARK: - Figures

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func milliseconds(_ duration: Duration) -> Double { seconds(duration) * 1000 }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}

/// Notes when each pod of the namespace is first seen bound to a node.
final class BindingWatcher: Sendable {
    let informer: Informer<CoreV1.Pod>
    private let bound = Mutex<[String: ContinuousClock.Instant]>([:])

    init(client: APIClient, namespace: String, logger: Logger) {
        informer = Informer(client: client, namespace: namespace, logger: logger)
        informer.addEventHandler(InformerEventHandler(onChange: { [weak self] pod in self?.observe(pod) }))
    }

    private func observe(_ pod: CoreV1.Pod) {
        guard !(pod.spec.nodeName ?? "").isEmpty, let name = pod.metadata.name else { return }
        let now = ContinuousClock.now
        bound.withLock { if $0[name] == nil { $0[name] = now } }
    }

    func boundTimes(prefix: String) -> [String: ContinuousClock.Instant] {
        bound.withLock { $0.filter { $0.key.hasPrefix(prefix) } }
    }

    func lastBound(prefix: String) -> ContinuousClock.Instant? { boundTimes(prefix: prefix).values.max() }

    func waitForBound(prefix: String, count: Int, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while boundTimes(prefix: prefix).count < count {
            guard ContinuousClock.now < deadline else {
                throw BenchError("only \(boundTimes(prefix: prefix).count) of \(count) pods bound after \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// CPU time (user and system) this process has used, in seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

