import Testing
@testable import KubeStore

@Suite("Store compaction")
struct StoreCompactionTests {
    @Test("after compaction older revisions are gone and newer ones still read", arguments: Backend.allCases)
    func compaction(backend: Backend) async throws {
        try await withStore(backend) { store in
            let k1v1 = try await store.create("/c/k1", value: bytes("1"))      // 2
            let k1v2 = try await store.update("/c/k1", value: bytes("2"))      // 3
            let k2 = try await store.create("/c/k2", value: bytes("x"))        // 4
            let k2Deleted = try await store.delete("/c/k2")                    // 5
            let k1v3 = try await store.update("/c/k1", value: bytes("3"))      // 6
            #expect(k1v1.modRevision == 2 && k1v3.modRevision == 6)

            try await store.compact(revision: 4)
            #expect(try await store.compactedRevision() == 4)
            await #expect(throws: StoreError.compacted(requested: 3, compactedRevision: 4)) {
                try await store.get("/c/k1", atRevision: 3)
            }
            await #expect(throws: StoreError.compacted(requested: 2, compactedRevision: 4)) {
                try await store.list(prefix: "/c/", startAfter: nil, limit: nil, atRevision: 2)
            }
            #expect(try await store.get("/c/k1", atRevision: 4) == k1v2)
            #expect(try await store.get("/c/k2", atRevision: 4) == k2)
            #expect(try await store.get("/c/k2", atRevision: 5) == nil)
            #expect(try await store.list(prefix: "/c/", startAfter: nil, limit: nil, atRevision: 4).items == [k1v2, k2])
            #expect(try await store.list(prefix: "/c/", startAfter: nil, limit: nil, atRevision: 5).items == [k1v2])

            let tooOld = await terminationError(of: store.watch(prefix: "/c/", afterRevision: 3))
            #expect(tooOld as? StoreError == .compacted(requested: 3, compactedRevision: 4))

            // Watching from the compacted revision still replays everything after it, with previous values.
            let events = try await collect(2, from: store.watch(prefix: "/c/", afterRevision: 4))
            #expect(events == [
                StoreWatchEvent(type: .delete, kv: k2Deleted, prevKV: k2),
                StoreWatchEvent(type: .put, kv: k1v3, prevKV: k1v2),
            ])

            try await store.compact(revision: 6)
            #expect(try await store.get("/c/k1", atRevision: 6) == k1v3)
            #expect(try await store.list(prefix: "/c/", startAfter: nil, limit: nil, atRevision: 6).items == [k1v3])
            await #expect(throws: StoreError.compacted(requested: 5, compactedRevision: 6)) {
                try await store.get("/c/k1", atRevision: 5)
            }

            // Compacting backwards does nothing; into the future is refused.
            try await store.compact(revision: 3)
            #expect(try await store.compactedRevision() == 6)
            await #expect(throws: StoreError.futureRevision(requested: 7, current: 6)) {
                try await store.compact(revision: 7)
            }

            // Writes carry on as before.
            let k1v4 = try await store.update("/c/k1", value: bytes("4"), expectedModRevision: k1v3.modRevision)
            #expect(k1v4.modRevision == 7 && k1v4.createRevision == k1v1.createRevision)
        }
    }

    @Test("automatic compaction trims history older than the retention", arguments: Backend.allCases)
    func automatic(backend: Backend) async throws {
        let policy = CompactionPolicy(retention: .milliseconds(200), interval: .milliseconds(20))
        try await withStore(backend, compaction: policy) { store in
            let first = try await store.create("/auto/a", value: bytes("1"))
            let second = try await store.update("/auto/a", value: bytes("2"))
            let deadline = ContinuousClock.now + .seconds(10)
            while try await store.compactedRevision() < second.modRevision, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await store.compactedRevision() >= second.modRevision)
            await #expect(throws: StoreError.self) { try await store.get("/auto/a", atRevision: first.modRevision) }
            #expect(try await store.get("/auto/a") == second)
        }
    }
}
