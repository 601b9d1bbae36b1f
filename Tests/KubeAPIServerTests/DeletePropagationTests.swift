import Foundation
import KubeAPIServer
import KubeModel
import Testing

@Suite("Delete propagation: garbage-collection finalizers and namespace termination")
struct DeletePropagationTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"

    func create(_ api: TestAPI, _ path: String, _ object: JSONValue) async throws {
        let reply = try await api.send(.POST, path, object)
        #expect(reply.status == 201, "create failed: \(reply.body)")
    }

    func finalizers(_ api: TestAPI, _ path: String) async throws -> [String]? {
        try await api.send(.GET, path).body[path: ["metadata", "finalizers"]]?.arrayValue?.compactMap(\.stringValue)
    }

    static let held: JSONValue = ["metadata": ["name": "owner", "finalizers": ["example.com/hold"]]]

    @Test("the propagation policy sets the matching finalizer", arguments: [
        (query: "?propagationPolicy=Foreground", expected: ["example.com/hold", "foregroundDeletion"]),
        (query: "?propagationPolicy=Orphan", expected: ["example.com/hold", "orphan"]),
        (query: "?propagationPolicy=Background", expected: ["example.com/hold"]),
        (query: "", expected: ["example.com/hold"]),
    ])
    func policies(query: String, expected: [String]) async throws {
        let api = try await TestAPI.make()
        try await create(api, Self.configMaps, Self.held)
        let reply = try await api.send(.DELETE, Self.configMaps + "/owner" + query)
        #expect(reply.status == 200)
        #expect(try await finalizers(api, Self.configMaps + "/owner") == expected)
    }

    @Test("without finalizers, a foreground delete keeps the object until its dependents are gone")
    func foregroundKeepsObject() async throws {
        let api = try await TestAPI.make()
        try await create(api, Self.configMaps, ["metadata": ["name": "owner"]])
        _ = try await api.send(.DELETE, Self.configMaps + "/owner?propagationPolicy=Foreground")
        let object = try await api.send(.GET, Self.configMaps + "/owner").body
        #expect(object[path: ["metadata", "deletionTimestamp"]] != nil)
        #expect(object[path: ["metadata", "finalizers"]] == ["foregroundDeletion"])
        // A later background delete drops the finalizer and with it the object.
        _ = try await api.send(.DELETE, Self.configMaps + "/owner?propagationPolicy=Background")
        #expect(try await api.send(.GET, Self.configMaps + "/owner").status == 404)
    }

    @Test("orphanDependents in DeleteOptions maps to a policy; both together are refused")
    func orphanDependents() async throws {
        let api = try await TestAPI.make()
        try await create(api, Self.configMaps, Self.held)
        let body: JSONValue = ["apiVersion": "v1", "kind": "DeleteOptions", "orphanDependents": true]
        _ = try await api.send(.DELETE, Self.configMaps + "/owner", body)
        #expect(try await finalizers(api, Self.configMaps + "/owner") == ["example.com/hold", "orphan"])
        let both: JSONValue = ["apiVersion": "v1", "kind": "DeleteOptions", "orphanDependents": true, "propagationPolicy": "Background"]
        #expect(try await api.send(.DELETE, Self.configMaps + "/owner", both).status == 400)
    }

    @Test("ReplicationControllers and Jobs orphan by default; ReplicaSets do not")
    func legacyDefaults() async throws {
        let api = try await TestAPI.make()
        let template: JSONValue = ["metadata": ["labels": ["app": "x"]], "spec": ["containers": [["name": "c", "image": "busybox"]]]]
        try await create(api, "/api/v1/namespaces/default/replicationcontrollers",
                         ["metadata": ["name": "rc"], "spec": ["replicas": 0, "selector": ["app": "x"], "template": template]])
        _ = try await api.send(.DELETE, "/api/v1/namespaces/default/replicationcontrollers/rc")
        #expect(try await finalizers(api, "/api/v1/namespaces/default/replicationcontrollers/rc") == ["orphan"])

        var jobTemplate = template
        jobTemplate["spec"] = ["containers": [["name": "c", "image": "busybox"]], "restartPolicy": "Never"]
        try await create(api, "/apis/batch/v1/namespaces/default/jobs", ["metadata": ["name": "job"], "spec": ["template": jobTemplate]])
        _ = try await api.send(.DELETE, "/apis/batch/v1/namespaces/default/jobs/job")
        #expect(try await finalizers(api, "/apis/batch/v1/namespaces/default/jobs/job") == ["orphan"])
        _ = try await api.send(.DELETE, "/apis/batch/v1/namespaces/default/jobs/job?propagationPolicy=Background")
        #expect(try await api.send(.GET, "/apis/batch/v1/namespaces/default/jobs/job").status == 404)

        try await create(api, "/apis/apps/v1/namespaces/default/replicasets",
                         ["metadata": ["name": "rs"], "spec": ["replicas": 0, "selector": ["matchLabels": ["app": "x"]], "template": template]])
        _ = try await api.send(.DELETE, "/apis/apps/v1/namespaces/default/replicasets/rs")
        #expect(try await api.send(.GET, "/apis/apps/v1/namespaces/default/replicasets/rs").status == 404)
    }

    @Test("a deleted namespace stays Terminating until finalized; status writes do not delete it")
    func namespaceTermination() async throws {
        let api = try await TestAPI.make()
        try await create(api, "/api/v1/namespaces", ["metadata": ["name": "team"]])
        let deleted = try await api.send(.DELETE, "/api/v1/namespaces/team")
        #expect(deleted.status == 200)
        var namespace = try await api.send(.GET, "/api/v1/namespaces/team").body
        #expect(namespace[path: ["status", "phase"]] == "Terminating")
        #expect(namespace[path: ["metadata", "deletionTimestamp"]] != nil)

        namespace["status"] = ["phase": "Terminating", "conditions": [["type": "NamespaceContentRemaining", "status": "False"]]]
        #expect(try await api.send(.PUT, "/api/v1/namespaces/team/status", namespace).status == 200)
        // Deleting again changes nothing while spec.finalizers remain.
        #expect(try await api.send(.DELETE, "/api/v1/namespaces/team").status == 200)
        namespace = try await api.send(.GET, "/api/v1/namespaces/team").body
        #expect(namespace[path: ["status", "conditions"]]?.arrayValue?.count == 1)

        namespace["spec"] = ["finalizers": []]
        #expect(try await api.send(.PUT, "/api/v1/namespaces/team/finalize", namespace).status == 200)
        #expect(try await api.send(.GET, "/api/v1/namespaces/team").status == 404)
    }

    @Test("a pod whose grace period runs stays after its last finalizer goes")
    func gracefulPodKeepsAfterFinalizers() async throws {
        let api = try await TestAPI.make()
        let pods = "/api/v1/namespaces/default/pods"
        try await create(api, pods, ["metadata": ["name": "p", "finalizers": ["example.com/hold"]],
                                     "spec": ["nodeName": "n1", "containers": [["name": "c", "image": "busybox"]]]])
        _ = try await api.send(.DELETE, pods + "/p")
        let patch: JSONValue = ["metadata": ["finalizers": .null]]
        #expect(try await api.send(.PATCH, pods + "/p", patch, contentType: "application/merge-patch+json").status == 200)
        #expect(try await api.send(.GET, pods + "/p").status == 200)
        // The kubelet's final delete removes it.
        #expect(try await api.send(.DELETE, pods + "/p?gracePeriodSeconds=0").status == 200)
        #expect(try await api.send(.GET, pods + "/p").status == 404)
    }
}
