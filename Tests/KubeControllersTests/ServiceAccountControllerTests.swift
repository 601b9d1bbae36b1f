import Foundation
import KubeClient
@testable import KubeControllers
import KubeModel
import Testing

@Suite("ServiceAccount controller and root CA publisher")
struct ServiceAccountControllerTests {
    static let caPEM = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n"

    func controllers(_ context: ControllerContext) -> [any Controller] {
        [ServiceAccountsController(context: context), RootCAPublisher(context: context, rootCA: Self.caPEM)]
    }

    @Test("every namespace gets a default ServiceAccount, recreated when deleted")
    func defaultAccount() async throws {
        let cluster = try await TestAPIServer.make()
        let accounts = cluster.resource(CoreV1.ServiceAccount.self, "team")
        try await cluster.running(controllers) {
            try await eventually("the system namespaces get no default account") {
                try await !isGone(cluster.resource(CoreV1.ServiceAccount.self, "kube-system"), "default")
            }
            try await cluster.makeNamespace("team")
            try await eventually("a new namespace gets no default account") { try await !isGone(accounts, "default") }
            try await accounts.delete("default")
            try await eventually("a deleted default account is not recreated") { try await !isGone(accounts, "default") }
        }
    }

    @Test("every namespace gets kube-root-ca.crt with the cluster CA; edits and deletions are undone")
    func rootCA() async throws {
        let cluster = try await TestAPIServer.make()
        let configMaps = cluster.resource(CoreV1.ConfigMap.self, "team")
        try await cluster.running(controllers) {
            try await cluster.makeNamespace("team")
            try await eventually("a new namespace gets no root CA") { try await !isGone(configMaps, "kube-root-ca.crt") }
            var published = try await configMaps.get("kube-root-ca.crt")
            #expect(published.data == ["ca.crt": Self.caPEM])
            #expect(published.metadata.annotations?["kubernetes.io/description"]?.hasPrefix("Contains a CA bundle") == true)

            published.data = ["ca.crt": "tampered"]
            _ = try await configMaps.update(published)
            try await eventually("an edited root CA is not restored") {
                try await configMaps.get("kube-root-ca.crt").data == ["ca.crt": Self.caPEM]
            }
            try await configMaps.delete("kube-root-ca.crt")
            try await eventually("a deleted root CA is not recreated") { try await !isGone(configMaps, "kube-root-ca.crt") }
        }
    }

    @Test("terminating namespaces get nothing new")
    func terminatingNamespace() async throws {
        let cluster = try await TestAPIServer.make()
        try await cluster.makeNamespace("leaving")
        try await cluster.resource(CoreV1.Namespace.self).delete("leaving")
        try await cluster.running(controllers) {
            try await eventually("the default namespace is not served") {
                try await !isGone(cluster.resource(CoreV1.ServiceAccount.self, "default"), "default")
            }
            #expect(try await isGone(cluster.resource(CoreV1.ServiceAccount.self, "leaving"), "default"))
            #expect(try await isGone(cluster.resource(CoreV1.ConfigMap.self, "leaving"), "kube-root-ca.crt"))
        }
    }
}
