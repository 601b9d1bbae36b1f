import Testing
@testable import KubeStore

@Suite("Store writes and reads")
struct StoreWriteTests {
    @Test("an empty store is at revision 1 and the first write gets 2", arguments: Backend.allCases)
    func initialRevision(backend: Backend) async throws {
        try await withStore(backend) { store in
            #expect(try await store.currentRevision() == 1)
            #expect(try await store.compactedRevision() == 0)
            let created = try await store.create("/registry/pods/default/a", value: bytes("a"))
            #expect(created == KeyValue(key: "/registry/pods/default/a", value: bytes("a"), createRevision: 2, modRevision: 2))
            #expect(try await store.currentRevision() == 2)
        }
    }

    @Test("create, get, update and delete move the revision and keep create revision", arguments: Backend.allCases)
    func lifecycle(backend: Backend) async throws {
        try await withStore(backend) { store in
            let key = "/registry/configmaps/default/settings"
            let created = try await store.create(key, value: bytes("v1"))
            #expect(try await store.get(key) == created)

            let updated = try await store.update(key, value: bytes("v2"), expectedModRevision: created.modRevision)
            #expect(updated == KeyValue(key: key, value: bytes("v2"), createRevision: created.modRevision, modRevision: created.modRevision + 1))
            #expect(try await store.get(key) == updated)

            let unconditional = try await store.update(key, value: bytes("v3"))
            #expect(unconditional.modRevision == updated.modRevision + 1)

            let deleted = try await store.delete(key, expectedModRevision: unconditional.modRevision)
            #expect(deleted == KeyValue(key: key, value: bytes("v3"), createRevision: created.createRevision, modRevision: unconditional.modRevision + 1))
            #expect(try await store.get(key) == nil)
            #expect(try await store.currentRevision() == deleted.modRevision)

            // Re-creating starts a new life with a new create revision.
            let recreated = try await store.create(key, value: bytes("again"))
            #expect(recreated.createRevision == deleted.modRevision + 1)
        }
    }

    @Test("empty and binary values are stored exactly", arguments: Backend.allCases)
    func valuesRoundTrip(backend: Backend) async throws {
        try await withStore(backend) { store in
            let binary: [UInt8] = [0, 1, 2, 0xFF, 0, 0x80]
            let large = [UInt8](repeating: 0x5A, count: 1_500_000)
            _ = try await store.create("/empty", value: [])
            _ = try await store.create("/binary", value: binary)
            _ = try await store.create("/large", value: large)
            #expect(try await store.get("/empty")?.value == [])
            #expect(try await store.get("/binary")?.value == binary)
            #expect(try await store.get("/large")?.value == large)
        }
    }

    enum RefusedWrite: String, CaseIterable, CustomTestStringConvertible {
        case createExisting, updateMissing, deleteMissing, updateStale, deleteStale, updateMissingWithPrecondition
        var testDescription: String { rawValue }
    }

    @Test("refused writes fail with the right error and change nothing",
          arguments: Backend.allCases, RefusedWrite.allCases)
    func refusedWrites(backend: Backend, write: RefusedWrite) async throws {
        try await withStore(backend) { store in
            let existing = try await store.create("/a", value: bytes("1"))
            let current = try await store.update("/a", value: bytes("2"))
            let revisionBefore = try await store.currentRevision()
            let expected: StoreError
            do {
                switch write {
                case .createExisting:
                    expected = .keyExists(key: "/a")
                    _ = try await store.create("/a", value: bytes("x"))
                case .updateMissing:
                    expected = .notFound(key: "/missing")
                    _ = try await store.update("/missing", value: bytes("x"))
                case .deleteMissing:
                    expected = .notFound(key: "/missing")
                    _ = try await store.delete("/missing")
                case .updateStale:
                    expected = .conflict(key: "/a", current: current)
                    _ = try await store.update("/a", value: bytes("x"), expectedModRevision: existing.modRevision)
                case .deleteStale:
                    expected = .conflict(key: "/a", current: current)
                    _ = try await store.delete("/a", expectedModRevision: existing.modRevision)
                case .updateMissingWithPrecondition:
                    expected = .notFound(key: "/missing")
                    _ = try await store.update("/missing", value: bytes("x"), expectedModRevision: 2)
                }
                Issue.record("write succeeded")
                return
            } catch let error as StoreError {
                #expect(error == expected)
            }
            #expect(try await store.currentRevision() == revisionBefore)
            #expect(try await store.get("/a") == current)
        }
    }

    @Test("get at a past revision sees the version of that time", arguments: Backend.allCases)
    func getAtRevision(backend: Backend) async throws {
        try await withStore(backend) { store in
            let v1 = try await store.create("/k", value: bytes("1"))
            _ = try await store.create("/other", value: bytes("x"))
            let v2 = try await store.update("/k", value: bytes("2"))
            let deleted = try await store.delete("/k")

            #expect(try await store.get("/k", atRevision: 1) == nil)
            #expect(try await store.get("/k", atRevision: v1.modRevision) == v1)
            #expect(try await store.get("/k", atRevision: v1.modRevision + 1) == v1)
            #expect(try await store.get("/k", atRevision: v2.modRevision) == v2)
            #expect(try await store.get("/k", atRevision: deleted.modRevision) == nil)
            await #expect(throws: StoreError.futureRevision(requested: deleted.modRevision + 1, current: deleted.modRevision)) {
                try await store.get("/k", atRevision: deleted.modRevision + 1)
            }
        }
    }

    @Test("concurrent compare-and-swap increments of one key lose no update", arguments: Backend.allCases)
    func casCounter(backend: Backend) async throws {
        let workers = 8, incrementsPerWorker = 25
        try await withStore(backend) { store in
            _ = try await store.create("/counter", value: bytes("0"))
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<workers {
                    group.addTask {
                        var conflicts = 0
                        for _ in 0..<incrementsPerWorker {
                            var current = try await store.get("/counter")!
                            while true {
                                let next = Int(String(decoding: current.value, as: UTF8.self))! + 1
                                do {
                                    _ = try await store.update("/counter", value: bytes(String(next)), expectedModRevision: current.modRevision)
                                    break
                                } catch StoreError.conflict(_, let latest?) {
                                    conflicts += 1
                                    current = latest
                                }
                            }
                        }
                        return conflicts
                    }
                }
                try await group.waitForAll()
            }
            let final = try await store.get("/counter")!
            #expect(String(decoding: final.value, as: UTF8.self) == String(workers * incrementsPerWorker))
            #expect(final.modRevision == 2 + Int64(workers * incrementsPerWorker))
        }
    }

    @Test("a closed store refuses everything with .closed", arguments: Backend.allCases)
    func closed(backend: Backend) async throws {
        try await withStore(backend) { store in
            _ = try await store.create("/a", value: bytes("1"))
            await store.close()
            await store.close()  // idempotent
            await #expect(throws: StoreError.closed) { try await store.get("/a") }
            await #expect(throws: StoreError.closed) { try await store.create("/b", value: []) }
            await #expect(throws: StoreError.closed) { try await store.list(prefix: "/") }
            await #expect(throws: StoreError.closed) { try await store.currentRevision() }
            let error = await terminationError(of: store.watch(prefix: "/", afterRevision: 0))
            #expect(error as? StoreError == .closed)
        }
    }
}
