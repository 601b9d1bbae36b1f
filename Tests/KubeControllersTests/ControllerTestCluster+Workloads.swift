import Foundation
import KubeClient
import KubeModel
import Testing
@testable import KubeControllers

/// What the StatefulSet and DaemonSet tests add to the controller test cluster: a run scoped to
/// one test, object helpers, and the test playing scheduler and kubelet (binding pods to Nodes it
/// creates and writing their status).
extension ControllerTestCluster {
    var namespace: String { "default" }

    /// Runs the controller `make` builds (after its informers synced) while `body` runs.
    static func run(_ make: @escaping @Sendable (ControllerContext) -> any Controller,
                    _ body: @Sendable (ControllerTestCluster) async throws -> Void) async throws {
        let cluster = try await ControllerTestCluster(controllers: { [make($0)] })
        do {
            try await cluster.context.informers.waitForSync()
            try await body(cluster)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    // MARK: - Objects

    func pod(_ name: String) async throws -> CoreV1.Pod? {
        do {
            return try await client.resource(CoreV1.Pod.self, namespace: namespace).get(name)
        } catch let error as APIStatusError where error.isNotFound {
            return nil
        }
    }

    func claims() async throws -> [CoreV1.PersistentVolumeClaim] {
        try await client.resource(CoreV1.PersistentVolumeClaim.self, namespace: namespace).list().items
    }

    func revisions() async throws -> [AppsV1.ControllerRevision] {
        try await client.resource(AppsV1.ControllerRevision.self, namespace: namespace).list().items
    }

    @discardableResult
    func create<Object: KubeObject>(_ object: Object) async throws -> Object {
        try await client.resource(Object.self, namespace: object.metadata.namespace ?? namespace).create(object)
    }

    /// Creates a fixture as a client would send it: without the UID and generation the fixture
    /// carries for tests that never reach the server.
    func submit<Object: KubeObject>(_ object: Object) async throws {
        var object = object
        object.metadata.uid = nil
        object.metadata.generation = nil
        try await create(object)
    }

    func statefulSet(_ name: String = "web") async throws -> AppsV1.StatefulSet {
        try await client.resource(AppsV1.StatefulSet.self, namespace: namespace).get(name)
    }

    func daemonSet(_ name: String = "agent") async throws -> AppsV1.DaemonSet {
        try await client.resource(AppsV1.DaemonSet.self, namespace: namespace).get(name)
    }

    /// Changes an object by reading it, applying `change` and writing it back, retrying conflicts.
    @discardableResult
    func modify<Object: KubeObject>(_ type: Object.Type, _ name: String, status: Bool = false,
                                    _ change: @Sendable (inout Object) -> Void) async throws -> Object {
        let resource = client.resource(type, namespace: Object.self == CoreV1.Node.self ? nil : namespace)
        while true {
            var object = try await resource.get(name)
            change(&object)
            do {
                return status ? try await resource.updateStatus(object) : try await resource.update(object)
            } catch let error as APIStatusError where error.isConflict {
                continue
            }
        }
    }

    // MARK: - Scheduler and kubelet

    @discardableResult
    func makeNode(_ name: String, labels: [String: String] = [:], taints: [CoreV1.Taint] = []) async throws -> CoreV1.Node {
        var node = CoreV1.Node()
        node.metadata.name = name
        node.metadata.labels = labels.merging(["kubernetes.io/hostname": name]) { mine, _ in mine }
        node.spec.taints = taints.isEmpty ? nil : taints
        return try await client.resource(CoreV1.Node.self).create(node)
    }

    func deleteNode(_ name: String) async throws {
        try await client.resource(CoreV1.Node.self).delete(name)
    }

    /// Binds a pod through `pods/binding`, as the scheduler does.
    func bind(_ pod: String, to node: String) async throws {
        var binding = CoreV1.Binding()
        binding.metadata.name = pod
        binding.target = CoreV1.ObjectReference(kind: "Node", name: node)
        _ = try await client.resource(CoreV1.Pod.self, namespace: namespace).create(pod, subresource: "binding", body: binding)
    }

    /// Reports the pod Running and Ready (or not ready), as its kubelet would.
    func setRunning(_ pod: String, ready: Bool = true, phase: String = "Running") async throws {
        try await modify(CoreV1.Pod.self, pod, status: true) { pod in
            pod.status.phase = phase
            pod.status.conditions = [CoreV1.PodCondition(lastTransitionTime: Time(Date()), type: "Ready",
                                                         status: ready ? "True" : "False")]
        }
    }

    /// Ends a graceful deletion, as the kubelet does once the containers stopped.
    func finishDeletion(_ pod: String) async throws {
        do {
            try await client.resource(CoreV1.Pod.self, namespace: namespace).delete(pod, options: MetaV1.DeleteOptions(gracePeriodSeconds: 0))
        } catch let error as APIStatusError where error.isNotFound {
            return
        }
    }

    // MARK: - Waiting

    /// Polls `condition` until it holds; fails the test after `timeout`.
    func waitUntil(_ what: String, timeout: Duration = .seconds(15),
                    _ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
        throw WaitTimeout(what: what)
    }

    /// Checks that `condition` stays true for `period`.
    func stays(_ what: String, for period: Duration = .milliseconds(300), _ condition: () async throws -> Bool,
               sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + period
        while ContinuousClock.now < deadline {
            if !(try await condition()) {
                Issue.record("no longer true: \(what)", sourceLocation: sourceLocation)
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

struct WaitTimeout: Error {
    var what: String
}

extension CoreV1.Pod {
    var name: String { metadata.name ?? "" }
}
