import Foundation
import KubeAPIServer
import KubeModel
import Testing

@Suite("API router: the request pipeline over an in-memory store")
struct APIRouterTests {
    let configMaps = "/api/v1/namespaces/default/configmaps"

    @Test func createGetListAndStaleUpdate() async throws {
        let api = try await TestAPI.make()
        let created = try await api.send(.POST, configMaps, configMap("one"))
        #expect(created.status == 201)
        let version = try #require(created.body[path: ["metadata", "resourceVersion"]]?.stringValue)
        #expect(created.body[path: ["metadata", "uid"]]?.stringValue?.isEmpty == false)

        let fetched = try await api.send(.GET, configMaps + "/one")
        #expect(fetched.status == 200)
        #expect(fetched.body[path: ["metadata", "resourceVersion"]]?.stringValue == version)
        #expect(fetched.body[path: ["data", "a"]] == "b")

        let listed = try await api.send(.GET, configMaps)
        #expect(listed.body["kind"] == "ConfigMapList")
        #expect(listed.body["items"]?.arrayValue?.count == 1)

        let updated = try await api.send(.PUT, configMaps + "/one", configMap("one", ["a": "c"], resourceVersion: version))
        #expect(updated.status == 200)
        let stale = try await api.send(.PUT, configMaps + "/one", configMap("one", ["a": "d"], resourceVersion: version))
        #expect(stale.status == 409)
        #expect(stale.body["reason"] == "Conflict")
    }

    @Test func updateWithoutChangesKeepsTheResourceVersion() async throws {
        let api = try await TestAPI.make()
        let created = try await api.send(.POST, configMaps, configMap("same"))
        let version = created.body[path: ["metadata", "resourceVersion"]]?.stringValue
        let again = try await api.send(.PUT, configMaps + "/same", configMap("same", resourceVersion: version))
        #expect(again.body[path: ["metadata", "resourceVersion"]]?.stringValue == version)
    }

    @Test(arguments: [
        ("Bad_Name", "metadata.name", "FieldValueInvalid"),
        ("", "metadata.name", "FieldValueRequired"),
    ])
    func invalidNamesGet422WithCauses(name: String, field: String, reason: String) async throws {
        let api = try await TestAPI.make()
        let reply = try await api.send(.POST, configMaps, configMap(name))
        #expect(reply.status == 422)
        #expect(reply.body["reason"] == "Invalid")
        let cause = reply.body[path: ["details", "causes"]]?.arrayValue?.first
        #expect(cause?["field"]?.stringValue == field)
        #expect(cause?["reason"]?.stringValue == reason)
    }

    @Test func unknownFieldsFollowFieldValidation() async throws {
        let api = try await TestAPI.make()
        var object = configMap("strict")
        object["surprise"] = 1
        let strict = try await api.send(.POST, configMaps + "?fieldValidation=Strict", object)
        #expect(strict.status == 400)
        #expect(strict.body["message"]?.stringValue?.contains(#"strict decoding error: unknown field "surprise""#) == true)
        let warned = try await api.send(.POST, configMaps + "?fieldValidation=Warn", object)
        #expect(warned.status == 201)
        #expect(warned.headers["Warning"].first?.contains("unknown field") == true)
        #expect(warned.body["surprise"] == nil)
    }

    @Test func generateNameAndDryRun() async throws {
        let api = try await TestAPI.make()
        let generated = try await api.send(.POST, configMaps, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["generateName": "gen-"]])
        #expect(generated.status == 201)
        let name = try #require(generated.body[path: ["metadata", "name"]]?.stringValue)
        #expect(name.hasPrefix("gen-") && name.count == 9)

