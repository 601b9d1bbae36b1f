import Foundation
import KubeClient
@testable import KubeControllers
import KubeModel
import Testing

@Suite("PodDisruptionBudget controller")
struct DisruptionControllerTests {
    static let namespace = "pdb"

    func disruption(_ context: ControllerContext) -> [any Controller] { [DisruptionController(context: context)] }

    /// A ReplicaSet of `replicas` and that many pods it controls, `ready` of them ready, plus
    /// `unmanaged` pods without a controller.
    func setUp(_ cluster: TestAPIServer, replicas: Int = 4, ready: Int = 3, unmanaged: Int = 0) async throws {
        try await cluster.makeNamespace(Self.namespace)
        var replicaSet = AppsV1.ReplicaSet()
        replicaSet.metadata.name = "web"
        replicaSet.spec.replicas = replicas
        replicaSet.spec.selector = MetaV1.LabelSelector(matchLabels: ["app": "web"])
        replicaSet.spec.template = CoreV1.PodTemplateSpec(metadata: MetaV1.ObjectMeta(labels: ["app": "web"]),
                                                          spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: "busybox", name: "main")]))
        replicaSet = try await cluster.resource(AppsV1.ReplicaSet.self, Self.namespace).create(replicaSet)
        for index in 0..<replicas {
            _ = try await cluster.resource(CoreV1.Pod.self, Self.namespace).create(
                makePod("web-\(index)", namespace: Self.namespace, labels: ["app": "web"], owners: [replicaSet.makeControllerReference()]))
            try await cluster.setPodStatus(Self.namespace, "web-\(index)", ip: "10.42.0.\(index + 2)", ready: index < ready)
        }
        for index in 0..<unmanaged {
            _ = try await cluster.resource(CoreV1.Pod.self, Self.namespace).create(
                makePod("loose-\(index)", namespace: Self.namespace, labels: ["app": "web"]))
            try await cluster.setPodStatus(Self.namespace, "loose-\(index)", ip: "10.42.1.\(index + 2)", ready: true)
        }
    }

    func makeBudget(_ cluster: TestAPIServer, minAvailable: IntOrString? = nil, maxUnavailable: IntOrString? = nil,
                    disrupted: [String: Time]? = nil) async throws {
        var budget = PolicyV1.PodDisruptionBudget()
        budget.metadata.name = "web"
        budget.spec.selector = MetaV1.LabelSelector(matchLabels: ["app": "web"])
        budget.spec.minAvailable = minAvailable
        budget.spec.maxUnavailable = maxUnavailable
        budget = try await cluster.resource(PolicyV1.PodDisruptionBudget.self, Self.namespace).create(budget)
        if let disrupted {
            budget.status.disruptedPods = disrupted
            _ = try await cluster.resource(PolicyV1.PodDisruptionBudget.self, Self.namespace).updateStatus(budget)
        }
    }

    func status(_ cluster: TestAPIServer) async throws -> PolicyV1.PodDisruptionBudgetStatus {
        try await cluster.resource(PolicyV1.PodDisruptionBudget.self, Self.namespace).get("web").status
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var minAvailable: IntOrString?
        var maxUnavailable: IntOrString?
        var expected: Int
        var desired: Int
        var healthy: Int
        var allowed: Int
        var testDescription: String { "min \(minAvailable?.description ?? "-") max \(maxUnavailable?.description ?? "-")" }
    }

    @Test("status from minAvailable and maxUnavailable, numbers and percentages of the scale", arguments: [
        Case(minAvailable: 2, expected: 4, desired: 2, healthy: 3, allowed: 1),
        Case(minAvailable: 3, expected: 4, desired: 3, healthy: 3, allowed: 0),
        Case(minAvailable: "50%", expected: 4, desired: 2, healthy: 3, allowed: 1),
        Case(minAvailable: "60%", expected: 4, desired: 3, healthy: 3, allowed: 0),
        Case(maxUnavailable: 1, expected: 4, desired: 3, healthy: 3, allowed: 0),
        Case(maxUnavailable: "50%", expected: 4, desired: 2, healthy: 3, allowed: 1),
        Case(maxUnavailable: "30%", expected: 4, desired: 2, healthy: 3, allowed: 1),
    ])
    func budgets(_ test: Case) async throws {
        let cluster = try await TestAPIServer.make()
        try await setUp(cluster)
        try await makeBudget(cluster, minAvailable: test.minAvailable, maxUnavailable: test.maxUnavailable)
        try await cluster.running(disruption) {
            try await eventually("the budget status is never written") { try await status(cluster).observedGeneration != nil }
            let current = try await status(cluster)
            #expect(current.expectedPods == test.expected)
            #expect(current.desiredHealthy == test.desired)
            #expect(current.currentHealthy == test.healthy)
            #expect(current.disruptionsAllowed == test.allowed)
            let condition = current.conditions?.first { $0.type == "DisruptionAllowed" }
            #expect(condition?.status == (test.allowed > 0 ? "True" : "False"))
            #expect(condition?.reason == (test.allowed > 0 ? "SufficientPods" : "InsufficientPods"))
        }
    }

    @Test("percentages count managed pods only; a pod turning ready updates the status")
    func unmanagedAndReadiness() async throws {
        let cluster = try await TestAPIServer.make()
        try await setUp(cluster, replicas: 2, ready: 1, unmanaged: 1)
        try await makeBudget(cluster, maxUnavailable: "50%")
        try await cluster.running(disruption) {
            try await eventually("the budget status is never written") { try await status(cluster).expectedPods == 2 }
            #expect(try await status(cluster).currentHealthy == 2)
            #expect(try await status(cluster).desiredHealthy == 1)
            try await cluster.setPodStatus(Self.namespace, "web-1", ip: "10.42.0.3", ready: true)
            try await eventually("readiness is not followed") { try await status(cluster).currentHealthy == 3 }
            #expect(try await status(cluster).disruptionsAllowed == 2)
        }
    }

    @Test("recent evictions count as disrupted; stale entries are pruned")
    func disruptedPods() async throws {
        let cluster = try await TestAPIServer.make()
        try await setUp(cluster, replicas: 3, ready: 3)
        let now = Time.wholeSeconds(Date())
        let stale = Time.wholeSeconds(Date().addingTimeInterval(-300))
        try await makeBudget(cluster, minAvailable: 1, disrupted: ["web-0": now, "web-1": stale, "gone": now])
        try await cluster.running(disruption) {
            try await eventually("the budget status is never written") { try await status(cluster).observedGeneration != nil }
            let current = try await status(cluster)
            #expect(current.disruptedPods == ["web-0": now])
            #expect(current.currentHealthy == 2)
            #expect(current.disruptionsAllowed == 1)
        }
    }
}
