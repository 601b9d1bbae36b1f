/// The store's write statements; run only by the writer thread, inside its write transactions.
extension SQLiteConnection {
    /// Records a write decided by `Mutation.apply`: a row in `log`, and the key's new state in `current`.
    func persist(_ event: StoreWatchEvent) throws {
        let kv = event.kv
        switch (event.type, event.prevKV) {
        case (.put, nil):
            try run("INSERT INTO current (key, create_rev, mod_rev) VALUES (?1, ?2, ?3)",
                    [.text(kv.key), .integer(kv.createRevision), .integer(kv.modRevision)])
        case (.put, .some):
            try run("UPDATE current SET mod_rev = ?2 WHERE key = ?1", [.text(kv.key), .integer(kv.modRevision)])
        case (.delete, _):
            try run("DELETE FROM current WHERE key = ?1", [.text(kv.key)])
        }
        let isDelete = event.type == .delete
        try run("INSERT INTO log (rev, key, create_rev, prev_rev, deleted, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                [.integer(kv.modRevision), .text(kv.key), .integer(kv.createRevision),
                 .optionalInteger(event.prevKV?.modRevision), .integer(isDelete ? 1 : 0), isDelete ? .null : .blob(kv.value)])
    }

    func setRevision(_ revision: Int64) throws {
        try run("UPDATE meta SET revision = ?1 WHERE id = 0", [.integer(revision)])
    }

    /// Compacts from `previous` up to `target`: removes every version superseded at or below `target`, and
    /// every delete at or below it. Everything below `previous` was already cleaned, so only rows written in
    /// (`previous`, `target`] can have superseded something new — found through their `prev_rev`.
    func compactHistory(from previous: Int64, to target: Int64) throws {
        let window: [SQLiteValue] = [.integer(previous), .integer(target)]
        try run("DELETE FROM log WHERE rev IN (SELECT prev_rev FROM log WHERE rev > ?1 AND rev <= ?2 AND prev_rev IS NOT NULL)", window)
        try run("DELETE FROM log WHERE rev > ?1 AND rev <= ?2 AND deleted = 1", window)
        try run("UPDATE meta SET compacted = ?1 WHERE id = 0", [.integer(target)])
    }

    /// Copies the WAL back into the database and truncates it, unless readers hold it (then it is retried
    /// after the next compaction; the autocheckpoint keeps it from growing meanwhile). Returns whether it completed.
    func checkpointAndTruncateWAL() throws -> Bool {
        // (busy, wal frames, frames checkpointed): busy = 1 when a reader prevented completion.
        try firstRow("PRAGMA wal_checkpoint(TRUNCATE)") { $0.int64(0) == 0 } ?? false
    }
}
