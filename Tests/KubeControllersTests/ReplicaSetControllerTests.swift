import Foundation
import Testing
import KubeClient
@testable import KubeControllers
import KubeModel

@Suite("ReplicaSet controller")
struct ReplicaSetControllerTests {
    static func replicaSet(_ name: String, replicas: Int) -> AppsV1.ReplicaSet {
        var replicaSet = AppsV1.ReplicaSet()
        replicaSet.metadata.name = name
        replicaSet.spec = AppsV1.ReplicaSetSpec(replicas: replicas, selector: MetaV1.LabelSelector(matchLabels: ["app": name]),
                                                template: ControllerTestCluster.template(app: name))
        return replicaSet
    }

    @Test("creates owned pods up to replicas, scales down, reports status")
    func convergence() async throws {
        let cluster = try await ControllerTestCluster { [ReplicaSetController<AppsV1.ReplicaSet>(context: $0)] }
        let resource = cluster.client.resource(AppsV1.ReplicaSet.self, namespace: "default")
        let created = try await resource.create(Self.replicaSet("web", replicas: 3))
        #expect(try await cluster.eventually { try await cluster.pods(selector: "app=web").count == 3 })
        let pods = try await cluster.pods(selector: "app=web")
        #expect(pods.allSatisfy { $0.isControlled(by: created) && ($0.metadata.name ?? "").hasPrefix("web-") })

        try await cluster.markPodsReady()
        #expect(try await cluster.eventually {
            let status = try await resource.get("web").status
            return status.readyReplicas == 3 && status.availableReplicas == 3 && status.observedGeneration == 1
        })

        // The controller writes status too: retry the read-modify-write on conflict.
        #expect(try await cluster.eventually {
            var current = try await resource.get("web")
            current.spec.replicas = 1
            do { _ = try await resource.update(current) } catch let error as APIStatusError where error.isConflict { return false }
            return true
        })
        #expect(try await cluster.eventually {
            try await cluster.pods(selector: "app=web").filter(\.isActive).count == 1
        })
        #expect(try await cluster.eventually { try await resource.get("web").status.replicas == 1 })
        await cluster.stop()
    }

    @Test("never overshoots while its own creations are in flight")
    func noOvershoot() async throws {
        let cluster = try await ControllerTestCluster { [ReplicaSetController<AppsV1.ReplicaSet>(context: $0)] }
        let resource = cluster.client.resource(AppsV1.ReplicaSet.self, namespace: "default")
        _ = try await resource.create(Self.replicaSet("burst", replicas: 40))
        #expect(try await cluster.eventually { try await resource.get("burst").status.replicas == 40 })
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await cluster.pods(selector: "app=burst").count == 40)
        await cluster.stop()
    }

    @Test("releases a pod whose labels stop matching and replaces it")
    func release() async throws {
        let cluster = try await ControllerTestCluster { [ReplicaSetController<AppsV1.ReplicaSet>(context: $0)] }
        let resource = cluster.client.resource(AppsV1.ReplicaSet.self, namespace: "default")
        _ = try await resource.create(Self.replicaSet("api", replicas: 2))
        #expect(try await cluster.eventually { try await cluster.pods(selector: "app=api").count == 2 })
        let podClient = cluster.client.resource(CoreV1.Pod.self, namespace: "default")
        let victim = try #require(try await cluster.pods(selector: "app=api").first?.metadata.name)
        _ = try await podClient.patch(victim, type: .merge, body: ["metadata": ["labels": ["app": "debug"]]])
        #expect(try await cluster.eventually {
            let released = try await podClient.get(victim)
            return released.controllerReference == nil
        })
        #expect(try await cluster.eventually { try await cluster.pods(selector: "app=api").count == 2 })
        await cluster.stop()
    }
}
