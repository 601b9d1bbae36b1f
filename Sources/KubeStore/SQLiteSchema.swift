/// The store's tables, and the pragmas each kind of connection runs with.
///
/// - `log`: every retained write by revision (the rowid), for watch replay and reads at past revisions.
///   A put row holds its value; a delete row (tombstone) holds none. `prev_rev` points at the row of the
///   version a write replaced, which gives watch events their previous value without copying it, and
///   lets compaction find superseded rows from the new rows alone.
/// - `current`: every live key with its create and mod revision, in one small B-tree keyed by key (no
///   rowid). The value is not copied here: it is read from the log row at `mod_rev`, which compaction never
///   removes (it is the newest version of its key). A latest read is two B-tree probes, and a write stores
///   its value once — writing it twice made each commit dirty twice the pages, which cost throughput.
/// - `meta`: one row with the store's revision (which a compaction must never lower, so it cannot be
///   derived from `log`) and the compacted revision.
enum SQLiteSchema {
    static let version: Int64 = 1

    private static let tables = """
        CREATE TABLE current (
            key TEXT PRIMARY KEY NOT NULL,
            create_rev INTEGER NOT NULL,
            mod_rev INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE log (
            rev INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            create_rev INTEGER NOT NULL,
            prev_rev INTEGER,
            deleted INTEGER NOT NULL,
            value BLOB
        );
        CREATE INDEX log_by_key ON log (key, rev);
        CREATE TABLE meta (
            id INTEGER PRIMARY KEY CHECK (id = 0),
            revision INTEGER NOT NULL,
            compacted INTEGER NOT NULL
        );
        INSERT INTO meta (id, revision, compacted) VALUES (0, 1, 0);
        """

    /// Sets up the writer connection: WAL, full fsync on commit, checkpoint limits; creates the tables on first open.
    static func prepareWriter(_ db: SQLiteConnection, walAutocheckpointPages: Int, journalSizeLimit: Int) throws {
        let journalMode = try db.firstRow("PRAGMA journal_mode = WAL") { $0.text(0) }
        guard journalMode?.lowercased() == "wal" else {
            throw SQLiteError(code: 0, message: "could not switch to WAL journal mode (got \(journalMode ?? "nothing"))", context: db.path)
        }
        // FULL: the WAL is fsynced at every commit, so a write that returned survives a crash or power loss.
        try db.execute("""
            PRAGMA synchronous = FULL;
            PRAGMA wal_autocheckpoint = \(walAutocheckpointPages);
            PRAGMA journal_size_limit = \(journalSizeLimit);
            PRAGMA foreign_keys = OFF;
            """)
        try db.transaction(.immediate) {
            let existing = try db.firstRow("PRAGMA user_version") { $0.int64(0) } ?? 0
            switch existing {
            case 0:
                try db.execute(tables)
                try db.execute("PRAGMA user_version = \(version)")
            case version:
                break
            default:
                throw SQLiteError(code: 0, message: "schema version \(existing) is not supported (this build knows version \(version))", context: db.path)
            }
        }
    }

    /// Reader connections can never write, so a bug cannot turn one into a second writer.
    static func prepareReader(_ db: SQLiteConnection) throws {
        try db.execute("PRAGMA query_only = ON")
    }
}
