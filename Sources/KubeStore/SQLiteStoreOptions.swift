import Logging

extension SQLiteStore {
    /// Tuning for `SQLiteStore`; the defaults suit a control plane.
    public struct Options: Sendable {
        /// Automatic compaction; nil turns it off (history is then kept until `compact(revision:)`).
        public var compaction: CompactionPolicy?
        /// How long a connection waits on a lock before reporting it. With one writer and WAL readers a lock
        /// is never held for long, so this only rides out brief moments such as checkpoints.
        public var busyTimeout: Duration
        /// Read connections kept open for reuse.
        public var readConnections: Int
        /// Most writes committed in one transaction (one fsync).
        public var maxBatchSize: Int
        /// WAL size, in pages, at which a commit copies it back into the database (SQLite's wal_autocheckpoint).
        public var walAutocheckpointPages: Int
        /// WAL file size SQLite truncates back to after a checkpoint resets it (journal_size_limit), in bytes.
        public var walSizeLimit: Int
        public var logger: Logger

        public init(
            compaction: CompactionPolicy? = .default,
            busyTimeout: Duration = .seconds(10),
            readConnections: Int = 4,
            maxBatchSize: Int = 1000,
            walAutocheckpointPages: Int = 1000,
            walSizeLimit: Int = 64 << 20,
            logger: Logger = Logger(label: "skiff.store")
        ) {
            self.compaction = compaction
            self.busyTimeout = busyTimeout
            self.readConnections = readConnections
            self.maxBatchSize = maxBatchSize
            self.walAutocheckpointPages = walAutocheckpointPages
            self.walSizeLimit = walSizeLimit
            self.logger = logger
        }
    }
}
