import Dispatch
import Foundation
import Logging
import Synchronization

/// The one writer: a dedicated thread that owns the write connection and commits queued writes in groups.
///
/// Callers enqueue a request and suspend. The thread takes everything queued (up to `maxBatchSize`), runs
/// it in one transaction — each write checked on its own, so a refused write fails alone — assigns
/// revisions in queue order, commits once (one fsync for the whole group), publishes the events to the
/// watch hub in revision order and only then resumes the callers. While it waits on the fsync, new
/// requests pile up for the next group: the busier the store, the bigger the groups.
///
/// SQLite calls and fsyncs block, so they run here rather than on Swift's cooperative thread pool, whose
/// few threads (one per core) must stay free for everything else.
final class SQLiteWriter: Sendable {
    fileprivate enum Request {
        case write(Mutation, CheckedContinuation<KeyValue, Error>)
        case compact(Int64, CheckedContinuation<Void, Error>)
    }

    fileprivate struct Queue {
        var requests: [Request] = []
        /// The thread is parked on `wakeUp` and must be signalled for the next request.
        var writerIsParked = false
        var isClosing = false
        var hasStopped = false
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let queue = Mutex(Queue())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let connection: SQLiteConnection
    private let hub: WatchHub
    private let maxBatchSize: Int
    private let busyTimeout: Duration
    private let logger: Logger
    /// Written only by the writer thread, after commit; read by anyone.
    private let committedRevision: Atomic<Int64>
    private let compactedRevision: Atomic<Int64>
    private let commitCount = Atomic<Int64>(0)
    private let committedWriteCount = Atomic<Int64>(0)

    /// Takes ownership of `connection`, which from now on is used only by the writer thread.
    init(connection: SQLiteConnection, bounds: RevisionBounds, hub: WatchHub, maxBatchSize: Int, busyTimeout: Duration, logger: Logger) {
        self.connection = connection
        self.hub = hub
        self.maxBatchSize = max(maxBatchSize, 1)
        self.busyTimeout = busyTimeout
        self.logger = logger
        committedRevision = Atomic(bounds.current)
        compactedRevision = Atomic(bounds.compacted)
        let thread = Thread { [self] in
            // Named from inside: that is when Foundation passes the name on to the OS (top -H, perf, gdb).
            Thread.current.name = "skiff-store-wr"
            run()
        }
        thread.start()
    }

    var bounds: RevisionBounds {
        RevisionBounds(current: committedRevision.load(ordering: .acquiring), compacted: compactedRevision.load(ordering: .acquiring))
    }

    /// Write transactions committed, and the writes they carried: their ratio is the group-commit batch size.
    var statistics: SQLiteStore.Statistics {
        SQLiteStore.Statistics(commits: commitCount.load(ordering: .relaxed), writes: committedWriteCount.load(ordering: .relaxed))
    }

    // MARK: Callers

    func write(_ mutation: Mutation) async throws -> KeyValue {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(.write(mutation, continuation))
        }
    }