        let dry = try await api.send(.POST, configMaps + "?dryRun=All", configMap("ghost"))
        #expect(dry.status == 201)
        #expect(try await api.send(.GET, configMaps + "/ghost").status == 404)
    }

    @Test func finalizersHoldDeletionUntilRemoved() async throws {
        let api = try await TestAPI.make()
        var object = configMap("held")
        object["metadata"] = ["name": "held", "finalizers": ["example.com/hold"]]
        _ = try await api.send(.POST, configMaps, object)
        let deleted = try await api.send(.DELETE, configMaps + "/held")
        #expect(deleted.status == 200)
        let held = try await api.send(.GET, configMaps + "/held")
        #expect(held.body[path: ["metadata", "deletionTimestamp"]] != nil)
        let patch: JSONValue = ["metadata": ["finalizers": .null]]
        let patched = try await api.send(.PATCH, configMaps + "/held", patch, contentType: "application/merge-patch+json")
        #expect(patched.status == 200)
        #expect(try await api.send(.GET, configMaps + "/held").status == 404)
    }

    @Test func paginationWithLimitAndContinue() async throws {
        let api = try await TestAPI.make()
        for index in 0..<5 { _ = try await api.send(.POST, configMaps, configMap("page-\(index)")) }
        var names: [String] = []
        var token: String?
        repeat {
            let uri = configMaps + "?limit=2" + (token.map { "&continue=\($0)" } ?? "")
            let page = try await api.send(.GET, uri)
            names += page.body["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } ?? []
            token = page.body[path: ["metadata", "continue"]]?.stringValue
        } while token != nil
        #expect(names == (0..<5).map { "page-\($0)" })
    }

    @Test func labelAndFieldSelectors() async throws {
        let api = try await TestAPI.make()
        var labelled = configMap("labelled")
        labelled["metadata"] = ["name": "labelled", "labels": ["tier": "web"]]
        _ = try await api.send(.POST, configMaps, labelled)
        _ = try await api.send(.POST, configMaps, configMap("plain"))
        let byLabel = try await api.send(.GET, configMaps + "?labelSelector=tier%3Dweb")
        #expect(byLabel.body["items"]?.arrayValue?.count == 1)
        let byName = try await api.send(.GET, configMaps + "?fieldSelector=metadata.name%3Dplain")
        #expect(byName.body["items"]?.arrayValue?.first?[path: ["metadata", "name"]] == "plain")
        let unsupported = try await api.send(.GET, configMaps + "?fieldSelector=spec.nodeName%3Dx")
        #expect(unsupported.status == 400)
    }

    @Test func watchSeesChangesFromAResourceVersion() async throws {
        let api = try await TestAPI.make()
        let created = try await api.send(.POST, configMaps, configMap("watched"))
        let version = try #require(created.body[path: ["metadata", "resourceVersion"]]?.stringValue)
        let watch = try await api.send(.GET, configMaps + "?watch=1&resourceVersion=\(version)")
        let events = try await api.watchEvents(watch, count: 2) {
            _ = try await api.send(.PATCH, configMaps + "/watched", ["data": ["a": "z"]], contentType: "application/merge-patch+json")
            _ = try await api.send(.DELETE, configMaps + "/watched")
        }
        #expect(events.compactMap { $0["type"]?.stringValue } == ["MODIFIED", "DELETED"])
        #expect(events.first?[path: ["object", "data", "a"]] == "z")
    }

    @Test func watchWithInitialEventsEndsThemWithABookmark() async throws {
        let api = try await TestAPI.make()
        _ = try await api.send(.POST, configMaps, configMap("existing"))
        let watch = try await api.send(.GET, configMaps + "?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan")
        let events = try await api.watchEvents(watch, count: 2) {}
        #expect(events.first?["type"] == "ADDED")
        #expect(events.last?["type"] == "BOOKMARK")
        #expect(events.last?[path: ["object", "metadata", "annotations", "k8s.io/initial-events-end"]] == "true")
    }

    @Test func anonymousRequestsGet401ButHealthIsPublic() async throws {
        let api = try await TestAPI.make()
        let anonymous = try await api.send(.GET, configMaps, authenticated: false)
        #expect(anonymous.status == 401)
        #expect(anonymous.body["reason"] == "Unauthorized")
        #expect(try await api.send(.GET, "/readyz", authenticated: false).status == 200)
        #expect(try await api.send(.GET, "/version", authenticated: false).body["major"] == "1")
    }

    @Test func servicesGetClusterIPsAndNodePorts() async throws {
        let api = try await TestAPI.make()
        let services = "/api/v1/namespaces/default/services"
        let service: JSONValue = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
                                  "spec": ["type": "NodePort", "ports": [["port": 80]]]]
        let created = try await api.send(.POST, services, service)
        #expect(created.status == 201)
        let ip = try #require(created.body[path: ["spec", "clusterIP"]]?.stringValue)
        #expect(ip.hasPrefix("10.43.") && ip != "10.43.0.1")
        let nodePort = try #require(created.body[path: ["spec", "ports"]]?.arrayValue?.first?["nodePort"]?.intValue)
        #expect((30000...32767).contains(Int(nodePort)))
        #expect(created.body[path: ["spec", "ports"]]?.arrayValue?.first?["targetPort"] == 80)

        var duplicate = service
        duplicate["metadata"] = ["name": "copy"]
        duplicate["spec"] = ["clusterIP": .string(ip), "ports": [["port": 80]]]
        let rejected = try await api.send(.POST, services, duplicate)
        #expect(rejected.status == 422)

        _ = try await api.send(.DELETE, services + "/web")
        let reused = try await api.send(.POST, services, duplicate)
        #expect(reused.status == 201)
    }

    @Test func noCreationInAMissingNamespace() async throws {
        let api = try await TestAPI.make()
        let reply = try await api.send(.POST, "/api/v1/namespaces/nowhere/configmaps", configMap("x"))
        #expect(reply.status == 404)
        #expect(reply.body["message"] == #"namespaces "nowhere" not found"#)
    }

    @Test func scaleSubresourceReadsAndWritesReplicas() async throws {
        let api = try await TestAPI.make()
        let deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
            "spec": ["replicas": 1, "selector": ["matchLabels": ["app": "web"]],
                     "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "c", "image": "nginx"]]]]],
        ]
        #expect(try await api.send(.POST, "/apis/apps/v1/namespaces/default/deployments", deployment).status == 201)
        let scale = try await api.send(.GET, "/apis/apps/v1/namespaces/default/deployments/web/scale")
        #expect(scale.body["kind"] == "Scale")
        #expect(scale.body[path: ["status", "selector"]] == "app=web")
        let patched = try await api.send(.PATCH, "/apis/apps/v1/namespaces/default/deployments/web/scale",
                                         ["spec": ["replicas": 4]], contentType: "application/merge-patch+json")
        #expect(patched.body[path: ["spec", "replicas"]] == 4)
        let fetched = try await api.send(.GET, "/apis/apps/v1/namespaces/default/deployments/web")
        #expect(fetched.body[path: ["spec", "replicas"]] == 4)
    }

    @Test func aggregatedDiscoveryAnswersWithItsContentType() async throws {
        let api = try await TestAPI.make()
        let reply = try await api.send(.GET, "/apis", accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")
        #expect(reply.headers["Content-Type"].first == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
        let groups = reply.body["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } ?? []
        #expect(groups.contains("apps") && groups.contains("batch"))
        let legacy = try await api.send(.GET, "/api/v1")
        let pods = legacy.body["resources"]?.arrayValue?.first { $0["name"] == "pods" }
        #expect(pods?["shortNames"] == ["po"])
        #expect(pods?["categories"] == ["all"])
    }

    @Test func podFieldSelectorsFilterListsAndWatches() async throws {
        let api = try await TestAPI.make()
        let pods = "/api/v1/namespaces/default/pods"
        func pod(_ name: String, hostNetwork: Bool = false) -> JSONValue {
            ["metadata": ["name": .string(name)],
             "spec": ["hostNetwork": .bool(hostNetwork), "containers": [["name": "c", "image": "busybox"]]]]
        }
        _ = try await api.send(.POST, pods, pod("plain"))
        _ = try await api.send(.POST, pods, pod("host", hostNetwork: true))
        let hosted = try await api.send(.GET, pods + "?fieldSelector=spec.hostNetwork%3Dtrue")
        #expect(hosted.body["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } == ["host"])
        let pending = try await api.send(.GET, pods + "?fieldSelector=status.phase%3DPending,spec.schedulerName%3Ddefault-scheduler")
        #expect(pending.body["items"]?.arrayValue?.count == 2)

        // A kubelet's watch: the pod appears (ADDED) when it is bound to the node.
        let listed = try await api.send(.GET, pods)
        let version = try #require(listed.body[path: ["metadata", "resourceVersion"]]?.stringValue)
        let watch = try await api.send(.GET, pods + "?watch=1&fieldSelector=spec.nodeName%3Dnode-a&resourceVersion=\(version)")
        let events = try await api.watchEvents(watch, count: 1) {
            let binding: JSONValue = ["metadata": ["name": "plain"], "target": ["kind": "Node", "name": "node-a"]]
            let bound = try await api.send(.POST, pods + "/plain/binding", binding)
            #expect(bound.status == 201)
        }
        #expect(events.first?["type"] == "ADDED")
        #expect(events.first?[path: ["object", "spec", "nodeName"]] == "node-a")
        // Bound in one write: the first event that shows the node already has PodScheduled.
        let conditions = events.first?[path: ["object", "status", "conditions"]]?.arrayValue ?? []
        #expect(conditions.contains { $0["type"] == "PodScheduled" && $0["status"] == "True" })
    }
}
