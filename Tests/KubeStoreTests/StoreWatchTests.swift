import Testing
@testable import KubeStore

@Suite("Store watch")
struct StoreWatchTests {
    @Test("events carry the new value, the previous one, and deletes the last value", arguments: Backend.allCases)
    func eventContents(backend: Backend) async throws {
        try await withStore(backend) { store in
            let stream = store.watch(prefix: "/w/", afterRevision: try await store.currentRevision())
            let created = try await store.create("/w/a", value: bytes("1"))
            _ = try await store.create("/elsewhere", value: bytes("ignored"))
            let updated = try await store.update("/w/a", value: bytes("2"))
            let deleted = try await store.delete("/w/a")

            let events = try await collect(3, from: stream)
            #expect(events == [
                StoreWatchEvent(type: .put, kv: created, prevKV: nil),
                StoreWatchEvent(type: .put, kv: updated, prevKV: created),
                StoreWatchEvent(type: .delete, kv: deleted, prevKV: updated),
            ])
            #expect(events.map(\.isCreate) == [true, false, false])
            #expect(events[2].kv.value == bytes("2"))
        }
    }

    enum Start: String, CaseIterable, CustomTestStringConvertible {
        case zero, past, current, future
        var testDescription: String { rawValue }
    }

    @Test("a watch replays history after its revision and continues live", arguments: Backend.allCases, Start.allCases)
    func startRevisions(backend: Backend, start: Start) async throws {
        try await withStore(backend) { store in
            for index in 0..<10 { _ = try await store.create("/h/\(index)", value: bytes("\(index)")) }  // revisions 2…11
            let after: Int64 = switch start {
                case .zero: 0
                case .past: 6
                case .current: 11
                case .future: 15
            }
            let stream = store.watch(prefix: "/h/", afterRevision: after)
            for index in 10..<20 { _ = try await store.create("/h/\(index)", value: bytes("\(index)")) }  // 12…21
            let expectedFirst = max(after, 1) + 1
            let events = try await collect(Int(21 - expectedFirst + 1), from: stream)
            #expect(areContiguous(events.map(\.revision), from: expectedFirst))
        }
    }

    @Test("a replay longer than one history page is complete", arguments: Backend.allCases)
    func longReplay(backend: Backend) async throws {
        let keys = WatchHub.replayPageSize * 2 + 7, writers = 8
        try await withStore(backend) { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for index in stride(from: writer, to: keys, by: writers) {
                            _ = try await store.create("/long/\(index)", value: bytes("\(index)"))
                            _ = try await store.create("/other/\(index)", value: [])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let everything = try await collect(2 * keys, from: store.watch(prefix: "/", afterRevision: 1))
            #expect(areContiguous(everything.map(\.revision), from: 2))
            let long = try await collect(keys, from: store.watch(prefix: "/long/", afterRevision: 1))
            #expect(long == everything.filter { $0.kv.key.hasPrefix("/long/") })
        }
    }

    @Test("watchers see every revision once, in order, while writers hammer the store", arguments: Backend.allCases)
    func concurrentWriters(backend: Backend) async throws {
        let writers = 8, writesPerWriter = 200
        let total = writers * writesPerWriter
        try await withStore(backend) { store in
            let start = try await store.currentRevision()
            let fromStart = store.watch(prefix: "/load/", afterRevision: start)
            let onlyWriterZero = store.watch(prefix: "/load/0/", afterRevision: start)
            let catchingUp = Task<[StoreWatchEvent], Error> {
                // Joins mid-stream from the beginning: history replay and live events must meet without gap.
                while try await store.currentRevision() < start + Int64(total / 3) { await Task.yield() }
                return try await collect(total, from: store.watch(prefix: "/load/", afterRevision: start))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for index in 0..<writesPerWriter {
                            let key = "/load/\(writer)/\(index % 20)"
                            if index < 20 {
                                _ = try await store.create(key, value: bytes("\(index)"))
                            } else if index % 10 == 9 {
                                _ = try await store.delete(key)
                                _ = try await store.create(key, value: bytes("\(index)"))
                            } else {
                                _ = try await store.update(key, value: bytes("\(index)"))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let writes = Int(try await store.currentRevision() - start)
            let all = try await collect(writes, from: fromStart)
            #expect(areContiguous(all.map(\.revision), from: start + 1))
            let late = try await catchingUp.value
            #expect(late == Array(all.prefix(total)))

            let mine = all.filter { $0.kv.key.hasPrefix("/load/0/") }
            let filtered = try await collect(mine.count, from: onlyWriterZero)
            #expect(filtered == mine)
        }
    }

    @Test("a watcher that stops iterating or is cancelled is unsubscribed", arguments: Backend.allCases)
    func unsubscribe(backend: Backend) async throws {
        try await withStore(backend) { store in
            let watchCount = { (store as? SQLiteStore)?.watchCount ?? (store as! MemoryStore).watchCount }
            _ = try await store.create("/u/a", value: [])
            let stopsAfterOne = Task { try await collect(1, from: store.watch(prefix: "/u/", afterRevision: 1)) }
            let runsUntilCancelled = Task { for try await _ in store.watch(prefix: "/u/", afterRevision: 1) {} }
            #expect(try await stopsAfterOne.value.count == 1)
            while watchCount() == 0 { await Task.yield() }
            runsUntilCancelled.cancel()
            _ = await runsUntilCancelled.result
            let deadline = ContinuousClock.now + .seconds(5)
            while watchCount() > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(watchCount() == 0)
        }
    }

    @Test("closing the store ends live watches with .closed", arguments: Backend.allCases)
    func closeEndsWatches(backend: Backend) async throws {
        try await withStore(backend) { store in
            let stream = store.watch(prefix: "/", afterRevision: 1)
            let ending = Task { await terminationError(of: stream) }
            _ = try await store.create("/x", value: [])
            await store.close()
            #expect(await ending.value as? StoreError == .closed)
        }
    }
}
