import Foundation
import KubeAPIServer
import KubeClient
import KubeModel
import Synchronization
import Testing

@Suite("REST client against a real API server")
struct RESTClientTests {
    @Test("typed ConfigMap CRUD: create, get, update, every patch type, apply, delete")
    func configMapCRUD() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let maps = cluster.client.resource(CoreV1.ConfigMap.self, namespace: namespace)

            let created = try await maps.create(configMap("settings", data: ["color": "blue"]))
            #expect(created.metadata.namespace == namespace)
            #expect(created.metadata.uid != nil)
            let createdVersion = try #require(created.metadata.resourceVersion)

            var fetched = try await maps.get("settings")
            #expect(fetched.data == ["color": "blue"])
            #expect(fetched.kind == "ConfigMap")

            fetched.data?["size"] = "large"
            let updated = try await maps.update(fetched)
            #expect(updated.data == ["color": "blue", "size": "large"])
            #expect(updated.metadata.resourceVersion != createdVersion)

            let merged = try await maps.patch("settings", type: .merge, body: ["data": ["color": "red", "size": nil]])
            #expect(merged.data == ["color": "red"])
            let strategic = try await maps.patch("settings", type: .strategicMerge, body: ["metadata": ["labels": ["tier": "web"]]])
            #expect(strategic.metadata.labels == ["tier": "web"])
            let jsonPatched = try await maps.patch(
                "settings", type: .json, body: [["op": "add", "path": "/data/shape", "value": "round"]])
            #expect(jsonPatched.data == ["color": "red", "shape": "round"])

            var applied = configMap("settings", namespace: namespace, data: ["owned": "yes"])
            applied.metadata.labels = nil
            let afterApply = try await maps.apply(applied, fieldManager: "client-test")
            #expect(afterApply.data?["owned"] == "yes")
            #expect(afterApply.metadata.managedFields?.contains { $0.manager == "client-test" && $0.operation == "Apply" } == true)

