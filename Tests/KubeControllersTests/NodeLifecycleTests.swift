import Foundation
import KubeClient
@testable import KubeControllers
import KubeModel
import Testing

@Suite("Node lifecycle and taint eviction")
struct NodeLifecycleTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    func lifecycle(_ context: ControllerContext) -> [any Controller] { [NodeLifecycleController(context: context)] }

    func settings() -> ControllerSettings {
        var settings = ControllerSettings()
        settings.nodeMonitorGracePeriod = .seconds(40)
        settings.nodeMonitorPeriod = .seconds(5)
        return settings
    }

    func renewLease(_ cluster: TestAPIServer, _ node: String, at time: Date) async throws {
        let leases = cluster.resource(CoordinationV1.Lease.self, "kube-node-lease")
        if var lease = try? await leases.get(node) {
            lease.spec.renewTime = MicroTime(time)
            _ = try await leases.update(lease)
        } else {
            var lease = CoordinationV1.Lease()
            lease.metadata.name = node
            lease.spec.holderIdentity = node
            lease.spec.leaseDurationSeconds = 40
            lease.spec.renewTime = MicroTime(time)
            _ = try await leases.create(lease)
        }
    }

    /// Advances the manual clock in monitor periods (with real pauses so the controller acts)
    /// until `condition` holds.
    func advance(_ clock: ManualClock, by step: Duration = .seconds(5), upTo steps: Int = 40, each: () async throws -> Void = {},
                 until condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<steps {
            if try await condition() { return true }
            try await each()
            clock.advance(by: step)
            try await Task.sleep(for: .milliseconds(30))
        }
        return try await condition()
    }

    func readyCondition(_ cluster: TestAPIServer, _ name: String) async throws -> CoreV1.NodeCondition? {
        try await cluster.resource(CoreV1.Node.self).get(name).status.conditions?.first { $0.type == "Ready" }
    }

    func taints(_ cluster: TestAPIServer, _ name: String) async throws -> Set<String> {
        Set((try await cluster.resource(CoreV1.Node.self).get(name).spec.taints ?? []).map { "\($0.key):\($0.effect)" })
    }

    @Test("renewed Leases keep a node Ready; silence makes it Unknown, tainted, its pods not ready")
    func leaseStops() async throws {
        let clock = ManualClock(now: Self.start)
        let cluster = try await TestAPIServer.make(now: { clock.now() })
        try await cluster.makeNode("node-a", ready: "True", heartbeat: Self.start)
        try await renewLease(cluster, "node-a", at: Self.start)
        _ = try await cluster.resource(CoreV1.Pod.self, "default").create({
            var pod = makePod("on-a", namespace: "default")
            pod.spec.nodeName = "node-a"
            return pod
        }())
        try await cluster.setPodStatus("default", "on-a", ip: "10.42.0.2", ready: true)

        try await cluster.running(clock: clock, settings: settings(), lifecycle) {
            // 90 s of renewed Leases: still Ready.
            _ = try await advance(clock, upTo: 18, each: { try await renewLease(cluster, "node-a", at: clock.now()) }, until: { false })
            #expect(try await readyCondition(cluster, "node-a")?.status == "True")
            #expect(try await taints(cluster, "node-a").isEmpty)

            // Then nothing: Unknown after the grace period.
            let silentSince = clock.now()
            let unknown = try await advance(clock) { try await readyCondition(cluster, "node-a")?.status == "Unknown" }
            #expect(unknown)
            #expect(clock.now().timeIntervalSince(silentSince) >= 40)
            let ready = try #require(try await readyCondition(cluster, "node-a"))
            #expect(ready.reason == "NodeStatusUnknown")
            #expect(ready.message == "Kubelet stopped posting node status.")
            let conditions = try await cluster.resource(CoreV1.Node.self).get("node-a").status.conditions ?? []
            for type in ["MemoryPressure", "DiskPressure", "PIDPressure"] {
                let condition = conditions.first { $0.type == type }
                #expect(condition?.status == "Unknown")
                #expect(condition?.reason == "NodeStatusNeverUpdated")
            }
            try await eventually("no unreachable taints") {
                try await taints(cluster, "node-a") == ["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"]
            }
            try await eventually("the pod on the node stays ready") {
                try await cluster.resource(CoreV1.Pod.self, "default").get("on-a").isReady == false
            }

            // The kubelet comes back and reports Ready: the taints go.
            var node = try await cluster.resource(CoreV1.Node.self).get("node-a")
            node.status.conditions = node.status.conditions?.map { condition in
                var condition = condition
                if condition.type == "Ready" {
                    condition.status = "True"
                    condition.lastHeartbeatTime = Time.wholeSeconds(clock.now())
                }
                return condition
            }
            _ = try await cluster.resource(CoreV1.Node.self).updateStatus(node)
            try await eventually("taints stay on a ready node") { try await taints(cluster, "node-a").isEmpty }
        }
    }

    @Test("taints follow the conditions the kubelet reports and spec.unschedulable", arguments: [
        (conditions: [("Ready", "False")], unschedulable: false,
         expected: ["node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule"]),
        (conditions: [("Ready", "True"), ("MemoryPressure", "True"), ("DiskPressure", "True")], unschedulable: false,
         expected: ["node.kubernetes.io/memory-pressure:NoSchedule", "node.kubernetes.io/disk-pressure:NoSchedule"]),
        (conditions: [("Ready", "True"), ("PIDPressure", "True"), ("NetworkUnavailable", "True")], unschedulable: true,
         expected: ["node.kubernetes.io/pid-pressure:NoSchedule", "node.kubernetes.io/network-unavailable:NoSchedule",
                    "node.kubernetes.io/unschedulable:NoSchedule"]),
        (conditions: [("Ready", "True")], unschedulable: false, expected: []),
    ])
    func conditionTaints(conditions: [(String, String)], unschedulable: Bool, expected: [String]) async throws {
        let cluster = try await TestAPIServer.make()
        var node = try await cluster.makeNode("node-b")
        node.spec.unschedulable = unschedulable
        node.spec.taints = [CoreV1.Taint(effect: "NoSchedule", key: "example.com/own")]
        node = try await cluster.resource(CoreV1.Node.self).update(node)
        node.status.conditions = conditions.map {
            CoreV1.NodeCondition(lastHeartbeatTime: Time.wholeSeconds(Date()), type: $0.0, status: $0.1)
        }
        _ = try await cluster.resource(CoreV1.Node.self).updateStatus(node)
        try await cluster.running(lifecycle) {
            try await eventually("taints do not match the conditions") {
                try await taints(cluster, "node-b") == Set(expected + ["example.com/own:NoSchedule"])
            }
            let added = try await cluster.resource(CoreV1.Node.self).get("node-b").spec.taints ?? []
            #expect(added.filter { $0.key != "example.com/own" }.allSatisfy { $0.timeAdded != nil })
        }
    }

    func eviction(_ context: ControllerContext) -> [any Controller] { [TaintEvictionController(context: context)] }

    @Test("NoExecute taints evict at once, after tolerationSeconds, or never")
    func taintEviction() async throws {
        let clock = ManualClock(now: Self.start)
        let cluster = try await TestAPIServer.make(now: { clock.now() })
        try await cluster.makeNode("node-c", ready: "True", heartbeat: Self.start)
        let pods = cluster.resource(CoreV1.Pod.self, "default")
        func boundPod(_ name: String, tolerations: [CoreV1.Toleration]) async throws {
            var pod = makePod(name, namespace: "default")
            pod.spec.nodeName = "node-c"
            pod.spec.tolerations = tolerations
            _ = try await pods.create(pod)
        }
        let broken = "example.com/broken"
        try await boundPod("intolerant", tolerations: [])
        try await boundPod("patient", tolerations: [CoreV1.Toleration(effect: "NoExecute", key: broken, operator: "Exists", tolerationSeconds: 30)])
        try await boundPod("forever", tolerations: [CoreV1.Toleration(effect: "NoExecute", key: broken, operator: "Exists")])

        try await cluster.running(clock: clock, eviction) {
            var node = try await cluster.resource(CoreV1.Node.self).get("node-c")
            node.spec.taints = [CoreV1.Taint(effect: "NoExecute", key: broken, timeAdded: Time.wholeSeconds(clock.now()))]
            _ = try await cluster.resource(CoreV1.Node.self).update(node)
            try await eventually("the pod that does not tolerate the taint stays") {
                try await pods.get("intolerant").metadata.deletionTimestamp != nil
            }
            let evicted = try await pods.get("intolerant")
            #expect(evicted.status.conditions?.first { $0.type == "DisruptionTarget" }?.reason == "DeletionByTaintManager")
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await pods.get("patient").metadata.deletionTimestamp == nil)

            let waited = try await advance(clock, upTo: 10) { try await pods.get("patient").metadata.deletionTimestamp != nil }
            #expect(waited)
            #expect(clock.now().timeIntervalSince(Self.start) >= 30)
            #expect(try await pods.get("forever").metadata.deletionTimestamp == nil)
        }
    }

    @Test("removing the taint cancels a pending eviction")
    func cancelledEviction() async throws {
        let clock = ManualClock(now: Self.start)
        let cluster = try await TestAPIServer.make(now: { clock.now() })
        try await cluster.makeNode("node-d")
        let pods = cluster.resource(CoreV1.Pod.self, "default")
        var pod = makePod("patient", namespace: "default")
        pod.spec.nodeName = "node-d"
        pod.spec.tolerations = [CoreV1.Toleration(effect: "NoExecute", key: "example.com/broken", operator: "Exists", tolerationSeconds: 30)]
        _ = try await pods.create(pod)
        try await cluster.running(clock: clock, eviction) {
            var node = try await cluster.resource(CoreV1.Node.self).get("node-d")
            node.spec.taints = [CoreV1.Taint(effect: "NoExecute", key: "example.com/broken")]
            _ = try await cluster.resource(CoreV1.Node.self).update(node)
            _ = try await advance(clock, upTo: 3, until: { false })
            node = try await cluster.resource(CoreV1.Node.self).get("node-d")
            node.spec.taints = nil
            _ = try await cluster.resource(CoreV1.Node.self).update(node)
            try await Task.sleep(for: .milliseconds(100))
            _ = try await advance(clock, upTo: 10, until: { false })
            #expect(try await pods.get("patient").metadata.deletionTimestamp == nil)
        }
    }

    @Test("tolerations match taints as upstream's ToleratesTaint", arguments: [
        (CoreV1.Toleration(key: "k", operator: "Exists"), CoreV1.Taint(effect: "NoExecute", key: "k", value: "v"), true),
        (CoreV1.Toleration(key: "k", value: "v"), CoreV1.Taint(effect: "NoExecute", key: "k", value: "v"), true),
        (CoreV1.Toleration(key: "k", value: "w"), CoreV1.Taint(effect: "NoExecute", key: "k", value: "v"), false),
        (CoreV1.Toleration(effect: "NoSchedule", key: "k", operator: "Exists"), CoreV1.Taint(effect: "NoExecute", key: "k"), false),
        (CoreV1.Toleration(operator: "Exists"), CoreV1.Taint(effect: "NoExecute", key: "anything"), true),
        (CoreV1.Toleration(key: "other", operator: "Exists"), CoreV1.Taint(effect: "NoExecute", key: "k"), false),
    ])
    func tolerates(toleration: CoreV1.Toleration, taint: CoreV1.Taint, expected: Bool) {
        #expect(toleration.tolerates(taint) == expected)
    }

    @Test("the shortest tolerationSeconds decides; unbounded tolerations never evict")
    func tolerationMatch() {
        let taints = [CoreV1.Taint(effect: "NoExecute", key: "a"), CoreV1.Taint(effect: "NoExecute", key: "b")]
        #expect(TolerationMatch.of([CoreV1.Toleration(key: "a", operator: "Exists")], for: taints) == .untolerated)
        #expect(TolerationMatch.of([CoreV1.Toleration(operator: "Exists")], for: taints) == .forever)
        #expect(TolerationMatch.of([CoreV1.Toleration(key: "a", operator: "Exists", tolerationSeconds: 60),
                                    CoreV1.Toleration(key: "b", operator: "Exists", tolerationSeconds: 10)], for: taints) == .seconds(10))
        #expect(TolerationMatch.of([CoreV1.Toleration(key: "a", operator: "Exists", tolerationSeconds: -5),
                                    CoreV1.Toleration(key: "b", operator: "Exists")], for: taints) == .seconds(0))
    }
}
