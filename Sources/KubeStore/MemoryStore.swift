import Logging
import Synchronization

/// An in-memory `Store` with the same semantics as the SQLite one (history, reads at past revisions, watch,
/// compaction), for unit tests of other modules. Simple rather than fast: past-revision reads scan the log.
/// Automatic compaction is off unless a policy is given.
public final class MemoryStore: Store, WatchHistorySource {
    private struct State {
        var bounds = RevisionBounds(current: 1, compacted: 0)
        var current: [String: KeyValue] = [:]
        /// Every retained write, in revision order: the event it published.
        var log: [StoreWatchEvent] = []
        var isClosed = false

        func checkOpen() throws(StoreError) {
            if isClosed { throw .closed }
        }

        func readRevision(_ requested: Int64?) throws(StoreError) -> Int64 {
            try checkOpen()
            return try bounds.readRevision(requested)
        }

        /// The version of every key in `range` as of `revision`, in key order (deleted keys left out).
        func snapshot(of range: KeyRange, at revision: Int64) -> [KeyValue] {
            if revision == bounds.current {
                return current.values.filter { range.contains($0.key) }.sorted { $0.key.precedesInKeyOrder($1.key) }
            }
            var latest: [String: StoreWatchEvent] = [:]
            for event in log where event.revision <= revision && range.contains(event.kv.key) {
                latest[event.kv.key] = event
            }
            return latest.values.filter { $0.type == .put }.map(\.kv).sorted { $0.key.precedesInKeyOrder($1.key) }
        }

        /// Index of the first log entry with a revision above `revision`.
        func logIndex(after revision: Int64) -> Int {
            var low = 0, high = log.count
            while low < high {
                let mid = (low + high) / 2
                if log[mid].revision <= revision { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    private let state = Mutex(State())
    private let hub = WatchHub(revision: 1)
    private let autoCompactor = AutoCompactor()

    public init(compaction: CompactionPolicy? = nil, logger: Logger = Logger(label: "skiff.store.memory")) {
        if let compaction {
            autoCompactor.start(compaction, for: self, logger: logger)
        }
    }

    deinit {
        // Dropped without close(): end watches rather than leave them waiting forever.
        hub.close()
    }

    /// Watches currently subscribed (for tests).
    public var watchCount: Int { hub.watcherCount }

    public func currentRevision() async throws -> Int64 {
        try state.withLock { state throws(StoreError) in
            try state.checkOpen()
            return state.bounds.current
        }
    }

    public func compactedRevision() async throws -> Int64 {
        try state.withLock { state throws(StoreError) in
            try state.checkOpen()
            return state.bounds.compacted
        }
    }

    public func get(_ key: String, atRevision: Int64?) async throws -> KeyValue? {
        try state.withLock { state throws(StoreError) in
            let revision = try state.readRevision(atRevision)
            if revision == state.bounds.current { return state.current[key] }
            let version = state.log[..<state.logIndex(after: revision)].last { $0.kv.key == key }
            return version?.type == .put ? version?.kv : nil
        }
    }

    public func list(prefix: String, startAfter: String?, limit: Int?, atRevision: Int64?) async throws -> ListResult {
        try state.withLock { state throws(StoreError) in
            let revision = try state.readRevision(atRevision)
            let all = state.snapshot(of: KeyRange(prefix: prefix, startAfter: startAfter), at: revision)
            guard let limit, limit > 0, all.count > limit else {
                return ListResult(items: all, revision: revision, hasMore: false, remainingCount: nil)
            }
            return ListResult(items: Array(all.prefix(limit)), revision: revision, hasMore: true,
                              remainingCount: Int64(all.count - limit))
        }
    }

    public func count(prefix: String) async throws -> Int64 {
        try state.withLock { state throws(StoreError) in
            try state.checkOpen()
            let range = KeyRange(prefix: prefix)
            return Int64(state.current.keys.count { range.contains($0) })
        }
    }

    public func create(_ key: String, value: [UInt8]) async throws -> KeyValue {
        try write(.create(key: key, value: value))
    }

    public func update(_ key: String, value: [UInt8], expectedModRevision: Int64?) async throws -> KeyValue {
        try write(.update(key: key, value: value, expectedModRevision: expectedModRevision))
    }

    public func delete(_ key: String, expectedModRevision: Int64?) async throws -> KeyValue {
        try write(.delete(key: key, expectedModRevision: expectedModRevision))
    }

    private func write(_ mutation: Mutation) throws(StoreError) -> KeyValue {
        try state.withLock { state throws(StoreError) in
            try state.checkOpen()
            let event = try mutation.apply(to: state.current[mutation.key], at: state.bounds.current + 1)
            state.bounds.current = event.revision
            state.current[mutation.key] = event.type == .put ? event.kv : nil
            state.log.append(event)
            // Published under the lock so watchers get events in revision order.
            hub.publish([event])
            return event.kv
        }
    }

    public func watch(prefix: String, afterRevision: Int64) -> AsyncThrowingStream<StoreWatchEvent, Error> {
        hub.watch(prefix: prefix, afterRevision: afterRevision, history: self)
    }

    func watchHistory(prefix: String, after: Int64, through: Int64, limit: Int) throws -> [StoreWatchEvent] {
        try state.withLock { state throws(StoreError) in
            try state.checkOpen()
            try state.bounds.checkWatchable(after: after)
            let range = KeyRange(prefix: prefix)
            return Array(state.log[state.logIndex(after: after)...]
                .lazy
                .prefix { $0.revision <= through }
                .filter { range.contains($0.kv.key) }
                .prefix(limit))
        }
    }

    public func compact(revision: Int64) async throws {
        try state.withLock { state throws(StoreError) in
            try state.checkOpen()
            guard try state.bounds.needsCompaction(to: revision) else { return }
            // Keep, per key, only the newest version at or below `revision`, and drop it too if it is a delete.
            let boundary = state.logIndex(after: revision)
            var seen = Set<String>()
            var kept: [StoreWatchEvent] = []
            for event in state.log[..<boundary].reversed() where seen.insert(event.kv.key).inserted && event.type == .put {
                kept.append(event)
            }
            state.log = kept.reversed() + state.log[boundary...]
            state.bounds.compacted = revision
        }
    }

    public func close() async {
        await autoCompactor.stop()
        state.withLock { $0.isClosed = true }
        hub.close()
    }
}
