/// Every way a store operation can fail. The API server maps these onto Kubernetes statuses
/// (`keyExists` → 409 AlreadyExists, `conflict` → 409 Conflict, `compacted` → 410 Gone, …).
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `create` of a key that exists.
    case keyExists(key: String)
    /// `update` or `delete` of a key that does not exist.
    case notFound(key: String)
    /// `expectedModRevision` did not match; `current` is the version now stored, so callers can retry.
    case conflict(key: String, current: KeyValue?)
    /// A read or watch needs revisions that compaction has removed.
    case compacted(requested: Int64, compactedRevision: Int64)
    /// A read at a revision the store has not reached yet.
    case futureRevision(requested: Int64, current: Int64)
    /// The store was closed.
    case closed
    /// The storage engine failed (I/O, corruption, full disk, …); the message says what and where.
    case backend(String)

    public var description: String {
        switch self {
        case .keyExists(let key):
            return "key \(key) already exists"
        case .notFound(let key):
            return "key \(key) not found"
        case .conflict(let key, let current):
            let found = current.map { "mod revision \($0.modRevision)" } ?? "no current version"
            return "conflict on key \(key): expected mod revision does not match (\(found))"
        case .compacted(let requested, let compactedRevision):
            return "revision \(requested) has been compacted (compacted revision is \(compactedRevision))"
        case .futureRevision(let requested, let current):
            return "revision \(requested) is in the future (current revision is \(current))"
        case .closed:
            return "store is closed"
        case .backend(let message):
            return "storage backend error: \(message)"
        }
    }
}