    func compact(to revision: Int64) async throws {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(.compact(revision, continuation))
        }
    }

    /// Lets the writer finish what is queued, then stops it and closes the connection.
    /// Writes requested after this fail with `.closed`.
    func stop() async {
        await withCheckedContinuation { continuation in
            let stopped = queue.withLock { queue in
                if !queue.hasStopped { queue.stopWaiters.append(continuation) }
                return queue.hasStopped
            }
            requestStop()
            if stopped { continuation.resume() }
        }
    }

    /// Like `stop` without waiting for it; for a store dropped without `close()`.
    func requestStop() {
        let wake = queue.withLock { queue in
            queue.isClosing = true
            return queue.wakeWriter()
        }
        if wake { wakeUp.signal() }
    }

    private func enqueue(_ request: Request) {
        let accepted: Bool, wake: Bool
        (accepted, wake) = queue.withLock { queue in
            guard !queue.isClosing else { return (false, false) }
            queue.requests.append(request)
            return (true, queue.wakeWriter())
        }
        if wake { wakeUp.signal() }
        if !accepted { request.fail(with: .closed) }
    }

    // MARK: Writer thread

    private func run() {
        while let batch = nextBatch() {
            var writes: [(Mutation, CheckedContinuation<KeyValue, Error>)] = []
            var compactions: [(Int64, CheckedContinuation<Void, Error>)] = []
            for request in batch {
                switch request {
                case .write(let mutation, let continuation): writes.append((mutation, continuation))
                case .compact(let revision, let continuation): compactions.append((revision, continuation))
                }
            }
            if !writes.isEmpty { commit(writes) }
            for (revision, continuation) in compactions {
                continuation.resume(with: Result { () throws(StoreError) in try compact(to: revision) })
            }
        }
        connection.close()
        let waiters = queue.withLock { queue in
            queue.hasStopped = true
            defer { queue.stopWaiters.removeAll() }
            return queue.stopWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Blocks until there is work; nil once closing and drained.
    private func nextBatch() -> [Request]? {
        enum Next { case batch([Request]), park, stop }
        while true {
            let next = queue.withLock { queue -> Next in
                if !queue.requests.isEmpty {
                    let count = min(queue.requests.count, maxBatchSize)
                    defer { queue.requests.removeFirst(count) }
                    return .batch(Array(queue.requests.prefix(count)))
                }
                if queue.isClosing { return .stop }
                queue.writerIsParked = true
                return .park
            }
            switch next {
            case .batch(let batch): return batch
            case .stop: return nil
            case .park: wakeUp.wait()
            }
        }
    }

    /// Runs a group of writes in one transaction and reports each outcome after the commit.
    private func commit(_ writes: [(Mutation, CheckedContinuation<KeyValue, Error>)]) {
        let base = committedRevision.load(ordering: .relaxed)
        var revision = base
        var outcomes: [Result<StoreWatchEvent, StoreError>] = []
        outcomes.reserveCapacity(writes.count)
        do {
            try connection.transaction(.immediate) {
                for (mutation, _) in writes {
                    let current = try connection.currentVersion(of: mutation.key)
                    let event: StoreWatchEvent
                    do throws(StoreError) {
                        event = try mutation.apply(to: current, at: revision + 1)
                    } catch {
                        outcomes.append(.failure(error))
                        continue
                    }
                    try connection.persist(event)
                    revision = event.revision
                    outcomes.append(.success(event))
                }
                if revision > base { try connection.setRevision(revision) }
            }
        } catch {
            // Nothing of the group was committed and no revision was used. So that one write the engine
            // rejects cannot fail its whole group, retry each on its own before reporting failure.
            guard writes.count == 1 else {
                for write in writes { commit([write]) }
                return
            }
            logger.error("store write failed", metadata: ["key": "\(writes[0].0.key)", "error": "\(error)"])
            writes[0].1.resume(throwing: StoreError.backend("write of \(writes[0].0.key) failed: \(error)"))
            return
        }
        committedRevision.store(revision, ordering: .releasing)
        commitCount.add(1, ordering: .relaxed)
        committedWriteCount.add(revision - base, ordering: .relaxed)
        hub.publish(outcomes.compactMap { try? $0.get() })
        for ((_, continuation), outcome) in zip(writes, outcomes) {
            continuation.resume(with: outcome.map(\.kv).mapError { $0 as Error })
        }
    }

    private func compact(to target: Int64) throws(StoreError) {
        let bounds = self.bounds
        guard try bounds.needsCompaction(to: target) else { return }
        try translatingSQLiteErrors {
            try connection.transaction(.immediate) {
                try connection.compactHistory(from: bounds.compacted, to: target)
            }
        }
        compactedRevision.store(target, ordering: .releasing)
        logger.debug("store compacted", metadata: ["revision": "\(target)"])
        truncateWAL()
    }

    /// Compaction just freed log pages; a truncating checkpoint returns the WAL's space to the file system.
    private func truncateWAL() {
        // Waiting long for readers to move on would stall writes; a busy checkpoint is simply retried next time.
        connection.setBusyTimeout(.milliseconds(50))
        defer { connection.setBusyTimeout(busyTimeout) }
        do {
            if try !connection.checkpointAndTruncateWAL() {
                logger.debug("WAL checkpoint after compaction could not complete: readers are active")
            }
        } catch {
            logger.warning("WAL checkpoint after compaction failed", metadata: ["error": "\(error)"])
        }
    }
}

extension SQLiteWriter.Queue {
    /// Called with a request queued or closing requested: true when the caller must signal the parked writer.
    fileprivate mutating func wakeWriter() -> Bool {
        defer { writerIsParked = false }
        return writerIsParked
    }
}

extension SQLiteWriter.Request {
    fileprivate func fail(with error: StoreError) {
        switch self {
        case .write(_, let continuation): continuation.resume(throwing: error)
        case .compact(_, let continuation): continuation.resume(throwing: error)
        }
    }
}