            try await maps.delete("settings")
            let error = await #expect(throws: APIStatusError.self) { try await maps.get("settings") }
            #expect(error?.isNotFound == true)
            #expect(error?.code == 404)
        }
    }

    @Test("errors carry the server's status: not found, already exists, conflict, invalid, failed precondition")
    func errorsMapToStatus() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let maps = cluster.client.resource(CoreV1.ConfigMap.self, namespace: namespace)

            let missing = await #expect(throws: APIStatusError.self) { try await maps.delete("nothing") }
            #expect(missing?.isNotFound == true)
            #expect(missing?.status.details?.name == "nothing")

            let original = try await maps.create(configMap("one"))
            let duplicate = await #expect(throws: APIStatusError.self) { try await maps.create(configMap("one")) }
            #expect(duplicate?.isAlreadyExists == true)
            #expect(duplicate?.code == 409)

            var first = original
            first.data = ["k": "first"]
            _ = try await maps.update(first)
            var stale = original
            stale.data = ["k": "stale"]
            let conflict = await #expect(throws: APIStatusError.self) { try await maps.update(stale) }
            #expect(conflict?.isConflict == true)

            let invalid = await #expect(throws: APIStatusError.self) { try await maps.create(configMap("Not_Valid")) }
            #expect(invalid?.isInvalid == true)

            let precondition = await #expect(throws: APIStatusError.self) {
                try await maps.delete("one", options: .with(preconditionUID: "some-other-uid"))
            }
            #expect(precondition?.isConflict == true)
            try await maps.delete("one", options: .with(preconditionUID: original.metadata.uid))
        }
    }

    @Test("pods: status subresource, binding subresource, graceful and immediate deletion")
    func podSubresources() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let pods = cluster.client.resource(CoreV1.Pod.self, namespace: namespace)
            _ = try await pods.create(pod("web"))

            var withStatus = try await pods.get("web")
            withStatus.status.phase = "Running"
            withStatus.metadata.labels = ["ignored": "by-status"]
            let statusUpdated = try await pods.updateStatus(withStatus)
            #expect(statusUpdated.status.phase == "Running")
            #expect(statusUpdated.metadata.labels == nil, "a status update does not change metadata")

            var binding = CoreV1.Binding()
            binding.metadata.name = "web"
            binding.target = CoreV1.ObjectReference(kind: "Node", name: "node-1")
            try await pods.create("web", subresource: "binding", body: binding)
            #expect(try await pods.get("web").spec.nodeName == "node-1")

            try await pods.delete("web")
            let terminating = try await pods.get("web")
            #expect(terminating.metadata.deletionTimestamp != nil, "a pod on a node is deleted gracefully")
            try await pods.delete("web", options: .with(gracePeriodSeconds: 0))
            let gone = await #expect(throws: APIStatusError.self) { try await pods.get("web") }
            #expect(gone?.isNotFound == true)
        }
    }

    @Test("list with label and field selectors, pages with continue tokens, deletecollection")
    func listSelectorsAndPages() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let maps = cluster.client.resource(CoreV1.ConfigMap.self, namespace: namespace)
            for index in 0..<7 {
                _ = try await maps.create(configMap("cm-\(index)", labels: ["tier": index < 5 ? "a" : "b"]))
            }

            let tierA = try await maps.list(ListOptions(labelSelector: "tier=a"))
            #expect(tierA.items.count == 5)
            #expect(!tierA.resourceVersion.isEmpty)
            let notA = try await maps.list(ListOptions(labelSelector: "tier!=a"))
            #expect(Set(notA.items.compactMap(\.metadata.name)) == ["cm-5", "cm-6"])
            let byName = try await maps.list(ListOptions(fieldSelector: "metadata.name=cm-3"))
            #expect(byName.items.map(\.metadata.name) == ["cm-3"])

            var pageSizes: [Int] = []
            var names: [String] = []
            var options = ListOptions(labelSelector: "tier=a", limit: 2)
            while true {
                let page = try await maps.list(options)
                pageSizes.append(page.items.count)
                names += page.items.compactMap(\.metadata.name)
                guard let token = page.continueToken else { break }
                options.continueToken = token
            }
            #expect(pageSizes == [2, 2, 1])
            #expect(Set(names).count == 5)
            #expect(try await maps.listAll(ListOptions(limit: 3)).items.count == 7)

            let everywhere = try await cluster.client.resource(CoreV1.ConfigMap.self).list(ListOptions(labelSelector: "tier=b"))
            #expect(everywhere.items.allSatisfy { $0.metadata.namespace == namespace })
            #expect(everywhere.items.count == 2)

            try await maps.deleteCollection(ListOptions(labelSelector: "tier=a"))
            #expect(Set(try await maps.list().items.compactMap(\.metadata.name)).isSuperset(of: ["cm-5", "cm-6"]))
            #expect(try await maps.list(ListOptions(labelSelector: "tier=a")).items.isEmpty)
        }
    }

    @Test("the dynamic client works on JSON for any resource, cluster-scoped ones included")
    func dynamicClient() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let maps = cluster.client.dynamic(APIResource(group: "", version: "v1", plural: "configmaps", namespaced: true), namespace: namespace)
            let created = try await maps.create(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "dyn"], "data": ["x": "1"]])
            #expect(created[path: ["metadata", "namespace"]]?.stringValue == namespace)
            #expect(try await maps.get("dyn")[path: ["data", "x"]] == "1")
            #expect(try await maps.list().items.count == 1)

            let classes = cluster.client.dynamic(APIResource(group: "scheduling.k8s.io", version: "v1", plural: "priorityclasses", namespaced: false))
            _ = try await classes.create(["apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": "client-test-high"], "value": 1000])
            #expect(try await classes.get("client-test-high")["value"] == 1000)
            try await classes.delete("client-test-high")
        }
    }

    @Test("watch delivers later changes in order and stops when the consuming task is cancelled")
    func watchLaterChanges() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let maps = cluster.client.resource(CoreV1.ConfigMap.self, namespace: namespace)
            _ = try await maps.create(configMap("before"))
            let start = try await maps.list().resourceVersion

            let events = try await maps.watch(ListOptions(resourceVersion: start))
            let received = Locked<[String]>([])
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await event in events {
                        received.withLock { $0.append("\(event.type.rawValue) \(event.object?.metadata.name ?? "") \(event.object?.data?["k"] ?? "")") }
                    }
                }
                var map = try await maps.create(configMap("after", data: ["k": "1"]))
                map.data = ["k": "2"]
                _ = try await maps.update(map)
                try await maps.delete("after")
                try await eventually("three events") { received.withLock { $0.count } >= 3 }
                group.cancelAll()  // ends the consuming loop: the watch connection closes
                try await group.waitForAll()
            }
            #expect(received.withLock { $0 } == ["ADDED after 1", "MODIFIED after 2", "DELETED after 2"])
        }
    }

    @Test("watch-list streams the current state, then a bookmark ending the initial events")
    func watchList() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let maps = cluster.client.resource(CoreV1.ConfigMap.self, namespace: namespace)
            _ = try await maps.create(configMap("one"))
            _ = try await maps.create(configMap("two"))
            let stream = try await maps.watch(ListOptions(resourceVersionMatch: "NotOlderThan", allowWatchBookmarks: true, sendInitialEvents: true))
            var names: [String] = []
            for try await event in stream {
                if case .bookmark(let bookmark) = event {
                    #expect(bookmark.isInitialEventsEnd)
                    break
                }
                names.append(event.object?.metadata.name ?? "")
            }
            #expect(Set(names) == ["one", "two"])
        }
    }

    @Test("bearer tokens authenticate; a wrong token is Unauthorized")
    func bearerToken() async throws {
        try await TestCluster.with { cluster in
            var configuration = ClientConfiguration(server: cluster.configuration.server)
            configuration.certificateAuthorityPEM = cluster.configuration.certificateAuthorityPEM
            configuration.bearerToken = TestCluster.token
            let client = try APIClient(configuration: configuration)
            #expect(try await client.resource(CoreV1.Namespace.self).get("default").metadata.name == "default")

            configuration.bearerToken = "wrong"
            let rejected = try APIClient(configuration: configuration)
            let error = await #expect(throws: APIStatusError.self) { try await rejected.resource(CoreV1.Namespace.self).get("default") }
            #expect(error?.isUnauthorized == true)
        }
    }

    @Test("a server certificate not signed by the configured CA is refused")
    func untrustedServer() async throws {
        try await TestCluster.with { cluster in
            let otherDirectory = cluster.directory + "/other-pki"
            let otherCA = try ClusterPKI.loadOrCreate(directory: otherDirectory, hostnames: ["localhost"], addresses: ["127.0.0.1"])
            var configuration = cluster.configuration
            configuration.certificateAuthorityPEM = Array(otherCA.caCertificatePEM.utf8)
            let client = try APIClient(configuration: configuration)
            await #expect(throws: (any Error).self) { try await client.send("GET", "/version") }

            configuration.insecureSkipTLSVerify = true
            #expect(try await APIClient(configuration: configuration).send("GET", "/version").isEmpty == false)
        }
    }

    @Test("many concurrent requests share the connection pool")
    func concurrentRequests() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let maps = cluster.client.resource(CoreV1.ConfigMap.self, namespace: namespace)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<24 {
                    group.addTask { _ = try await maps.create(configMap("c-\(index)")) }
                }
                try await group.waitForAll()
            }
            for _ in 0..<10 { _ = try await maps.get("c-0") }
            #expect(try await maps.list().items.count == 24)
        }
    }
}
