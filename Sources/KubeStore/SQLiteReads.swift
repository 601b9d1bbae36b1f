/// The store's read queries on one connection. Callers that combine several (a list and its remaining
/// count, a past read and its revision check) run them in one read transaction, so they see one snapshot.
extension SQLiteConnection {
    func revisionBounds() throws -> RevisionBounds {
        guard let bounds = try firstRow("SELECT revision, compacted FROM meta WHERE id = 0", [], {
            RevisionBounds(current: $0.int64(0), compacted: $0.int64(1))
        }) else {
            throw SQLiteError(code: 0, message: "meta row is missing", context: path)
        }
        return bounds
    }

    func currentVersion(of key: String) throws -> KeyValue? {
        try firstRow("SELECT c.create_rev, c.mod_rev, l.value FROM current AS c JOIN log AS l ON l.rev = c.mod_rev WHERE c.key = ?1", [.text(key)]) {
            KeyValue(key: key, value: $0.bytes(2), createRevision: $0.int64(0), modRevision: $0.int64(1))
        }
    }

    /// The version of `key` as of `revision`, from the log: its newest row at or below `revision`, unless that is a delete.
    func version(of key: String, at revision: Int64) throws -> KeyValue? {
        let newest = try firstRow(
            "SELECT rev, create_rev, deleted, value FROM log WHERE key = ?1 AND rev <= ?2 ORDER BY rev DESC LIMIT 1",
            [.text(key), .integer(revision)]
        ) { row -> KeyValue? in
            row.int64(2) != 0 ? nil : KeyValue(key: key, value: row.bytes(3), createRevision: row.int64(1), modRevision: row.int64(0))
        }
        return newest ?? nil
    }

    /// Live keys in `range` in key order, at most `limit` (nil = all); from `current` when `revision` is
    /// nil, else as of `revision` from the log.
    func versions(in range: KeyRange, at revision: Int64?, limit: Int?) throws -> [KeyValue] {
        var bindings: [SQLiteValue] = [.textBytes(range.lower), .textBytes(range.upper), .integer(Int64(limit ?? -1))]
        let sql: String
        if let revision {
            // SQLite takes bare columns (also in HAVING) from the row holding max(rev): each key's newest version.
            // Grouping and ordering by the indexed key lets the scan stop once the page is full.
            sql = """
                SELECT key, create_rev, max(rev), value FROM log
                WHERE key >= ?1 AND key < ?2 AND rev <= ?4
                GROUP BY key HAVING deleted = 0 ORDER BY key LIMIT ?3
                """
            bindings.append(.integer(revision))
        } else {
            sql = """
                SELECT c.key, c.create_rev, c.mod_rev, l.value FROM current AS c JOIN log AS l ON l.rev = c.mod_rev
                WHERE c.key >= ?1 AND c.key < ?2 ORDER BY c.key LIMIT ?3
                """
        }
        var items: [KeyValue] = []
        try forEachRow(sql, bindings) { row in
            items.append(KeyValue(key: row.text(0), value: row.bytes(3), createRevision: row.int64(1), modRevision: row.int64(2)))
        }
        return items
    }

    /// How many live keys are in `range`, now (nil) or as of `revision`.
    func count(in range: KeyRange, at revision: Int64?) throws -> Int64 {
        let bounds: [SQLiteValue] = [.textBytes(range.lower), .textBytes(range.upper)]
        guard let revision else {
            return try firstRow("SELECT count(*) FROM current WHERE key >= ?1 AND key < ?2", bounds) { $0.int64(0) } ?? 0
        }
        return try firstRow("""
            SELECT count(*) FROM (
                SELECT max(rev) FROM log WHERE key >= ?1 AND key < ?2 AND rev <= ?3 GROUP BY key HAVING deleted = 0
            )
            """, bounds + [.integer(revision)]) { $0.int64(0) } ?? 0
    }

    /// Write events for keys in `range` with revisions in (`after`, `through`], in revision order, at most `limit`.
    func events(in range: KeyRange, after: Int64, through: Int64, limit: Int) throws -> [StoreWatchEvent] {
        // The unary + keeps SQLite from using the key index: walking the log by revision is what we want here.
        let sql = """
            SELECT l.rev, l.key, l.create_rev, l.deleted, l.value, p.rev, p.create_rev, p.value
            FROM log AS l LEFT JOIN log AS p ON p.rev = l.prev_rev
            WHERE l.rev > ?1 AND l.rev <= ?2 AND +l.key >= ?3 AND +l.key < ?4
            ORDER BY l.rev LIMIT ?5
            """
        let bindings: [SQLiteValue] = [.integer(after), .integer(through), .textBytes(range.lower), .textBytes(range.upper), .integer(Int64(limit))]
        var events: [StoreWatchEvent] = []
        try forEachRow(sql, bindings) { row in
            let key = row.text(1)
            let previous = row.optionalInt64(5).map {
                KeyValue(key: key, value: row.bytes(7), createRevision: row.int64(6), modRevision: $0)
            }
            let revision = row.int64(0)
            if row.int64(3) != 0 {
                // A delete carries the deleted value, at the delete's revision.
                let deleted = KeyValue(key: key, value: previous?.value ?? [], createRevision: row.int64(2), modRevision: revision)
                events.append(StoreWatchEvent(type: .delete, kv: deleted, prevKV: previous))
            } else {
                let written = KeyValue(key: key, value: row.bytes(4), createRevision: row.int64(2), modRevision: revision)
                events.append(StoreWatchEvent(type: .put, kv: written, prevKV: previous))
            }
        }
        return events
    }
}
