import Foundation
import KubeClient
@testable import KubeControllers
import KubeModel
import Testing

@Suite("ResourceQuota controller")
struct ResourceQuotaControllerTests {
    static let namespace = "quota"

    func quotaController(_ context: ControllerContext) -> [any Controller] { [ResourceQuotaController(context: context)] }

    func quotaStatus(_ cluster: TestAPIServer, _ name: String = "limits") async throws -> CoreV1.ResourceQuotaStatus {
        try await cluster.resource(CoreV1.ResourceQuota.self, Self.namespace).get(name).status
    }

    func pod(_ name: String, cpu: String) throws -> CoreV1.Pod {
        let amount = try Quantity(cpu)
        var pod = makePod(name, namespace: Self.namespace)
        pod.spec.containers[0].resources = CoreV1.ResourceRequirements(limits: ["cpu": amount], requests: ["cpu": amount])
        return pod
    }

    @Test("status.hard follows spec.hard and status.used what the namespace holds, replenished on deletion")
    func usage() async throws {
        let cluster = try await TestAPIServer.make()
        try await cluster.makeNamespace(Self.namespace)
        var settings = CoreV1.ConfigMap()
        settings.metadata.name = "existing"
        _ = try await cluster.resource(CoreV1.ConfigMap.self, Self.namespace).create(settings)
        var quota = CoreV1.ResourceQuota()
        quota.metadata.name = "limits"
        quota.spec.hard = ["pods": Quantity("5"), "count/pods": Quantity("10"),
                           "requests.cpu": Quantity("2"), "configmaps": Quantity("3"),
                           "services": Quantity("2"), "count/deployments.apps": Quantity("1")]
        _ = try await cluster.resource(CoreV1.ResourceQuota.self, Self.namespace).create(quota)
        let pods = cluster.resource(CoreV1.Pod.self, Self.namespace)
        let hard = quota.spec.hard

        try await cluster.running(quotaController) {
            try await eventually("the quota status is never filled") { try await quotaStatus(cluster).used != nil }
            var current = try await quotaStatus(cluster)
            #expect(current.hard == hard)
            #expect(current.used?["pods"] == .zero)
            #expect(current.used?["configmaps"] == Quantity(value: 1))
            #expect(current.used?["services"] == .zero)
            #expect(current.used?["requests.cpu"] == .zero)
            #expect(current.used?["count/deployments.apps"] == .zero)

            // Admission charges creations; the controller agrees and gives back deletions.
            _ = try await pods.create(try pod("a", cpu: "500m"))
            _ = try await pods.create(try pod("b", cpu: "700m"))
            try await eventually("pods are not counted") { try await quotaStatus(cluster).used?["pods"] == Quantity(value: 2) }
            current = try await quotaStatus(cluster)
            #expect(current.used?["requests.cpu"] == (Quantity("1200m")))
            try await pods.delete("a")
            try await eventually("a deleted pod is not given back") { try await quotaStatus(cluster).used?["pods"] == Quantity(value: 1) }
            #expect(try await quotaStatus(cluster).used?["requests.cpu"] == (Quantity("700m")))

            // A finished pod stops counting toward pods and cpu, but still counts as an object.
            try await cluster.setPodStatus(Self.namespace, "b", ip: nil, ready: false, phase: "Succeeded")
            try await eventually("a finished pod still counts") { try await quotaStatus(cluster).used?["pods"] == .zero }
            current = try await quotaStatus(cluster)
            #expect(current.used?["count/pods"] == Quantity(value: 1))
            #expect(current.used?["requests.cpu"] == .zero)

            // Changing the limits updates status.hard.
            var changed = try await cluster.resource(CoreV1.ResourceQuota.self, Self.namespace).get("limits")
            changed.spec.hard?["pods"] = Quantity("7")
            _ = try await cluster.resource(CoreV1.ResourceQuota.self, Self.namespace).update(changed)
            try await eventually("status.hard does not follow spec.hard") {
                try await quotaStatus(cluster).hard?["pods"] == Quantity(value: 7)
            }
        }
    }

    @Test("scoped quotas count only the pods in scope")
    func scopes() async throws {
        let cluster = try await TestAPIServer.make()
        try await cluster.makeNamespace(Self.namespace)
        var quota = CoreV1.ResourceQuota()
        quota.metadata.name = "best-effort"
        quota.spec.hard = ["pods": Quantity("5")]
        quota.spec.scopes = ["BestEffort"]
        _ = try await cluster.resource(CoreV1.ResourceQuota.self, Self.namespace).create(quota)
        try await cluster.running(quotaController) {
            try await eventually("the quota status is never filled") { try await quotaStatus(cluster, "best-effort").used != nil }
            _ = try await cluster.resource(CoreV1.Pod.self, Self.namespace).create(makePod("plain", namespace: Self.namespace))
            _ = try await cluster.resource(CoreV1.Pod.self, Self.namespace).create(try pod("sized", cpu: "100m"))
            try await eventually("the best-effort pod is not counted") {
                try await quotaStatus(cluster, "best-effort").used?["pods"] == Quantity(value: 1)
            }
            // A full resync agrees.
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await quotaStatus(cluster, "best-effort").used?["pods"] == Quantity(value: 1))
        }
    }
}
