import Foundation
import KubeAPIServer
import KubeClient
@testable import KubeControllers
import KubeModel
import KubeStore
import Logging
import Testing

/// A real API server over an in-memory store, reached through the in-process transport, and
/// controllers run against it for the duration of a test (`running`). `ControllerTestCluster`
/// builds on it for tests that keep controllers running across many steps.
struct TestAPIServer: Sendable {
    let core: APIServerCore
    let client: APIClient

    static func make(now: @escaping @Sendable () -> Date = { Date() }) async throws -> TestAPIServer {
        var logger = Logger(label: "skiff.controllers-test")
        logger.logLevel = .critical
        let core = APIServerCore(store: MemoryStore(), logger: logger, now: now, bookmarkInterval: .milliseconds(200))
        try await core.bootstrap()
        let client = APIClient(transport: InProcessTransport(router: core.router, user: UserInfo(name: "test", groups: ["system:masters"])))
        return TestAPIServer(core: core, client: client)
    }

    func context(clock: any ClientClock = SystemClock(), settings: ControllerSettings = ControllerSettings()) -> ControllerContext {
        var logger = Logger(label: "skiff.controllers-test")
        logger.logLevel = .critical
        let informers = SharedInformerFactory(client: client, options: InformerOptions(watchTimeout: .seconds(30)), clock: clock, logger: logger)
        return ControllerContext(client: client, informers: informers, events: EventRecorder(client: client, component: "test", clock: clock),
                                 clock: clock, settings: settings, logger: logger)
    }

    /// Runs the controllers built from a fresh context while `body` runs.
    func running<T: Sendable>(clock: any ClientClock = SystemClock(), settings: ControllerSettings = ControllerSettings(),
                              _ build: (ControllerContext) -> [any Controller],
                              _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let context = context(clock: clock, settings: settings)
        let manager = ControllerManager(context: context, controllers: build(context))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await manager.run()
                return nil
            }
            group.addTask { try await body() }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    func resource<T: KubeObject>(_ type: T.Type, _ namespace: String? = nil) -> ResourceClient<T> {
        client.resource(type, namespace: namespace)
    }

    @discardableResult
    func makeNamespace(_ name: String) async throws -> CoreV1.Namespace {
        var namespace = CoreV1.Namespace()
        namespace.metadata.name = name
        return try await resource(CoreV1.Namespace.self).create(namespace)
    }
}

/// Polls `condition` until it holds or `timeout` passes; fails the test with `message` then.
func eventually(_ message: @autoclosure () -> String = "condition never held", timeout: Duration = .seconds(10),
                sourceLocation: SourceLocation = #_sourceLocation,
                _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record(Comment(rawValue: message()), sourceLocation: sourceLocation)
    throw EventuallyTimeout()
}

struct EventuallyTimeout: Error {}

/// True when reading the object answers 404.
func isGone<T: KubeObject>(_ client: ResourceClient<T>, _ name: String) async throws -> Bool {
    do {
        _ = try await client.get(name)
        return false
    } catch let error as APIStatusError where error.isNotFound {
        return true
    }
}

/// A minimal pod with one container, optionally owned.
func makePod(_ name: String, namespace: String, labels: [String: String] = [:], owners: [MetaV1.OwnerReference] = []) -> CoreV1.Pod {
    var pod = CoreV1.Pod()
    pod.metadata.name = name
    pod.metadata.namespace = namespace
    pod.metadata.labels = labels.isEmpty ? nil : labels
    pod.metadata.ownerReferences = owners.isEmpty ? nil : owners
    pod.spec.containers = [CoreV1.Container(image: "busybox", name: "main")]
    return pod
}

extension TestAPIServer {
    /// Plays the kubelet: the pod runs with `ip`, ready or not.
    @discardableResult
    func setPodStatus(_ namespace: String, _ name: String, ip: String?, ready: Bool, phase: String = "Running") async throws -> CoreV1.Pod {
        let pods = resource(CoreV1.Pod.self, namespace)
        var pod = try await pods.get(name)
        pod.status.phase = phase
        pod.status.podIP = ip
        pod.status.podIPs = ip.map { [CoreV1.PodIP(ip: $0)] }
        let status = ready ? "True" : "False"
        let now = Time.wholeSeconds(Date())
        pod.status.conditions = [
            CoreV1.PodCondition(lastTransitionTime: now, type: "Ready", status: status),
            CoreV1.PodCondition(lastTransitionTime: now, type: "ContainersReady", status: status),
        ]
        return try await pods.updateStatus(pod)
    }

    @discardableResult
    func makeNode(_ name: String, ready: String? = nil, heartbeat: Date = Date(), podCIDR: String? = nil) async throws -> CoreV1.Node {
        var node = CoreV1.Node()
        node.metadata.name = name
        node.spec.podCIDR = podCIDR
        node.spec.podCIDRs = podCIDR.map { [$0] }
        var created = try await resource(CoreV1.Node.self).create(node)
        if let ready {
            created.status.conditions = [CoreV1.NodeCondition(
                lastHeartbeatTime: Time.wholeSeconds(heartbeat), lastTransitionTime: Time.wholeSeconds(heartbeat),
                reason: "KubeletReady", type: "Ready", status: ready)]
            created = try await resource(CoreV1.Node.self).updateStatus(created)
        }
        return created
    }
}
