import Foundation
import KubeStore

/// Benchmark helpers that need Skiff's libraries directly (the HTTP load comes from wrk).
/// `skiff-bench store DIR CLIENTS COUNT`: raw SQLiteStore create throughput with CLIENTS
/// concurrent writers, the ceiling the API's create rate is compared against.
@main
struct SkiffBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 5, arguments[1] == "store", let clients = Int(arguments[3]), let count = Int(arguments[4]) else {
            FileHandle.standardError.write(Data("usage: skiff-bench store DIR CLIENTS COUNT\n".utf8))
            exit(2)
        }
        let creates = try await storeCreates(directory: arguments[2], clients: clients, count: count)
        print(String(format: "store_creates_per_s=%.0f", creates))
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
