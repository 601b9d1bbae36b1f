import Foundation
import KubeAPIServer
import KubeClient
import KubeModel
import KubeStore
import Logging
import NIOPosix
import Synchronization

/// A real API server on a free loopback port over HTTPS, with an admin client built from the
/// kubeconfig the server writes, for the duration of `body`.
struct TestCluster: Sendable {
    let store: MemoryStore
    let server: APIServer
    let directory: String
    let configuration: ClientConfiguration
    let client: APIClient
    static let token = "client-test-token"

    static func with<T: Sendable>(_ body: @Sendable (TestCluster) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-client-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "\(token),token-user,token-uid,\"system:masters\"\n".write(toFile: directory + "/tokens.csv", atomically: true, encoding: .utf8)

        var logger = Logger(label: "skiff.client-test")
        logger.logLevel = .critical
        var serverConfiguration = APIServer.Configuration(dataDirectory: directory, bindAddress: "127.0.0.1", port: 0)
        serverConfiguration.tokenFile = directory + "/tokens.csv"
        let store = MemoryStore()
        let server = try APIServer(configuration: serverConfiguration, store: store, eventLoopGroup: .singleton, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await server.run()
                return nil
            }
            let port = try await server.listeningPort()
            let kubeconfigPath = directory + "/admin.kubeconfig"
            try server.adminKubeconfig(serverURL: "https://127.0.0.1:\(port)").write(to: kubeconfigPath)
            var configuration = try Kubeconfig.load(path: kubeconfigPath).clientConfiguration()
            configuration.requestTimeout = .seconds(10)
            let transport = try HTTPSTransport(configuration: configuration)
            defer { transport.shutdown() }
            let cluster = TestCluster(store: store, server: server, directory: directory, configuration: configuration,
                                      client: APIClient(transport: transport, namespace: "default"))
            try await cluster.waitUntilReady()
            let result = try await body(cluster)
            group.cancelAll()
            return result
        }!
    }

    /// A cluster and a fresh namespace in it.
    static func withNamespace<T: Sendable>(_ body: @Sendable (TestCluster, String) async throws -> T) async throws -> T {
        try await with { cluster in try await body(cluster, try await cluster.makeNamespace()) }
    }

    /// Bootstrap (default namespaces) finishes after the port opens.
    private func waitUntilReady() async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            if (try? await client.send("GET", "/readyz")) != nil,
               (try? await client.resource(CoreV1.Namespace.self).get("default")) != nil { return }
            guard ContinuousClock.now < deadline else { throw TestFailure("server not ready") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// A fresh namespace for one test.
    func makeNamespace(_ prefix: String = "test") async throws -> String {
        var namespace = CoreV1.Namespace()
        namespace.metadata.generateName = prefix + "-"
        let created = try await client.resource(CoreV1.Namespace.self).create(namespace)
        return created.metadata.name!
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func configMap(_ name: String, namespace: String? = nil, labels: [String: String]? = nil, data: [String: String] = ["k": "v"]) -> CoreV1.ConfigMap {
    var map = CoreV1.ConfigMap()
    map.metadata.name = name
    map.metadata.namespace = namespace
    map.metadata.labels = labels
    map.data = data
    return map
}

func pod(_ name: String, namespace: String? = nil, labels: [String: String]? = nil) -> CoreV1.Pod {
    var pod = CoreV1.Pod()
    pod.metadata.name = name
    pod.metadata.namespace = namespace
    pod.metadata.labels = labels
    var container = CoreV1.Container()
    container.name = "main"
    container.image = "busybox"
    pod.spec.containers = [container]
    return pod
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(_ what: String, timeout: Duration = .seconds(20),
                _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !(try await condition()) {
        guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// A value shared between a test and the tasks it starts.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
    var value: Value { mutex.withLock { $0 } }
}
