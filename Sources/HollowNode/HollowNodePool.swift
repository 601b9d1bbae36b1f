import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// Many simulated ("hollow") nodes in one process, each doing what a kubelet does towards the
/// API server without running anything: it registers its Node, renews its Lease, reports node
/// status, and moves the pods bound to it through their lifecycle (see `PodRuntime`).
///
/// Built to scale to thousands of nodes and tens of thousands of pods: one Node informer and one
/// Pod informer (field selector `spec.nodeName!=`, filtered to this pool's nodes), one timer
/// task for every deadline (lease renewals, status reports, restarts, terminations), and two
/// bounded worker pools over work queues — heartbeats apart from pod status writes, so a burst
/// of pods never delays a lease.
public final class HollowNodePool: Sendable {
    public let configuration: HollowNodeConfiguration
    let client: APIClient
    let clock: any ClientClock
    let logger: Logger
    let template: NodeTemplate
    /// This pool's node names and their indices; fixed at creation.
    let nodeIndices: [String: Int]
    let nodeInformer: Informer<CoreV1.Node>
    let podInformer: Informer<CoreV1.Pod>
    let state: Mutex<State>
    let timers: TimerQueue<TimedWork>
    let podQueue: WorkQueue<String>
    let nodeQueue: WorkQueue<NodeWork>
    let registrations = ChangeSignal()
    let counters = Mutex(HollowNodeStatistics())

    static let nodeIndex = "spec.nodeName"

    /// Work on one node, done by the heartbeat workers.
    enum NodeWork: Hashable, Sendable {
        case renewLease(String)
        case reportStatus(String)
        case assignPodCIDR(String)
    }

    enum TimedWork: Hashable, Sendable {
        case node(NodeWork)
        case pod(String)
    }

    struct State {
        var nodes: [String: NodeRuntime] = [:]
        var registeredCount = 0
        var pods: [String: TrackedPod] = [:]
        /// podCIDRs of every node seen, and ones this pool picked for its nodes: the podCIDR
        /// fallback hands out subnets not in here, next-fit from the cursor.
        var usedPodCIDRs: Set<String> = []
        var fallbackCursor = 0
    }

    /// - Parameters:
    ///   - clock: the time of the simulation: timestamps, heartbeats, restarts, terminations
    ///     (tests pass a `ManualClock`). Informers and retries run on real time.
    public init(client: APIClient, configuration: HollowNodeConfiguration, clock: any ClientClock = SystemClock(),
                logger: Logger = Logger(label: "skiff.hollow-node")) {
        self.client = client
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        template = NodeTemplate(configuration: configuration)
        var indices: [String: Int] = [:]
        var nodes: [String: NodeRuntime] = [:]
        for (offset, name) in configuration.nodeNames.enumerated() {
            let index = configuration.firstIndex + offset
            indices[name] = index
            nodes[name] = NodeRuntime(name: name, internalIP: configuration.internalIP(index: index))
        }
        nodeIndices = indices
        state = Mutex(State(nodes: nodes))
        timers = TimerQueue(clock: clock)
        podQueue = WorkQueue(name: "hollow-pods")
        nodeQueue = WorkQueue(name: "hollow-heartbeats")
        nodeInformer = Informer(client: client, logger: logger)
        podInformer = Informer(client: client, fieldSelector: "spec.nodeName!=",
                               indexers: [Self.nodeIndex: { [$0.spec.nodeName ?? ""] }], logger: logger)
        nodeInformer.addEventHandler(InformerEventHandler(
            onAdd: { [weak self] node in self?.observe(node) },
            onUpdate: { [weak self] _, node in self?.observe(node) },
            onDelete: { [weak self] node in self?.observeDeletion(of: node) }))
        podInformer.addEventHandler(InformerEventHandler(onChange: { [weak self] pod in self?.enqueueIfOurs(pod) }))
    }

    public var nodeNames: [String] { configuration.nodeNames }

    // MARK: - Running

