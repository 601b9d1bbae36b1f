import Foundation
import Testing
import KubeClient
@testable import KubeControllers
import KubeModel

@Suite("Deployment controller")
struct DeploymentControllerTests {
    static func deployment(replicas: Int, strategy: String = "RollingUpdate") -> AppsV1.Deployment {
        var deployment = AppsV1.Deployment()
        deployment.metadata.name = "web"
        deployment.spec = AppsV1.DeploymentSpec(replicas: replicas, selector: MetaV1.LabelSelector(matchLabels: ["app": "web"]),
                                                strategy: AppsV1.DeploymentStrategy(type: strategy),
                                                template: ControllerTestCluster.template(app: "web"))
        return deployment
    }

    static func start() async throws -> ControllerTestCluster {
        try await ControllerTestCluster { context in
            [ReplicaSetController<AppsV1.ReplicaSet>(context: context), DeploymentController(context: context)]
        }
    }

    /// Acts as the kubelets until `done` holds: pods become ready, deleted pods go away. Returns
    /// the largest number of pods seen at once.
    static func converge(_ cluster: ControllerTestCluster, until done: () async throws -> Bool) async throws -> (Bool, Int) {
        let pods = cluster.client.resource(CoreV1.Pod.self, namespace: "default")
        var peak = 0
        let reached = try await cluster.eventually(timeout: .seconds(20)) {
            let current = try await cluster.pods()
            peak = max(peak, current.count)
            for pod in current where pod.isTerminating { try? await pods.delete(pod.metadata.name ?? "", options: .with(gracePeriodSeconds: 0)) }
            try await cluster.markPodsReady()
            return try await done()
        }
        return (reached, peak)
    }

    /// Read-modify-write of the Deployment, retried when the controller wrote it in between.
    static func change(_ cluster: ControllerTestCluster, _ edit: (inout AppsV1.Deployment) -> Void) async throws {
        let resource = cluster.client.resource(AppsV1.Deployment.self, namespace: "default")
        for _ in 0..<20 {
            var deployment = try await resource.get("web")
            edit(&deployment)
            do {
                _ = try await resource.update(deployment)
                return
            } catch let error as APIStatusError where error.isConflict {
                continue
            }
        }
        Issue.record("the Deployment kept changing under the test")
    }

    static func isRolledOut(_ cluster: ControllerTestCluster, image: String) async throws -> Bool {
        let deployment = try await cluster.client.resource(AppsV1.Deployment.self, namespace: "default").get("web")
        let replicas = deployment.spec.replicas ?? 1
        let status = deployment.status
        let pods = try await cluster.pods().filter(\.isActive)
        return status.observedGeneration == deployment.metadata.generation && status.updatedReplicas == replicas
            && status.replicas == replicas && status.availableReplicas == replicas
            && pods.count == replicas && pods.allSatisfy { $0.spec.containers.first?.image == image }
    }

    @Test("a rolling update replaces every pod within maxSurge and records revisions")
    func rollingUpdate() async throws {
        let cluster = try await Self.start()
        let resource = cluster.client.resource(AppsV1.Deployment.self, namespace: "default")
        _ = try await resource.create(Self.deployment(replicas: 4))
        #expect(try await Self.converge(cluster) { try await Self.isRolledOut(cluster, image: "busybox:1") }.0)

        try await Self.change(cluster) { $0.spec.template.spec?.containers[0].image = "busybox:2" }
        let (reached, peak) = try await Self.converge(cluster) { try await Self.isRolledOut(cluster, image: "busybox:2") }
        #expect(reached)
        #expect(peak <= 4 + 1, "25% surge of 4 allows one extra pod")

        let replicaSets = try await cluster.client.resource(AppsV1.ReplicaSet.self, namespace: "default").list().items
        let revisions = Dictionary(uniqueKeysWithValues: replicaSets.map {
            ($0.metadata.annotations?[DeploymentAnnotations.revision] ?? "", $0.spec.replicas ?? -1)
        })
        #expect(revisions == ["1": 0, "2": 4])
        let stored = try await resource.get("web")
        #expect(stored.metadata.annotations?[DeploymentAnnotations.revision] == "2")
        #expect(stored.condition("Progressing")?.reason == "NewReplicaSetAvailable")
        #expect(stored.condition("Available")?.status == "True")
        await cluster.stop()
    }

    @Test("Recreate removes every old pod before creating new ones")
    func recreate() async throws {
        let cluster = try await Self.start()
        let resource = cluster.client.resource(AppsV1.Deployment.self, namespace: "default")
        _ = try await resource.create(Self.deployment(replicas: 3, strategy: "Recreate"))
        #expect(try await Self.converge(cluster) { try await Self.isRolledOut(cluster, image: "busybox:1") }.0)
        try await Self.change(cluster) { $0.spec.template.spec?.containers[0].image = "busybox:2" }
        var mixed = false
        let (reached, _) = try await Self.converge(cluster) {
            let images = Set(try await cluster.pods().filter(\.isActive).compactMap { $0.spec.containers.first?.image })
            if images.count > 1 { mixed = true }
            return try await Self.isRolledOut(cluster, image: "busybox:2")
        }
        #expect(reached)
        #expect(!mixed, "old and new pods never run together")
        await cluster.stop()
    }

    @Test("scaling mid-rollout spreads replicas proportionally")
    func proportionalScaling() async throws {
        let cluster = try await Self.start()
        let resource = cluster.client.resource(AppsV1.Deployment.self, namespace: "default")
        var spec = Self.deployment(replicas: 10)
        spec.spec.strategy?.rollingUpdate = AppsV1.RollingUpdateDeployment(maxSurge: .int(3), maxUnavailable: .int(2))
        _ = try await resource.create(spec)
        #expect(try await Self.converge(cluster) { try await Self.isRolledOut(cluster, image: "busybox:1") }.0)
        // Roll out a template whose pods never become ready, so the rollout stays half way.
        try await Self.change(cluster) { $0.spec.template.spec?.containers[0].image = "busybox:broken" }
        let replicaSets = cluster.client.resource(AppsV1.ReplicaSet.self, namespace: "default")
        #expect(try await cluster.eventually {
            try await replicaSets.list().items.reduce(0) { $0 + ($1.spec.replicas ?? 0) } == 13
        })
        try await Self.change(cluster) { $0.spec.replicas = 20 }
        #expect(try await cluster.eventually {
            let sets = try await replicaSets.list().items
            let total = sets.reduce(0) { $0 + ($1.spec.replicas ?? 0) }
            return total == 23 && sets.allSatisfy { ($0.spec.replicas ?? 0) > 0 }
                && sets.allSatisfy { $0.metadata.annotations?[DeploymentAnnotations.desiredReplicas] == "20" }
        })
        await cluster.stop()
    }
}
