import Foundation
import KubeClient
@testable import KubeControllers
import KubeModel
import Testing

@Suite("Garbage collector")
struct GarbageCollectorTests {
    static let namespace = "gc"

    /// A ReplicaSet and `count` pods it controls.
    func makeOwnerAndPods(_ cluster: TestAPIServer, count: Int = 2, blocking: Bool = true)
        async throws -> (AppsV1.ReplicaSet, [CoreV1.Pod]) {
        try await cluster.makeNamespace(Self.namespace)
        var replicaSet = AppsV1.ReplicaSet()
        replicaSet.metadata.name = "web"
        replicaSet.spec.replicas = 0
        replicaSet.spec.selector = MetaV1.LabelSelector(matchLabels: ["app": "web"])
        replicaSet.spec.template = CoreV1.PodTemplateSpec(metadata: MetaV1.ObjectMeta(labels: ["app": "web"]),
                                                          spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: "busybox", name: "main")]))
        replicaSet = try await cluster.resource(AppsV1.ReplicaSet.self, Self.namespace).create(replicaSet)
        var reference = replicaSet.makeControllerReference()
        reference.blockOwnerDeletion = blocking
        var pods: [CoreV1.Pod] = []
        for index in 0..<count {
            pods.append(try await cluster.resource(CoreV1.Pod.self, Self.namespace).create(
                makePod("web-\(index)", namespace: Self.namespace, labels: ["app": "web"], owners: [reference])))
        }
        return (replicaSet, pods)
    }

    func collector(_ context: ControllerContext) -> [any Controller] { [GarbageCollector(context: context)] }

    /// A cluster with the test namespace, and the ConfigMaps client of that namespace.
    func clusterWithNamespace() async throws -> (TestAPIServer, ResourceClient<CoreV1.ConfigMap>) {
        let cluster = try await TestAPIServer.make()
        try await cluster.makeNamespace(Self.namespace)
        return (cluster, cluster.resource(CoreV1.ConfigMap.self, Self.namespace))
    }

    /// A ConfigMap in the test namespace owned through `owners` (kind, name, uid).
    @discardableResult
    func makeConfigMap(_ cluster: TestAPIServer, _ name: String, owners: [(kind: String, name: String, uid: String)] = [])
        async throws -> CoreV1.ConfigMap {
        var configMap = CoreV1.ConfigMap()
        configMap.metadata.name = name
        if !owners.isEmpty {
            configMap.metadata.ownerReferences = owners.map { MetaV1.OwnerReference(apiVersion: "v1", kind: $0.kind, name: $0.name, uid: $0.uid) }
        }
        return try await cluster.resource(CoreV1.ConfigMap.self, Self.namespace).create(configMap)
    }

    @Test("background deletion removes the dependents after the owner")
    func background() async throws {
        let cluster = try await TestAPIServer.make()
        let pods = cluster.resource(CoreV1.Pod.self, Self.namespace)
        let (replicaSet, _) = try await makeOwnerAndPods(cluster)
        try await cluster.running(collector) {
            try await cluster.resource(AppsV1.ReplicaSet.self, Self.namespace).delete(
                replicaSet.metadata.name!, options: .with(propagationPolicy: PropagationPolicy.background))
            try await eventually("pods of a deleted ReplicaSet remain") { try await pods.list().items.isEmpty }
        }
    }

    @Test("orphan propagation keeps the dependents and removes their owner references")
    func orphan() async throws {
        let cluster = try await TestAPIServer.make()
        let pods = cluster.resource(CoreV1.Pod.self, Self.namespace)
        let replicaSets = cluster.resource(AppsV1.ReplicaSet.self, Self.namespace)
        let (replicaSet, _) = try await makeOwnerAndPods(cluster)
        try await cluster.running(collector) {
            try await replicaSets.delete(replicaSet.metadata.name!, options: .with(propagationPolicy: PropagationPolicy.orphan))
            try await eventually("the orphaning owner is never deleted") { try await isGone(replicaSets, "web") }
            let remaining = try await pods.list().items
            #expect(remaining.count == 2)
            #expect(remaining.allSatisfy { ($0.metadata.ownerReferences ?? []).isEmpty })
            // Orphans stay: nothing comes back for them later.
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await pods.list().items.count == 2)
        }
    }

    @Test("foreground deletion deletes dependents first and waits for blocking ones")
    func foreground() async throws {
        let cluster = try await TestAPIServer.make()
        let pods = cluster.resource(CoreV1.Pod.self, Self.namespace)
        let replicaSets = cluster.resource(AppsV1.ReplicaSet.self, Self.namespace)
        let (replicaSet, created) = try await makeOwnerAndPods(cluster)
        // One pod is held by a finalizer of its own, so it stays terminating.
        var held = created[0]
        held.metadata.finalizers = ["example.com/hold"]
        held = try await pods.update(held)
        let heldName = held.metadata.name!
        try await cluster.running(collector) {
            try await replicaSets.delete(replicaSet.metadata.name!, options: .with(propagationPolicy: PropagationPolicy.foreground))
            let owner = try await replicaSets.get("web")
            #expect(owner.metadata.finalizers == ["foregroundDeletion"])
            #expect(owner.metadata.deletionTimestamp != nil)
            try await eventually("the free pod is not deleted") { try await isGone(pods, created[1].metadata.name!) }
            try await eventually("the held pod is not marked for deletion") {
                try await pods.get(heldName).metadata.deletionTimestamp != nil
            }
            // The owner waits for the blocking dependent.
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await replicaSets.get("web").metadata.finalizers == ["foregroundDeletion"])
            var release = try await pods.get(heldName)
            release.metadata.finalizers = nil
            _ = try await pods.update(release)
            try await eventually("the owner is not deleted after its dependents") { try await isGone(replicaSets, "web") }
        }
    }

    @Test("foreground deletion does not wait for dependents that do not block it")
    func foregroundNonBlocking() async throws {
        let cluster = try await TestAPIServer.make()
        let pods = cluster.resource(CoreV1.Pod.self, Self.namespace)
        let replicaSets = cluster.resource(AppsV1.ReplicaSet.self, Self.namespace)
        let (replicaSet, created) = try await makeOwnerAndPods(cluster, count: 1, blocking: false)
        var held = created[0]
        held.metadata.finalizers = ["example.com/hold"]
        held = try await pods.update(held)
        let heldName = held.metadata.name!
        try await cluster.running(collector) {
            try await replicaSets.delete(replicaSet.metadata.name!, options: .with(propagationPolicy: PropagationPolicy.foreground))
            try await eventually("the owner waits for a dependent that does not block it") { try await isGone(replicaSets, "web") }
            try await eventually("the dependent is never deleted") {
                try await pods.get(heldName).metadata.deletionTimestamp != nil
            }
        }
    }

    @Test("a dependent whose only owner never existed is deleted")
    func danglingOwner() async throws {
        let (cluster, configMaps) = try await clusterWithNamespace()
        try await makeConfigMap(cluster, "child", owners: [("ConfigMap", "ghost", "no-such-uid")])
        try await cluster.running(collector) {
            try await eventually("a dependent of a missing owner survives") { try await isGone(configMaps, "child") }
        }
    }

    @Test("a live owner keeps a dependent; only the dangling reference is dropped")
    func mixedOwners() async throws {
        let (cluster, configMaps) = try await clusterWithNamespace()
        let ownerUID = try await makeConfigMap(cluster, "owner").metadata.uid!
        try await makeConfigMap(cluster, "child", owners: [("ConfigMap", "owner", ownerUID), ("ConfigMap", "ghost", "no-such-uid")])
        try await cluster.running(collector) {
            try await eventually("the dangling reference stays") {
                try await configMaps.get("child").metadata.ownerReferences?.map(\.uid) == [ownerUID]
            }
            // Deleting the last owner now collects the dependent.
            try await configMaps.delete("owner")
            try await eventually("the dependent outlives its last owner") { try await isGone(configMaps, "child") }
        }
    }

    @Test("an owner with the same name but another UID does not keep a dependent")
    func replacedOwner() async throws {
        let (cluster, configMaps) = try await clusterWithNamespace()
        try await makeConfigMap(cluster, "owner")
        try await makeConfigMap(cluster, "child", owners: [("ConfigMap", "owner", "an-older-uid")])
        try await cluster.running(collector) {
            try await eventually("a dependent of a replaced owner survives") { try await isGone(configMaps, "child") }
            #expect(try await isGone(configMaps, "owner") == false)
        }
    }

    @Test("cluster-scoped owners collect namespaced dependents")
    func clusterScopedOwner() async throws {
        let (cluster, configMaps) = try await clusterWithNamespace()
        let node = try await cluster.makeNode("node-a")
        try await makeConfigMap(cluster, "child", owners: [("Node", "node-a", node.metadata.uid!)])
        try await cluster.running(collector) {
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await isGone(configMaps, "child") == false)
            try await cluster.resource(CoreV1.Node.self).delete("node-a")
            try await eventually("the dependent of a deleted node survives") { try await isGone(configMaps, "child") }
        }
    }

    @Test("chains collect transitively: owner → ReplicaSet → pods")
    func chain() async throws {
        let cluster = try await TestAPIServer.make()
        let pods = cluster.resource(CoreV1.Pod.self, Self.namespace)
        let (replicaSet, _) = try await makeOwnerAndPods(cluster)
        let configMaps = cluster.resource(CoreV1.ConfigMap.self, Self.namespace)
        let root = try await makeConfigMap(cluster, "root")
        var owned = replicaSet
        owned.metadata.ownerReferences = [MetaV1.OwnerReference(apiVersion: "v1", kind: "ConfigMap", blockOwnerDeletion: true,
                                                                name: "root", uid: root.metadata.uid!)]
        _ = try await cluster.resource(AppsV1.ReplicaSet.self, Self.namespace).update(owned)
        try await cluster.running(collector) {
            try await configMaps.delete("root", options: .with(propagationPolicy: PropagationPolicy.foreground))
            try await eventually("the chain is not collected") {
                guard try await isGone(configMaps, "root") else { return false }
                return try await pods.list().items.isEmpty
            }
            #expect(try await isGone(cluster.resource(AppsV1.ReplicaSet.self, Self.namespace), "web"))
        }
    }
}