    /// Registers the nodes, then keeps them alive and runs their pods until cancelled.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.nodeInformer.run() }
            group.addTask { try await self.podInformer.run() }
            group.addTask { await self.timers.run { due in self.dispatch(due) } }
            group.addTask {
                await Self.work(self.podQueue, workers: self.configuration.podWorkers) { key in try await self.syncPod(key) }
            }
            group.addTask {
                await Self.work(self.nodeQueue, workers: self.configuration.heartbeatWorkers) { work in try await self.perform(work) }
            }
            group.addTask { try await self.registerAll() }
        }
    }

    /// Returns once every node is registered (with its Lease).
    public func waitUntilRegistered() async throws {
        while true {
            let generation = registrations.generation
            if registeredCount == configuration.count { return }
            try Task.checkCancellation()
            await registrations.wait(after: generation)
        }
    }

    public var registeredCount: Int { state.withLock { $0.registeredCount } }

    public var statistics: HollowNodeStatistics { counters.withLock { $0 } }

    // MARK: - Stopping and resuming nodes

    /// Stops the heartbeats and pod handling of the named nodes (as if their kubelets died) and
    /// resumes every other node of the pool that was stopped. Names not in the pool are ignored.
    public func setStoppedNodes(_ names: Set<String>) {
        let resumed = state.withLock { state -> [String] in
            var resumed: [String] = []
            for name in state.nodes.keys {
                let stop = names.contains(name)
                if state.nodes[name]!.stopped && !stop { resumed.append(name) }
                state.nodes[name]!.stopped = stop
            }
            return resumed
        }
        for name in names where nodeIndices[name] != nil {
            logger.info("hollow node stopped", metadata: ["node": "\(name)"])
        }
        for name in resumed {
            logger.info("hollow node resumed", metadata: ["node": "\(name)"])
            nodeQueue.add(.renewLease(name))
            nodeQueue.add(.reportStatus(name))
            enqueuePods(onNode: name)
        }
    }

    public func stop(nodes names: Set<String>) {
        setStoppedNodes(stoppedNodes.union(names))
    }

    public func resume(nodes names: Set<String>) {
        setStoppedNodes(stoppedNodes.subtracting(names))
    }

    public var stoppedNodes: Set<String> {
        state.withLock { Set($0.nodes.values.filter(\.stopped).map(\.name)) }
    }

    // MARK: - Plumbing

    func dispatch(_ due: [TimedWork]) {
        for work in due {
            switch work {
            case .node(let nodeWork): nodeQueue.add(nodeWork)
            case .pod(let key): podQueue.add(key)
            }
        }
    }

    /// Runs `workers` tasks taking items from `queue` until the task is cancelled; a failed item
    /// is retried with the queue's back-off.
    static func work<Item: Hashable & Sendable>(_ queue: WorkQueue<Item>, workers: Int,
                                                 _ process: @escaping @Sendable (Item) async throws -> Void) async {
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for _ in 0..<max(1, workers) {
                    group.addTask {
                        while let item = await queue.get() {
                            defer { queue.done(item) }
                            if Task.isCancelled { return }
                            do {
                                try await process(item)
                                queue.forget(item)
                            } catch is CancellationError {
                                return
                            } catch {
                                queue.addRateLimited(item)
                            }
                        }
                    }
                }
            }
        } onCancel: {
            queue.shutDown()
        }
    }

    func count(_ counter: WritableKeyPath<HollowNodeStatistics, Int>) {
        counters.withLock { $0[keyPath: counter] += 1 }
    }
}

/// What one hollow node's kubelet keeps between calls.
struct NodeRuntime: Sendable {
    let name: String
    let internalIP: String
    var registered = false
    var uid: String?
    var stopped = false
    /// The Node was deleted: the kubelet does not register it again.
    var deleted = false
    /// The Lease as last written.
    var lease: CoordinationV1.Lease?
    /// Pod addresses, once the node has a podCIDR.
    var addresses: PodAddressPool?
    /// Pods waiting for an address (no podCIDR yet, or all taken).
    var waitingForAddress: Set<String> = []

    init(name: String, internalIP: String) {
        self.name = name
        self.internalIP = internalIP
    }
}

/// Counters for tests, benchmarks and logs.
public struct HollowNodeStatistics: Sendable, Equatable {
    public var registeredNodes = 0
    public var leaseRenewals = 0
    public var nodeStatusReports = 0
    public var podStatusWrites = 0
    public var podDeletions = 0
    public var conflicts = 0
    public var failures = 0
    public init() {}
}
