import Foundation
import Testing
@testable import KubeStore

@Suite("SQLite store")
struct SQLiteStoreTests {
    @Test("reopening keeps data, revision and compacted revision, and revisions continue upward")
    func reopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        let first = try SQLiteStore(path: directory.databasePath, options: .forTests)
        let kept = try await first.create("/r/kept", value: bytes("1"))
        _ = try await first.create("/r/gone", value: bytes("2"))
        let deleted = try await first.delete("/r/gone")
        try await first.compact(revision: kept.modRevision)
        await first.close()

        let second = try SQLiteStore(path: directory.databasePath, options: .forTests)
        #expect(try await second.currentRevision() == deleted.modRevision)
        #expect(try await second.compactedRevision() == kept.modRevision)
        #expect(try await second.get("/r/kept") == kept)
        #expect(try await second.get("/r/gone") == nil)
        let next = try await second.create("/r/next", value: [])
        #expect(next.modRevision == deleted.modRevision + 1)
        let history = try await collect(3, from: second.watch(prefix: "/r/", afterRevision: kept.modRevision))
        #expect(history.map(\.revision) == [deleted.modRevision - 1, deleted.modRevision, next.modRevision])
        await second.close()
    }

    @Test("revisions never go backwards, even when compaction removes the newest log row")
    func revisionSurvivesCompactionOfTombstone() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.databasePath, options: .forTests)
        _ = try await store.create("/t", value: [])
        let deleted = try await store.delete("/t")
        try await store.compact(revision: deleted.modRevision)  // removes the tombstone, the newest row
        await store.close()

        let reopened = try SQLiteStore(path: directory.databasePath, options: .forTests)
        #expect(try await reopened.currentRevision() == deleted.modRevision)
        #expect(try await reopened.create("/t", value: []).modRevision == deleted.modRevision + 1)
        await reopened.close()
    }

    @Test("concurrent creates are group-committed with unique, contiguous revisions")
    func groupCommit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.databasePath, options: .forTests)
        let writers = 64
        let revisions = try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<writers {
                group.addTask { try await store.create("/g/\(index)", value: bytes("\(index)")).modRevision }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(revisions.sorted() == Array(2...Int64(writers + 1)))
        #expect(try await store.count(prefix: "/g/") == Int64(writers))
        let statistics = store.statistics
        #expect(statistics.writes == Int64(writers))
        #expect(statistics.commits < Int64(writers), "writes should share transactions")
        await store.close()
    }

    @Test("a refused write in a group fails alone")
    func refusedWriteInGroup() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.databasePath, options: .forTests)
        let results = await withTaskGroup(of: Result<KeyValue, StoreError>.self) { group in
            for index in 0..<32 {
                // Every index creates /dup once more: exactly one of the /dup creates wins.
                group.addTask {
                    do { return .success(try await store.create(index % 2 == 0 ? "/dup" : "/unique/\(index)", value: [])) }
                    catch { return .failure(error as! StoreError) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let failures = results.filter { if case .failure = $0 { true } else { false } }
        #expect(failures.count == 15)
        #expect(failures.allSatisfy { $0 == .failure(.keyExists(key: "/dup")) })
        #expect(try await store.currentRevision() == 1 + 17)
        await store.close()
    }

    @Test("compaction deletes superseded versions and tombstones from the log")
    func compactionShrinksLog() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.databasePath, options: .forTests)
        for round in 0..<50 {
            _ = try await round == 0 ? store.create("/c/live", value: bytes("\(round)")) : store.update("/c/live", value: bytes("\(round)"))
            _ = try await store.create("/c/temp\(round)", value: [])
            _ = try await store.delete("/c/temp\(round)")
        }
        let logRows = { try SQLiteConnection(path: directory.databasePath, busyTimeout: .seconds(1)).firstRow("SELECT count(*) FROM log") { $0.int64(0) } }
        #expect(try logRows() == 150)
        try await store.compact(revision: try await store.currentRevision())
        #expect(try logRows() == 1, "only the latest version of the live key is left")
        #expect(try await store.get("/c/live")?.value == bytes("49"))
        await store.close()
    }

    @Test("the WAL is truncated after compaction")
    func walStaysBounded() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.databasePath, options: .forTests)
        let value = [UInt8](repeating: 7, count: 4096)
        for index in 0..<300 {
            _ = try await store.create("/wal/\(index)", value: value)
        }
        let walPath = directory.databasePath + "-wal"
        let walSize = { (try FileManager.default.attributesOfItem(atPath: walPath)[.size] as? NSNumber)?.intValue ?? 0 }
        #expect(try walSize() > 1 << 20)
        try await store.compact(revision: try await store.currentRevision())
        #expect(try walSize() == 0)
        await store.close()
    }

    @Test("opening a path that cannot be a database fails with a clear backend error")
    func openFailure() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect {
            _ = try SQLiteStore(path: directory.url.path, options: .forTests)  // a directory
        } throws: { error in
            guard case StoreError.backend(let message) = error else { return false }
            return message.contains(directory.url.path)
        }
    }
}
