import Foundation
import HollowNode
import KubeAPIServer
import KubeClient
import KubeModel
import KubeStore
import Logging
import Synchronization

/// An API server without the network (the router over an in-memory store) and an admin client
/// through the in-process transport.
struct TestAPI: Sendable {
    let core: APIServerCore
    let client: APIClient

    static func make(store: any Store = MemoryStore()) async throws -> TestAPI {
        var logger = Logger(label: "skiff.hollow-test")
        logger.logLevel = .warning
        let core = APIServerCore(store: store, logger: logger, bookmarkInterval: .milliseconds(200))
        try await core.bootstrap()
        let client = APIClient(transport: InProcessTransport(router: core.router, user: UserInfo(name: "test", groups: ["system:masters"])))
        return TestAPI(core: core, client: client)
    }

    var nodes: ResourceClient<CoreV1.Node> { client.resource(CoreV1.Node.self) }
    var leases: ResourceClient<CoordinationV1.Lease> { client.resource(CoordinationV1.Lease.self, namespace: "kube-node-lease") }
    func pods(_ namespace: String = "default") -> ResourceClient<CoreV1.Pod> { client.resource(CoreV1.Pod.self, namespace: namespace) }

    /// Runs `pool` for the duration of `body`, once its nodes are registered.
    func with<T: Sendable>(_ pool: HollowNodePool, _ body: @Sendable (HollowNodePool) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await pool.run()
                return nil
            }
            try await pool.waitUntilRegistered()
            let result = try await body(pool)
            group.cancelAll()
            while let _ = try? await group.next() {}
            return result
        }
    }

    /// A pool of `count` nodes on `clock`, the test's logger quiet.
    func pool(count: Int = 1, prefix: String = "hollow-", clock: any ClientClock,
              _ configure: (inout HollowNodeConfiguration) -> Void = { _ in }) -> HollowNodePool {
        var configuration = HollowNodeConfiguration(count: count, namePrefix: prefix)
        // Few workers: many suites share the machine's cores, and these pools have little to do.
        configuration.podWorkers = 4
        configuration.heartbeatWorkers = 2
        configure(&configuration)
        var logger = Logger(label: "skiff.hollow-test")
        logger.logLevel = .warning
        return HollowNodePool(client: client, configuration: configuration, clock: clock, logger: logger)
    }

    /// Gives `node` a podCIDR, as the node IPAM controller would.
    func assignPodCIDR(_ node: String, _ cidr: String) async throws {
        _ = try await nodes.patch(node, type: .merge, body: ["spec": ["podCIDR": .string(cidr), "podCIDRs": [.string(cidr)]]])
    }

    /// Creates a pod already bound to `node`.
    @discardableResult
    func createPod(_ name: String, node: String, namespace: String = "default", command: [String]? = nil,
                   restartPolicy: String? = nil, _ configure: (inout CoreV1.Pod) -> Void = { _ in }) async throws -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.namespace = namespace
        var container = CoreV1.Container()
        container.name = "main"
        container.image = "busybox:1.36"
        container.command = command
        pod.spec.containers = [container]
        pod.spec.nodeName = node
        pod.spec.restartPolicy = restartPolicy
        configure(&pod)
        return try await pods(namespace).create(pod)
    }

    /// Polls `pod` until `condition` holds, failing after `timeout`.
    @discardableResult
    func waitForPod(_ name: String, namespace: String = "default", timeout: Duration = .seconds(10),
                    _ condition: (CoreV1.Pod) -> Bool) async throws -> CoreV1.Pod {
        var last: CoreV1.Pod?
        try await eventually(timeout: timeout, "pod \(name): \(String(describing: last?.status))") {
            last = try await pods(namespace).get(name)
            return condition(last!)
        }
        return last!
    }
}

/// A fresh API server and a pool of `count` nodes (`hollow-0` …) on a manual clock, running for
/// the duration of `body`.
func runPool(count: Int = 1, configure:  (inout HollowNodeConfiguration) -> Void = { _ in },
             _ body: @Sendable (TestAPI, ManualClock, HollowNodePool) async throws -> Void) async throws {
    let api = try await TestAPI.make()
    let clock = ManualClock()
    try await api.with(api.pool(count: count, clock: clock, configure)) { pool in try await body(api, clock, pool) }
}

struct TestTimeout: Error, CustomStringConvertible {
    let description: String
}

/// Polls `condition` every few milliseconds of real time until it holds.
func eventually(timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(25),
                _ what: @autoclosure () -> String = "condition", _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return }
        guard ContinuousClock.now < deadline else { throw TestTimeout(description: "timed out waiting for \(what())") }
        try await Task.sleep(for: interval)
    }
}

extension CoreV1.Pod {
    func condition(_ type: String) -> CoreV1.PodCondition? { status.conditions?.first { $0.type == type } }
    var mainStatus: CoreV1.ContainerStatus? { status.containerStatuses?.first }
}

/// A transport that, before forwarding a pod status write, lets someone else change the pod
/// first (a label, through the admin client): the write then carries a stale resourceVersion and
/// the server answers 409 Conflict, as it would when another writer wins a race.
struct RacingTransport: HTTPTransport {
    let inner: InProcessTransport
    let admin: APIClient
    let races: Locked<Int>

    func send(_ request: ClientRequest) async throws -> ClientResponse {
        if request.method == "PUT", request.path.hasSuffix("/status"), request.path.contains("/pods/"),
           races.withLock({ count in defer { count -= 1 }; return count > 0 }) {
            let parts = request.path.split(separator: "/")
            let namespace = String(parts[3]), name = String(parts[5])
            _ = try await admin.resource(CoreV1.Pod.self, namespace: namespace)
                .patch(name, type: .merge, body: ["metadata": ["labels": ["raced": .string(String(races.withLock { $0 }))]]])
        }
        return try await inner.send(request)
    }

    func stream(_ request: ClientRequest) async throws -> StreamingClientResponse { try await inner.stream(request) }
}

/// A transport that plays node IPAM racing a node's registration: before forwarding the
/// creation of a node's Lease, it gives the node a podCIDR and waits until `seen` reports that
/// the pool's informer has the change, which the pool then must not miss.
struct IPAMRacingTransport: HTTPTransport {
    let inner: InProcessTransport
    let admin: APIClient
    let cidr: String
    let seen: @Sendable () -> Bool

    func send(_ request: ClientRequest) async throws -> ClientResponse {
        if request.method == "POST", request.path.hasSuffix("/leases") {
            let node = String(decoding: request.body, as: UTF8.self).contains("hollow-0") ? "hollow-0" : ""
            if !node.isEmpty {
                _ = try await admin.resource(CoreV1.Node.self)
                    .patch(node, type: .merge, body: ["spec": ["podCIDR": .string(cidr), "podCIDRs": [.string(cidr)]]])
                try await eventually("the pool's informer sees the podCIDR") { seen() }
            }
        }
        return try await inner.send(request)
    }

    func stream(_ request: ClientRequest) async throws -> StreamingClientResponse { try await inner.stream(request) }
}

/// A value behind a lock, for tests.
final class Locked<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func withLock<T>(_ body: (inout Value) -> T) -> T { value.withLock { body(&$0) } }
}
