import Foundation
import Testing
import KubeStore

/// Ad-hoc throughput figures for the store, off by default. Run in release for real numbers:
///   SKIFF_STORE_BENCH=1 swift test -c release --enable-testable-imports --filter StoreBenchmarks
/// (The project's own benchmarks live in bench/; these are the raw store ceilings.)
@Suite("Store benchmarks", .serialized, .enabled(if: ProcessInfo.processInfo.environment["SKIFF_STORE_BENCH"] != nil))
struct StoreBenchmarks {
    static let value = [UInt8](repeating: 0x61, count: 1024)

    @Test("creates per second by concurrent writers", arguments: [1, 16, 64])
    func creates(writers: Int) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.databasePath, options: .init(compaction: nil))
        let total = writers == 1 ? 5_000 : 40_000
        let writtenBefore = Self.bytesWrittenByProcess()
        let elapsed = try await ContinuousClock().measure {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for index in 0..<(total / writers) {
                            _ = try await store.create("/registry/pods/bench-\(writer)/pod-\(index)", value: Self.value)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let statistics = store.statistics
        report("sqlite creates, \(writers) writers, 1 KiB values", operations: total, elapsed: elapsed,
               extra: String(format: "%.1f writes/commit, %.1f KiB written/write", Double(statistics.writes) / Double(statistics.commits),
                             Double(Self.bytesWrittenByProcess() - writtenBefore) / 1024 / Double(total)))
        await store.close()
    }

    @Test("gets and lists per second, single caller")
    func reads() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.databasePath, options: .init(compaction: nil))
        let keys = 1_000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<16 {
                group.addTask {
                    for index in stride(from: writer, to: keys, by: 16) {
                        _ = try await store.create("/registry/configmaps/default/cm-\(index)", value: Array("small-\(index)".utf8))
                    }
                }
            }
            try await group.waitForAll()
        }
        let gets = 200_000
        let getTime = try await ContinuousClock().measure {
            for index in 0..<gets {
                _ = try await store.get("/registry/configmaps/default/cm-\(index % keys)")
            }
        }
        report("sqlite gets, 1 caller, small values", operations: gets, elapsed: getTime)

        let lists = 500
        let listTime = try await ContinuousClock().measure {
            for _ in 0..<lists {
                _ = try await store.list(prefix: "/registry/configmaps/", limit: 500)
            }
        }
        report("sqlite lists of 500 (of \(keys))", operations: lists, elapsed: listTime)
        await store.close()
    }

    @Test("watch fan-out keeps up with writers")
    func watch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.databasePath, options: .init(compaction: nil))
        let total = 20_000, writers = 16
        let watchers = (0..<4).map { _ in store.watch(prefix: "/registry/", afterRevision: 1) }
        let elapsed = try await ContinuousClock().measure {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for watcher in watchers {
                    group.addTask { _ = try await collect(total, from: watcher, timeout: .seconds(120)) }
                }
                for writer in 0..<writers {
                    group.addTask {
                        for index in 0..<(total / writers) {
                            _ = try await store.create("/registry/pods/w-\(writer)/p-\(index)", value: Self.value)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        report("sqlite creates with 4 watchers receiving all", operations: total, elapsed: elapsed)
        await store.close()
    }

    /// Bytes this process has passed to write(2) and friends (Linux /proc/self/io `wchar`): a steady measure of
    /// write amplification, unlike wall time on a shared machine.
    static func bytesWrittenByProcess() -> Int {
        guard let io = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8),
              let line = io.split(separator: "\n").first(where: { $0.hasPrefix("wchar:") }) else { return 0 }
        return Int(line.split(separator: " ").last ?? "") ?? 0
    }

    private func report(_ name: String, operations: Int, elapsed: Duration, extra: String = "") {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "BENCH %@: %d ops in %.3f s = %.0f ops/s %@", name, operations, seconds, Double(operations) / seconds, extra))
    }
}
