import Synchronization

/// Read connections, lent out one caller at a time.
///
/// Reads run synchronously on the caller's thread, even a cooperative-pool thread. They are short (a get
/// is a few microseconds of B-tree lookup, mostly from the page cache), shorter than the two thread hops a
/// dedicated reader thread would add, and in WAL mode they never wait on the writer: each read sees the
/// last commit. So nothing blocks here but the read itself. A caller that finds every idle connection
/// taken opens another rather than waiting; at most `maxIdle` are kept afterwards.
final class SQLiteReaderPool: Sendable {
    private struct Idle {
        var connections: [SQLiteConnection] = []
        var isClosed = false
    }

    private let path: String
    private let busyTimeout: Duration
    private let maxIdle: Int
    private let idle = Mutex(Idle())

    init(path: String, busyTimeout: Duration, maxIdle: Int) {
        self.path = path
        self.busyTimeout = busyTimeout
        self.maxIdle = max(maxIdle, 1)
    }

    /// Runs `body` on a read connection. SQLite failures come out as `StoreError.backend`.
    func read<T>(_ body: (SQLiteConnection) throws -> T) throws(StoreError) -> T {
        let connection = try acquire()
        defer { release(connection) }
        return try translatingSQLiteErrors { try body(connection) }
    }

    /// Like `read`, in one read transaction: everything `body` reads comes from one snapshot.
    func readSnapshot<T>(_ body: (SQLiteConnection) throws -> T) throws(StoreError) -> T {
        try read { connection in try connection.transaction(.deferred) { try body(connection) } }
    }

    func checkOpen() throws(StoreError) {
        if idle.withLock({ $0.isClosed }) { throw .closed }
    }

    /// Closes idle connections now and lent ones when they come back; later reads throw `.closed`.
    func close() {
        let connections = idle.withLock { idle in
            idle.isClosed = true
            defer { idle.connections.removeAll() }
            return idle.connections
        }
        for connection in connections { connection.close() }
    }

    private func acquire() throws(StoreError) -> SQLiteConnection {
        let reused = try idle.withLock { idle throws(StoreError) -> SQLiteConnection? in
            if idle.isClosed { throw .closed }
            return idle.connections.popLast()
        }
        if let reused { return reused }
        return try translatingSQLiteErrors {
            let connection = try SQLiteConnection(path: path, busyTimeout: busyTimeout)
            try SQLiteSchema.prepareReader(connection)
            return connection
        }
    }

    private func release(_ connection: SQLiteConnection) {
        let kept = idle.withLock { idle in
            guard !idle.isClosed, idle.connections.count < maxIdle else { return false }
            idle.connections.append(connection)
            return true
        }
        if !kept { connection.close() }
    }
}
