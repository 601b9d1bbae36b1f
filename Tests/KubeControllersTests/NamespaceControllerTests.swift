import Foundation
import KubeClient
@testable import KubeControllers
import KubeModel
import Testing

@Suite("Namespace controller")
struct NamespaceControllerTests {
    func controllers(_ context: ControllerContext) -> [any Controller] { [NamespaceController(context: context)] }

    @Test("deleting a namespace deletes its content, then the namespace")
    func deletesContent() async throws {
        let cluster = try await TestAPIServer.make()
        try await cluster.makeNamespace("doomed")
        var configMap = CoreV1.ConfigMap()
        configMap.metadata.name = "settings"
        _ = try await cluster.resource(CoreV1.ConfigMap.self, "doomed").create(configMap)
        var secret = CoreV1.Secret()
        secret.metadata.name = "token"
        _ = try await cluster.resource(CoreV1.Secret.self, "doomed").create(secret)
        _ = try await cluster.resource(CoreV1.Pod.self, "doomed").create(makePod("worker", namespace: "doomed"))
        let namespaces = cluster.resource(CoreV1.Namespace.self)

        try await cluster.running(controllers) {
            try await namespaces.delete("doomed")
            try await eventually("the namespace is never removed") { try await isGone(namespaces, "doomed") }
            #expect(try await cluster.resource(CoreV1.Pod.self, "doomed").list().items.isEmpty)
            #expect(try await cluster.resource(CoreV1.ConfigMap.self, "doomed").list().items.isEmpty)
            #expect(try await cluster.resource(CoreV1.Secret.self, "doomed").list().items.isEmpty)
        }
    }

    @Test("the API server keeps a deleted namespace Terminating until it is finalized")
    func terminatingWithoutController() async throws {
        let cluster = try await TestAPIServer.make()
        try await cluster.makeNamespace("waiting")
        let namespaces = cluster.resource(CoreV1.Namespace.self)
        try await namespaces.delete("waiting")
        let namespace = try await namespaces.get("waiting")
        #expect(namespace.status.phase == "Terminating")
        #expect(namespace.metadata.deletionTimestamp != nil)
        #expect(namespace.spec.finalizers == ["kubernetes"])
        // Nothing new may be created in it.
        await #expect(throws: APIStatusError.self) {
            _ = try await cluster.resource(CoreV1.ConfigMap.self, "waiting").create({ var c = CoreV1.ConfigMap(); c.metadata.name = "late"; return c }())
        }
        // A status write does not delete it while spec finalizers remain.
        var updated = namespace
        updated.status.conditions = [CoreV1.NamespaceCondition(type: "Example", status: "True")]
        _ = try await namespaces.updateStatus(updated)
        #expect(try await isGone(namespaces, "waiting") == false)
        // Removing the last spec finalizer deletes it.
        var finalized = try await namespaces.get("waiting")
        finalized.spec.finalizers = []
        _ = try await namespaces.update(finalized, subresource: "finalize")
        #expect(try await isGone(namespaces, "waiting"))
    }

    @Test("content held by finalizers is reported in the namespace conditions")
    func conditionsReportFinalizers() async throws {
        let cluster = try await TestAPIServer.make()
        try await cluster.makeNamespace("held")
        let configMaps = cluster.resource(CoreV1.ConfigMap.self, "held")
        var configMap = CoreV1.ConfigMap()
        configMap.metadata.name = "precious"
        configMap.metadata.finalizers = ["example.com/hold"]
        _ = try await configMaps.create(configMap)
        let namespaces = cluster.resource(CoreV1.Namespace.self)

        try await cluster.running(controllers) {
            try await namespaces.delete("held")
            try await eventually("the remaining content is not reported") {
                let conditions = try await namespaces.get("held").status.conditions ?? []
                return conditions.contains { $0.type == "NamespaceFinalizersRemaining" && $0.status == "True" }
            }
            let conditions = try await namespaces.get("held").status.conditions ?? []
            let byType = Dictionary(uniqueKeysWithValues: conditions.map { ($0.type, $0) })
            #expect(byType["NamespaceContentRemaining"]?.message == "Some resources are remaining: configmaps. has 1 resource instances")
            #expect(byType["NamespaceContentRemaining"]?.reason == "SomeResourcesRemain")
            #expect(byType["NamespaceFinalizersRemaining"]?.message
                    == "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances")
            #expect(byType["NamespaceDeletionDiscoveryFailure"]?.status == "False")
            #expect(byType["NamespaceDeletionDiscoveryFailure"]?.reason == "ResourcesDiscovered")
            #expect(byType["NamespaceDeletionContentFailure"]?.status == "False")
            #expect(try await configMaps.get("precious").metadata.deletionTimestamp != nil)

            // Once the finalizer goes, the namespace follows (a label change makes it look again).
            var release = try await configMaps.get("precious")
            release.metadata.finalizers = nil
            _ = try await configMaps.update(release)
            var touched = try await namespaces.get("held")
            touched.metadata.labels = ["touched": "yes"]
            _ = try await namespaces.update(touched)
            try await eventually("the namespace is never removed") { try await isGone(namespaces, "held") }
        }
    }
}
