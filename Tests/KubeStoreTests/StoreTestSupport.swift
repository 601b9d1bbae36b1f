import Foundation
import Testing
@testable import KubeStore

/// The backends every behavioural test runs against.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case sqlite

    var testDescription: String { rawValue }
}

/// A fresh directory under the system temp dir, removed by `remove()`.
struct TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var databasePath: String { url.appendingPathComponent("store.db").path }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

extension SQLiteStore.Options {
    /// No background compaction, so tests control history exactly.
    static var forTests: Self { Self(compaction: nil) }
}

/// Runs `body` against a new, empty store of `backend`, then closes it and deletes its files.
func withStore<T>(
    _ backend: Backend,
    compaction: CompactionPolicy? = nil,
    _ body: (any Store) async throws -> T
) async throws -> T {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let store: any Store
    switch backend {
    case .memory:
        store = MemoryStore(compaction: compaction)
    case .sqlite:
        store = try SQLiteStore(path: directory.databasePath, options: .init(compaction: compaction))
    }
    do {
        let result = try await body(store)
        await store.close()
        return result
    } catch {
        await store.close()
        throw error
    }
}

func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// The first `count` events of `stream`, failing if they do not all arrive within `timeout`.
func collect(
    _ count: Int,
    from stream: AsyncThrowingStream<StoreWatchEvent, Error>,
    timeout: Duration = .seconds(20)
) async throws -> [StoreWatchEvent] {
    try await withThrowingTaskGroup(of: [StoreWatchEvent]?.self) { group in
        group.addTask {
            var events: [StoreWatchEvent] = []
            guard count > 0 else { return events }
            for try await event in stream {
                events.append(event)
                if events.count == count { break }
            }
            return events
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let events = try await group.next() ?? nil else {
            throw TimedOut(description: "watch did not deliver \(count) events within \(timeout)")
        }
        return events
    }
}

/// The error the stream ends with, or nil if it ends cleanly.
func terminationError(of stream: AsyncThrowingStream<StoreWatchEvent, Error>) async -> (any Error)? {
    do {
        for try await _ in stream {}
        return nil
    } catch {
        return error
    }
}

/// Whether `revisions` are exactly first, first+1, …
func areContiguous(_ revisions: [Int64], from first: Int64) -> Bool {
    revisions == Array(first..<(first + Int64(revisions.count)))
}
