import Foundation
import KubeClient
import KubeModel
import Synchronization
import Testing

/// What handlers saw, as short strings: "add a", "update b 1->2", "delete a".
final class HandlerLog: Sendable {
    private let entries = Mutex<[String]>([])

    var all: [String] { entries.withLock { $0 } }

    func handler() -> InformerEventHandler<CoreV1.ConfigMap> {
        InformerEventHandler(
            onAdd: { self.append("add \($0.metadata.name ?? "")") },
            onUpdate: { old, new in
                self.append("update \(new.metadata.name ?? "") \(old.data?["k"] ?? "")->\(new.data?["k"] ?? "")")
            },
            onDelete: { self.append("delete \($0.metadata.name ?? "") \($0.data?["k"] ?? "")") })
    }

    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    func clear() { entries.withLock { $0.removeAll() } }
}

@Suite("Informers against a real API server")
struct InformerTests {
    static let fast = InformerOptions(initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(100))

    /// Runs `informer` while `body` runs.
    func running<Object: KubeObject>(_ informer: Informer<Object>, _ body: @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await informer.run() }
            try await body()
            group.cancelAll()
            try await group.waitForAll()
        }
    }

    @Test("syncs, then tells handlers about adds, updates (with the old object) and deletes (with the last state)",
          arguments: [true, false])
    func syncAndHandlers(useWatchList: Bool) async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let maps = cluster.client.resource(CoreV1.ConfigMap.self, namespace: namespace)
            _ = try await maps.create(configMap("a", data: ["k": "1"]))
            _ = try await maps.create(configMap("b", data: ["k": "1"]))

            var options = Self.fast
            options.useWatchList = useWatchList
            let informer = Informer<CoreV1.ConfigMap>(client: cluster.client, namespace: namespace, options: options)
            let log = HandlerLog()
            informer.addEventHandler(log.handler())
            #expect(!informer.hasSynced)
            try await running(informer) {
                try await informer.waitForSync()
                #expect(informer.hasSynced)
                #expect(Set(informer.store.keys) == ["\(namespace)/a", "\(namespace)/b"])
                try await eventually("initial adds") { log.all.count == 2 }
                #expect(Set(log.all) == ["add a", "add b"])
                log.clear()

                _ = try await maps.create(configMap("c", data: ["k": "1"]))
                var b = try await maps.get("b")
                b.data = ["k": "2"]
                _ = try await maps.update(b)
                try await maps.delete("a")
                try await eventually("three changes") { log.all.count == 3 }
                #expect(log.all == ["add c", "update b 1->2", "delete a 1"])
                #expect(informer.store.get(namespace: namespace, name: "b")?.data == ["k": "2"])
                #expect(informer.store.get(namespace: namespace, name: "a") == nil)
            }
        }
    }

    @Test("after the store is compacted past its resourceVersion, the informer lists again and catches up",
          arguments: [true, false])
    func relistAfterCompaction(useWatchList: Bool) async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let gated = GatedTransport(cluster.client.transport)
            let client = APIClient(transport: gated)
            let maps = cluster.client.resource(CoreV1.ConfigMap.self, namespace: namespace)
            _ = try await maps.create(configMap("a", data: ["k": "1"]))
            _ = try await maps.create(configMap("b", data: ["k": "1"]))

            var options = Self.fast
            options.useWatchList = useWatchList
            let informer = Informer<CoreV1.ConfigMap>(client: client, namespace: namespace, options: options)
            let log = HandlerLog()
            informer.addEventHandler(log.handler())
            try await running(informer) {
                try await informer.waitForSync()
                try await eventually("initial adds") { log.all.count == 2 }
                #expect(gated.fullSyncs == 1)
                log.clear()

                // The watch breaks; while it is down the objects change and history is compacted.
                gated.block()
                try await maps.delete("a")
                var b = try await maps.get("b")
                b.data = ["k": "2"]
                _ = try await maps.update(b)
                _ = try await maps.create(configMap("c", data: ["k": "1"]))
                try await cluster.store.compact(revision: try await cluster.store.currentRevision())
                #expect(log.all.isEmpty)
                gated.unblock()

                // Resuming from the old resourceVersion gets 410 Gone: a second full sync.
                do {
                    try await eventually("relist") { gated.fullSyncs == 2 && log.all.count == 3 }
                } catch {
                    Issue.record("full syncs \(gated.fullSyncs), watches \(gated.watches), handlers saw \(log.all)")
                    throw error
                }
                #expect(Set(log.all) == ["delete a 1", "update b 1->2", "add c"])
                #expect(Set(informer.store.keys) == ["\(namespace)/b", "\(namespace)/c"])

                // And it keeps watching afterwards.
                _ = try await maps.create(configMap("d"))
                try await eventually("watch after relist") { informer.store.get(namespace: namespace, name: "d") != nil }
            }
        }
    }

    @Test("when the server rejects watch-list, the informer falls back to list and watch")
    func watchListFallback() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let maps = cluster.client.resource(CoreV1.ConfigMap.self, namespace: namespace)
            _ = try await maps.create(configMap("a"))
            let lists = Locked(0)
            let listWatch = ListWatch<CoreV1.ConfigMap>(
                list: { options in
                    lists.withLock { $0 += 1 }
                    return try await maps.list(options)
                },
                watch: { options in
                    if options.sendInitialEvents == true {
                        throw APIStatusError(code: 400, reason: "BadRequest", message: "sendInitialEvents is not supported")
                    }
                    return try await maps.watch(options)
                })
            let informer = Informer(listWatch: listWatch, options: Self.fast)
            try await running(informer) {
                try await informer.waitForSync()
                #expect(lists.withLock { $0 } == 1)
                #expect(informer.store.count == 1)
                _ = try await maps.create(configMap("b"))
                try await eventually("watch after fallback") { informer.store.count == 2 }
            }
        }
    }

    @Test("custom indexes and the namespace index answer lookups; late handlers get the cache as adds")
    func indexersAndLateHandlers() async throws {
        try await TestCluster.with { cluster in
            let first = try await cluster.makeNamespace()
            let second = try await cluster.makeNamespace()
            _ = try await cluster.client.resource(CoreV1.ConfigMap.self, namespace: first).create(configMap("x", labels: ["app": "web"]))
            _ = try await cluster.client.resource(CoreV1.ConfigMap.self, namespace: second).create(configMap("y", labels: ["app": "web"]))
            _ = try await cluster.client.resource(CoreV1.ConfigMap.self, namespace: second).create(configMap("z", labels: ["app": "db"]))

            let informer = Informer<CoreV1.ConfigMap>(
                client: cluster.client, labelSelector: "app", options: Self.fast,
                indexers: ["app": { [$0.metadata.labels?["app"] ?? ""] }])
            try await running(informer) {
                try await informer.waitForSync()
                #expect(Set(informer.store.byIndex("app", "web").compactMap(\.metadata.name)) == ["x", "y"])
                #expect(informer.store.indexKeys("app", "db") == ["\(second)/z"])
                #expect(Set(informer.store.list(namespace: second).compactMap(\.metadata.name)) == ["y", "z"])

                var moved = try await cluster.client.resource(CoreV1.ConfigMap.self, namespace: second).get("z")
                moved.metadata.labels = ["app": "web"]
                _ = try await cluster.client.resource(CoreV1.ConfigMap.self).update(moved)
                try await eventually("index follows the update") { informer.store.byIndex("app", "web").count == 3 }
                #expect(informer.store.byIndex("app", "db").isEmpty)

                let late = HandlerLog()
                informer.addEventHandler(late.handler())
                try await eventually("late adds") { late.all.count == 3 }
                #expect(Set(late.all) == ["add x", "add y", "add z"])
            }
        }
    }

    @Test("a periodic resync delivers an update for every cached object")
    func resync() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let maps = cluster.client.resource(CoreV1.ConfigMap.self, namespace: namespace)
            _ = try await maps.create(configMap("a", data: ["k": "1"]))
            _ = try await maps.create(configMap("b", data: ["k": "1"]))
            let clock = ManualClock()
            var options = Self.fast
            options.resyncPeriod = .seconds(30)
            let informer = Informer<CoreV1.ConfigMap>(client: cluster.client, namespace: namespace, options: options, clock: clock)
            let log = HandlerLog()
            informer.addEventHandler(log.handler())
            try await running(informer) {
                try await informer.waitForSync()
                try await eventually("initial adds") { log.all.count == 2 }
                log.clear()
                try await clock.waitForSleepers()
                clock.advance(by: .seconds(30))
                try await eventually("resync") { log.all.count == 2 }
                #expect(Set(log.all) == ["update a 1->1", "update b 1->1"])
            }
        }
    }

    @Test("a shared informer factory hands out one informer per kind and runs them all")
    func sharedFactory() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            _ = try await cluster.client.resource(CoreV1.ConfigMap.self, namespace: namespace).create(configMap("a"))
            let factory = SharedInformerFactory(client: cluster.client, namespace: namespace, options: Self.fast)
            let maps = factory.informer(CoreV1.ConfigMap.self)
            #expect(maps === factory.informer(CoreV1.ConfigMap.self))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await factory.run() }
                try await factory.waitForSync()
                #expect(maps.store.count == 1)
                let pods = factory.informer(CoreV1.Pod.self)  // handed out after run started
                try await pods.waitForSync()
                #expect(factory.hasSynced)
                group.cancelAll()
                try await group.waitForAll()
            }
        }
    }
}
