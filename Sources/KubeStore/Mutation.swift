/// One requested write. Both backends decide its outcome with `apply`, so their semantics cannot drift.
enum Mutation: Sendable {
    case create(key: String, value: [UInt8])
    case update(key: String, value: [UInt8], expectedModRevision: Int64?)
    case delete(key: String, expectedModRevision: Int64?)

    var key: String {
        switch self {
        case .create(let key, _), .update(let key, _, _), .delete(let key, _):
            return key
        }
    }

    /// The event this write produces at `revision` given the key's `current` version, or the reason it is refused.
    func apply(to current: KeyValue?, at revision: Int64) throws(StoreError) -> StoreWatchEvent {
        switch self {
        case .create(let key, let value):
            if current != nil { throw .keyExists(key: key) }
            let created = KeyValue(key: key, value: value, createRevision: revision, modRevision: revision)
            return StoreWatchEvent(type: .put, kv: created, prevKV: nil)

        case .update(let key, let value, let expected):
            let previous = try Self.checked(current, key: key, expectedModRevision: expected)
            let updated = KeyValue(key: key, value: value, createRevision: previous.createRevision, modRevision: revision)
            return StoreWatchEvent(type: .put, kv: updated, prevKV: previous)

        case .delete(let key, let expected):
            let previous = try Self.checked(current, key: key, expectedModRevision: expected)
            var tombstone = previous
            tombstone.modRevision = revision
            return StoreWatchEvent(type: .delete, kv: tombstone, prevKV: previous)
        }
    }

    /// The current version, if it exists and matches the compare-and-swap precondition.
    private static func checked(_ current: KeyValue?, key: String, expectedModRevision: Int64?) throws(StoreError) -> KeyValue {
        guard let current else { throw .notFound(key: key) }
        if let expectedModRevision, expectedModRevision != current.modRevision {
            throw .conflict(key: key, current: current)
        }
        return current
    }
}
