import Foundation
import KubeAPIServer
import KubeModel
import KubeStore
import NIOHTTP1

/// Benchmark helpers that need Skiff's libraries directly (the HTTP load comes from wrk).
/// `skiff-bench store DIR CLIENTS COUNT`: raw SQLiteStore create throughput with CLIENTS
/// concurrent writers, the ceiling the API's create rate is compared against.
/// `skiff-bench scheduler DIR NODES PODS`: see `SchedulerBench`.
@main
struct SkiffBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        if arguments.count == 3, arguments[1] == "pipeline", let count = Int(arguments[2]) {
            try await pipelineCost(count: count)
            return
        }
        if arguments.count == 5, arguments[1] == "scheduler", let nodes = Int(arguments[3]), let pods = Int(arguments[4]) {
            try await SchedulerBench.run(directory: arguments[2], nodeCount: nodes, podCount: pods)
            return
        }
        guard arguments.count == 5, arguments[1] == "store", let clients = Int(arguments[3]), let count = Int(arguments[4]) else {
            FileHandle.standardError.write(Data("usage: skiff-bench store DIR CLIENTS COUNT\n".utf8))
            exit(2)
        }
        let creates = try await storeCreates(directory: arguments[2], clients: clients, count: count)
        print(String(format: "store_creates_per_s=%.0f", creates))
    }

    /// `skiff-bench pipeline COUNT`: CPU cost of the request pipeline alone (no TLS, no
    /// network, in-memory store), to see where a create or a get spends its time.
    static func pipelineCost(count: Int) async throws {
        let core = APIServerCore(store: MemoryStore(), tokens: ["t": UserInfo(name: "bench", groups: ["system:masters"])])
        try await core.bootstrap()
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer t")
        headers.add(name: "Content-Type", value: "application/json")
        let connection = HTTPServer.ConnectionInfo(remoteAddress: "bench")
        var start = ContinuousClock.now
        for index in 0..<count {
            let body = Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c-\#(index)"},"data":{"key":"value"}}"#.utf8)
            let request = APIRequest(method: .POST, uri: "/api/v1/namespaces/default/configmaps", headers: headers, body: body)
            let response = await core.router.handle(request, connection: connection)
            precondition(response.status == .created, "create failed: \(response.status)")
        }
        print(String(format: "pipeline create: %.1f µs", microseconds(ContinuousClock.now - start) / Double(count)))
        start = ContinuousClock.now
        for index in 0..<count {
            let request = APIRequest(method: .GET, uri: "/api/v1/namespaces/default/configmaps/c-\(index)", headers: headers, body: [])
            _ = await core.router.handle(request, connection: connection)
        }
        print(String(format: "pipeline get: %.1f µs", microseconds(ContinuousClock.now - start) / Double(count)))
    }

    static func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }

    /// Creates `count` keys (a ConfigMap-sized value each) from `clients` concurrent tasks.
    static func storeCreates(directory: String, clients: Int, count: Int) async throws -> Double {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory + "/bench.db")
        let value = Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"bench","uid":"6a1f3c1e-0000-4000-8000-000000000000","creationTimestamp":"2026-01-01T00:00:00Z"},"data":{"key":"value"}}"#.utf8)
        let perClient = count / clients
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<clients {
                group.addTask {
                    for index in 0..<perClient {
                        _ = try await store.create("/registry/core/configmaps/bench/c\(client)-\(index)", value: value)
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        await store.close()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(perClient * clients) / seconds
    }
}
