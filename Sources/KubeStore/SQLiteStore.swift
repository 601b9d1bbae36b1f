import Logging

/// The embedded `Store`: one SQLite file in WAL mode, written by one writer thread with group commit
/// (see `SQLiteWriter`), read through a pool of connections that never wait on the writer (see
/// `SQLiteReaderPool`), with in-memory watch fan-out (`WatchHub`) and automatic compaction.
///
/// A write whose call returned has been fsynced. Revisions continue from where they were after a
/// restart or a crash. Call `close()` when done.
public final class SQLiteStore: Store, WatchHistorySource {
    public let path: String
    private let writer: SQLiteWriter
    private let readers: SQLiteReaderPool
    private let hub: WatchHub
    private let autoCompactor = AutoCompactor()

    /// Opens (creating if needed) the store in the file at `path`.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        let (connection, bounds) = try translatingSQLiteErrors {
            let connection = try SQLiteConnection(path: path, busyTimeout: options.busyTimeout)
            try SQLiteSchema.prepareWriter(connection, walAutocheckpointPages: options.walAutocheckpointPages,
                                           journalSizeLimit: options.walSizeLimit)
            return (connection, try connection.revisionBounds())
        }
        hub = WatchHub(revision: bounds.current)
        writer = SQLiteWriter(connection: connection, bounds: bounds, hub: hub, maxBatchSize: options.maxBatchSize,
                              busyTimeout: options.busyTimeout, logger: options.logger)
        readers = SQLiteReaderPool(path: path, busyTimeout: options.busyTimeout, maxIdle: options.readConnections)
        if let policy = options.compaction {
            autoCompactor.start(policy, for: self, logger: options.logger)
        }
    }

    deinit {
        // Dropped without close(): let the writer thread finish and exit instead of parking forever.
        writer.requestStop()
        hub.close()
        readers.close()
    }

    /// Counters of the writer's group commit.
    public struct Statistics: Sendable, Equatable {
        /// Write transactions committed (each one fsync).
        public var commits: Int64
        /// Successful writes they carried.
        public var writes: Int64
    }

    public var statistics: Statistics { writer.statistics }

    /// Watches currently subscribed (for tests and metrics).
    public var watchCount: Int { hub.watcherCount }

    // MARK: Reads

    public func currentRevision() async throws -> Int64 {
        try readers.checkOpen()
        return writer.bounds.current
    }

    public func compactedRevision() async throws -> Int64 {
        try readers.checkOpen()
        return writer.bounds.compacted
    }

    public func get(_ key: String, atRevision: Int64?) async throws -> KeyValue? {
        guard let atRevision else {
            return try readers.read { try $0.currentVersion(of: key) }
        }
        return try readers.readSnapshot { db in
            let revision = try db.revisionBounds().readRevision(atRevision)
            return try db.version(of: key, at: revision)
        }
    }

    public func list(prefix: String, startAfter: String?, limit: Int?, atRevision: Int64?) async throws -> ListResult {
        try readers.readSnapshot { db in
            let bounds = try db.revisionBounds()
            let revision = try bounds.readRevision(atRevision)
            // At the snapshot's own revision the `current` table is the answer, without scanning history.
            let historical = revision == bounds.current ? nil : revision
            let pageSize = limit.flatMap { $0 > 0 ? $0 : nil }
            var items = try db.versions(in: KeyRange(prefix: prefix, startAfter: startAfter), at: historical,
                                        limit: pageSize.map { $0 + 1 })
            guard let pageSize, items.count > pageSize else {
                return ListResult(items: items, revision: revision, hasMore: false, remainingCount: nil)
            }
            items.removeLast(items.count - pageSize)
            let rest = KeyRange(prefix: prefix, startAfter: items[items.count - 1].key)
            let remaining = try db.count(in: rest, at: historical)
            return ListResult(items: items, revision: revision, hasMore: true, remainingCount: remaining)
        }
    }

    public func count(prefix: String) async throws -> Int64 {
        try readers.read { try $0.count(in: KeyRange(prefix: prefix), at: nil) }
    }

    // MARK: Writes

    public func create(_ key: String, value: [UInt8]) async throws -> KeyValue {
        try await writer.write(.create(key: key, value: value))
    }

    public func update(_ key: String, value: [UInt8], expectedModRevision: Int64?) async throws -> KeyValue {
        try await writer.write(.update(key: key, value: value, expectedModRevision: expectedModRevision))
    }

    public func delete(_ key: String, expectedModRevision: Int64?) async throws -> KeyValue {
        try await writer.write(.delete(key: key, expectedModRevision: expectedModRevision))
    }

    // MARK: Watch and compaction

    public func watch(prefix: String, afterRevision: Int64) -> AsyncThrowingStream<StoreWatchEvent, Error> {
        hub.watch(prefix: prefix, afterRevision: afterRevision, history: self)
    }

    func watchHistory(prefix: String, after: Int64, through: Int64, limit: Int) throws -> [StoreWatchEvent] {
        try readers.readSnapshot { db in
            try db.revisionBounds().checkWatchable(after: after)
            return try db.events(in: KeyRange(prefix: prefix), after: after, through: through, limit: limit)
        }
    }

    /// Compacts in steps of at most `compactionStep` revisions, each its own short write transaction, so
    /// writes queued meanwhile are committed between steps instead of waiting for one long delete.
    public func compact(revision: Int64) async throws {
        var bounds = writer.bounds
        guard try bounds.needsCompaction(to: revision) else { return }
        repeat {
            try await writer.compact(to: min(revision, bounds.compacted + Self.compactionStep))
            bounds = writer.bounds
        } while bounds.compacted < revision
    }

    static let compactionStep: Int64 = 10_000

    /// Stops automatic compaction, commits what is queued, ends watches (they throw `.closed`) and closes
    /// the file. Idempotent.
    public func close() async {
        await autoCompactor.stop()
        await writer.stop()
        hub.close()
        readers.close()
    }
}
