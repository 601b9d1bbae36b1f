import CSQLite

/// One SQLite connection with a cache of prepared statements.
///
/// Opened in SQLite's multi-thread mode (no per-connection mutex): a connection is only ever used by one
/// thread at a time — the writer thread owns its connection, and the reader pool lends each reader
/// connection to one caller at a time. That ownership discipline is why this is `@unchecked Sendable`.
final class SQLiteConnection: @unchecked Sendable {
    enum TransactionKind: String {
        /// Takes a read snapshot at the first read.
        case deferred = "BEGIN DEFERRED"
        /// Takes the write lock at once, so a write transaction never fails half-way on a lock.
        case immediate = "BEGIN IMMEDIATE"
    }

    private var handle: OpaquePointer?
    private var statements: [String: SQLiteStatement] = [:]
    let path: String

    init(path: String, busyTimeout: Duration) throws {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let error = SQLiteError(code: code, db: handle, context: "opening \(path)")
            sqlite3_close_v2(handle)
            throw error
        }
        self.handle = handle
        setBusyTimeout(busyTimeout)
    }

    deinit {
        close()
    }

    private var db: OpaquePointer {
        get throws {
            guard let handle else { throw SQLiteError(code: SQLITE_MISUSE, message: "connection is closed", context: path) }
            return handle
        }
    }

    /// How long a call waits for a lock before failing with SQLITE_BUSY.
    func setBusyTimeout(_ timeout: Duration) {
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(handle, Int32(clamping: milliseconds))
    }

    /// Runs one or more statements that return nothing of interest (DDL, most pragmas).
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(try db, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw SQLiteError(code: code, message: text, context: "executing \(sql)")
        }
    }

    /// Runs `sql` with `bindings` and hands each result row to `row`. The statement is prepared once per
    /// connection and reset afterwards, so it holds no snapshot or lock once this returns.
    func forEachRow(_ sql: String, _ bindings: [SQLiteValue] = [], _ row: (SQLiteStatement) throws -> Void) throws {
        let statement = try prepared(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        while try statement.step() {
            try row(statement)
        }
    }

    /// The first row mapped by `row`, or nil when there is none.
    func firstRow<T>(_ sql: String, _ bindings: [SQLiteValue] = [], _ row: (SQLiteStatement) throws -> T) throws -> T? {
        let statement = try prepared(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        return try statement.step() ? row(statement) : nil
    }

    /// Runs a statement for its effect.
    func run(_ sql: String, _ bindings: [SQLiteValue] = []) throws {
        try forEachRow(sql, bindings) { _ in }
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T {
        try run(kind.rawValue)
        let result: T
        do {
            result = try body()
            try run("COMMIT")
        } catch {
            // SQLite may already have rolled back (e.g. on a full disk); then ROLLBACK fails harmlessly.
            try? run("ROLLBACK")
            throw error
        }
        return result
    }

    /// Finalizes cached statements and closes the connection; safe to call twice.
    func close() {
        for statement in statements.values { statement.finalize() }
        statements.removeAll()
        sqlite3_close_v2(handle)
        handle = nil
    }

    private func prepared(_ sql: String) throws -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        let statement = try SQLiteStatement(db: try db, sql: sql)
        statements[sql] = statement
        return statement
    }
}
