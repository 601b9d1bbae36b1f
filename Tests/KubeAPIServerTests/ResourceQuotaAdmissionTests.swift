import Foundation
import KubeAPIServer
import KubeModel
import Testing

@Suite("Admission: ResourceQuota")
struct ResourceQuotaAdmissionTests {
    typealias F = AdmissionFixtures

    struct CountCase: CustomTestStringConvertible, Sendable {
        var resource: String
        var path: String
        var object: JSONValue
        var testDescription: String { resource }
    }

    static let countCases: [CountCase] = [
        CountCase(resource: "pods", path: F.pods, object: F.pod("x")),
        CountCase(resource: "count/pods", path: F.pods, object: F.pod("x")),
        CountCase(resource: "services", path: "/api/v1/namespaces/default/services",
                  object: ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "x"], "spec": ["ports": [["port": 80]]]]),
        CountCase(resource: "configmaps", path: "/api/v1/namespaces/default/configmaps", object: configMap("x")),
        CountCase(resource: "count/configmaps", path: "/api/v1/namespaces/default/configmaps", object: configMap("x")),
        CountCase(resource: "secrets", path: "/api/v1/namespaces/default/secrets",
                  object: ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "x"]]),
        CountCase(resource: "persistentvolumeclaims", path: "/api/v1/namespaces/default/persistentvolumeclaims",
                  object: ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "x"],
                           "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]]]),
        CountCase(resource: "replicationcontrollers", path: "/api/v1/namespaces/default/replicationcontrollers",
                  object: ["apiVersion": "v1", "kind": "ReplicationController", "metadata": ["name": "x"],
                           "spec": ["selector": ["app": "x"], "template": ["metadata": ["labels": ["app": "x"]],
                                                                           "spec": ["containers": [["name": "c", "image": "busybox"]]]]]]),
        CountCase(resource: "resourcequotas", path: F.quotas, object: F.quota("x", hard: ["pods": 5])),
        CountCase(resource: "count/deployments.apps", path: "/apis/apps/v1/namespaces/default/deployments",
                  object: ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "x"],
                           "spec": ["selector": ["matchLabels": ["app": "x"]],
                                    "template": ["metadata": ["labels": ["app": "x"]], "spec": ["containers": [["name": "c", "image": "busybox"]]]]]]),
    ]

    @Test(arguments: countCases)
    func aFullQuotaRefusesAndAnOpenOneCounts(_ test: CountCase) async throws {
        let api = try await TestAPI.make()
        try await api.makeQuota("full", hard: [test.resource: 1], used: [test.resource: 1])
        let refused = try await api.send(.POST, test.path, test.object)
        #expect(refused.status == 403, "\(refused.body)")
        let kind = test.path.split(separator: "/").last!
        let group = test.path.hasPrefix("/apis/apps") ? ".apps" : ""
        #expect(refused.message == #"\#(kind)\#(group) "x" is forbidden: exceeded quota: full, requested: \#(test.resource)=1, used: \#(test.resource)=1, limited: \#(test.resource)=1"#)
        #expect(refused.reason == "Forbidden")

        _ = try await api.send(.DELETE, F.quotas + "/full")
        try await api.makeQuota("open", hard: [test.resource: 2], used: [test.resource: 1])
        let created = try await api.send(.POST, test.path, test.object)
        #expect(created.status == 201, "\(created.body)")
        #expect(try await api.quotaUsed("open")?[test.resource] == "2")
    }

    @Test func podsAreCheckedAgainstEveryQuotaAndChargedToAll() async throws {
        let api = try await TestAPI.make()
        try await api.makeQuota("pods", hard: ["pods": 1], used: ["pods": 0])
        try await api.makeQuota("cpu", hard: ["requests.cpu": "1", "limits.cpu": "2"], used: ["requests.cpu": "0", "limits.cpu": "0"])

        let bare = try await api.send(.POST, F.pods, F.pod("bare"))
        #expect(bare.status == 403)
        #expect(bare.message == #"pods "bare" is forbidden: failed quota: cpu: must specify limits.cpu for: app; requests.cpu for: app"#)

        let sized = F.container(requests: ["cpu": "500m"], limits: ["cpu": "1"])
        let sidecar = F.container("log", limits: ["cpu": "500m"])
        #expect(try await api.send(.POST, F.pods, F.pod("first", containers: [sized, sidecar])).status == 201)
        #expect(try await api.quotaUsed("pods") == ["pods": "1"])
        // Requests default to limits, so the sidecar requests 500m as well.
        #expect(try await api.quotaUsed("cpu") == ["limits.cpu": "1500m", "requests.cpu": "1"])

        let second = try await api.send(.POST, F.pods, F.pod("second", containers: [F.container(requests: ["cpu": "100m"], limits: ["cpu": "100m"])]))
        #expect(second.status == 403)
        #expect(second.message == #"pods "second" is forbidden: exceeded quota: cpu, requested: requests.cpu=100m, used: requests.cpu=1, limited: requests.cpu=1"#
                || second.message == #"pods "second" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=1, limited: pods=1"#)
    }

    @Test func aQuotaWhoseUsageIsUnknownRefuses() async throws {
        let api = try await TestAPI.make()
        try await api.makeQuota("new", hard: ["pods": 5, "count/pods": 5], used: ["pods": 0])
        let reply = try await api.send(.POST, F.pods, F.pod("p"))
        #expect(reply.status == 403)
        #expect(reply.message == #"pods "p" is forbidden: status unknown for quota: new, resources: count/pods,pods"#)
    }

    @Test func aQuotaWithoutStatusDoesNothingYet() async throws {
        let api = try await TestAPI.make()
        #expect(try await api.send(.POST, F.quotas, F.quota("fresh", hard: ["pods": 0])).status == 201)
        #expect(try await api.send(.POST, F.pods, F.pod("p")).status == 201)
    }

    @Test func dryRunsAndFailedWritesChargeNothing() async throws {
        let api = try await TestAPI.make()
        let configMaps = "/api/v1/namespaces/default/configmaps"
        try await api.makeQuota("q", hard: ["configmaps": 5], used: ["configmaps": 0])
        #expect(try await api.send(.POST, configMaps + "?dryRun=All", configMap("dry")).status == 201)
        #expect(try await api.quotaUsed("q") == ["configmaps": "0"])
        #expect(try await api.send(.POST, configMaps, configMap("once")).status == 201)
        #expect(try await api.quotaUsed("q") == ["configmaps": "1"])
        let again = try await api.send(.POST, configMaps, configMap("once"))
        #expect(again.status == 409)
        #expect(try await api.quotaUsed("q") == ["configmaps": "1"])
    }

    @Test func scopesChooseThePodsAQuotaCovers() async throws {
        let api = try await TestAPI.make()
        try await api.makeQuota("besteffort", hard: ["pods": 0], used: ["pods": 0], scopes: ["BestEffort"])
        let bestEffort = try await api.send(.POST, F.pods, F.pod("be"))
        #expect(bestEffort.status == 403)
        #expect(bestEffort.message.contains("exceeded quota: besteffort"))
        let burstable = F.container(requests: ["memory": "10Mi"])
        #expect(try await api.send(.POST, F.pods, F.pod("burstable", containers: [burstable])).status == 201)
        // A scoped quota covers no other kind of object.
        #expect(try await api.send(.POST, "/api/v1/namespaces/default/configmaps", configMap("c")).status == 201)
    }

    @Test func nodePortsAreCountedOnCreateAndWhenAServiceChangesType() async throws {
        let api = try await TestAPI.make()
        let services = "/api/v1/namespaces/default/services"
        try await api.makeQuota("ports", hard: ["services.nodeports": 1], used: ["services.nodeports": 0])
        let twoPorts: JSONValue = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "wide"],
                                   "spec": ["type": "NodePort", "ports": [["name": "a", "port": 80], ["name": "b", "port": 81]]]]
        let wide = try await api.send(.POST, services, twoPorts)
        #expect(wide.status == 403)
        #expect(wide.message == #"services "wide" is forbidden: exceeded quota: ports, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1"#)

        let plain: JSONValue = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"], "spec": ["ports": [["port": 80]]]]
        #expect(try await api.send(.POST, services, plain).status == 201)
        #expect(try await api.quotaUsed("ports") == ["services.nodeports": "0"])
        let toNodePort = try await api.send(.PATCH, services + "/web", ["spec": ["type": "NodePort"]], contentType: "application/merge-patch+json")
        #expect(toNodePort.status == 200, "\(toNodePort.body)")
        #expect(try await api.quotaUsed("ports") == ["services.nodeports": "1"])
    }

    @Test func otherNamespacesAreNotCovered() async throws {
        let api = try await TestAPI.make()
        try await api.makeQuota("none", hard: ["pods": 0], used: ["pods": 0])
        #expect(try await api.send(.POST, "/api/v1/namespaces/kube-system/pods", F.pod("p")).status == 201)
    }
}
