import CSQLite

/// A failed SQLite call: what we were doing, SQLite's own message and its extended result code.
struct SQLiteError: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    var context: String

    var description: String { "\(context): \(message) (SQLite result code \(code))" }

    /// The error the connection `db` reports for its last failed call.
    init(code: Int32, db: OpaquePointer?, context: String) {
        self.code = code
        self.message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
        self.context = context
    }

    init(code: Int32, message: String, context: String) {
        self.code = code
        self.message = message
        self.context = context
    }
}

/// Runs `body`, turning SQLite failures into `StoreError.backend` so only `StoreError`s leave the store.
func translatingSQLiteErrors<T>(_ body: () throws -> T) throws(StoreError) -> T {
    do {
        return try body()
    } catch let error as StoreError {
        throw error
    } catch {
        throw .backend(String(describing: error))
    }
}
