import CSQLite

/// SQLITE_TRANSIENT: SQLite copies bound text and blobs, so Swift buffers need only live for the bind call.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement. Owned by one connection and used by one thread at a time, like the connection.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let db: OpaquePointer
    let sql: String

    init(db: OpaquePointer, sql: String) throws {
        var handle: OpaquePointer?
        let code = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard code == SQLITE_OK, let handle else {
            throw SQLiteError(code: code, db: db, context: "preparing \(sql)")
        }
        self.handle = handle
        self.db = db
        self.sql = sql
    }

    func finalize() {
        sqlite3_finalize(handle)
    }

    /// Clears the previous run and binds `values` to parameters 1…n.
    func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .integer(let number):
                code = sqlite3_bind_int64(handle, index, number)
            case .text(let string):
                code = sqlite3_bind_text(handle, index, string, Int32(string.utf8.count), transient)
            case .textBytes(let bytes):
                code = bytes.withUnsafeBytes { buffer in
                    guard let start = buffer.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, transient) }
                    return sqlite3_bind_text(handle, index, start.assumingMemoryBound(to: CChar.self), Int32(buffer.count), transient)
                }
            case .blob(let bytes) where bytes.isEmpty:
                // A zero-length blob, not NULL (binding an empty buffer's nil pointer would bind NULL).
                code = sqlite3_bind_zeroblob(handle, index, 0)
            case .blob(let bytes):
                code = bytes.withUnsafeBytes { sqlite3_bind_blob64(handle, index, $0.baseAddress, UInt64($0.count), transient) }
            case .null:
                code = sqlite3_bind_null(handle, index)
            }
            guard code == SQLITE_OK else {
                throw SQLiteError(code: code, db: db, context: "binding parameter \(index) of \(sql)")
            }
        }
    }

    /// Advances to the next row; false when the statement is done.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        case let code:
            let error = SQLiteError(code: code, db: db, context: "running \(sql)")
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Releases the statement's read snapshot and locks; cached statements are reset after every use.
    func reset() {
        sqlite3_reset(handle)
    }

    // MARK: Columns of the current row (0-based)

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    func optionalInt64(_ column: Int32) -> Int64? {
        isNull(column) ? nil : int64(column)
    }

    func text(_ column: Int32) -> String {
        // Ask for the pointer before the length, as SQLite's documentation requires.
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    func bytes(_ column: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
