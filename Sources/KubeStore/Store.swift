/// The revisioned key-value store with etcd's data model: string keys, one global revision that every
/// write increments, compare-and-swap on a key's mod revision, watch from a revision, and compaction.
///
/// An empty store is at revision 1 and its first write gets revision 2, as in etcd.
public protocol Store: Sendable {
    /// The revision of the latest committed write (1 for an empty store).
    func currentRevision() async throws -> Int64
    /// Revisions below this may have been removed: reads and watches that need them throw `.compacted`.
    func compactedRevision() async throws -> Int64

    /// The version of `key` as of `atRevision` (nil = latest), or nil when it did not exist then.
    func get(_ key: String, atRevision: Int64?) async throws -> KeyValue?
    /// Keys with `prefix`, in key order, strictly after `startAfter` when given, at most `limit`
    /// (nil or 0 = all), as of `atRevision` (nil = latest).
    func list(prefix: String, startAfter: String?, limit: Int?, atRevision: Int64?) async throws -> ListResult
    /// How many keys with `prefix` exist now.
    func count(prefix: String) async throws -> Int64

    /// Creates `key`; throws `.keyExists` if it exists.
    func create(_ key: String, value: [UInt8]) async throws -> KeyValue
    /// Replaces the value of an existing key; with `expectedModRevision`, only if its mod revision matches
    /// (else `.conflict` with the current version). nil = unconditional.
    func update(_ key: String, value: [UInt8], expectedModRevision: Int64?) async throws -> KeyValue
    /// Deletes an existing key (conditionally, as `update`); returns the deleted version with
    /// `modRevision` set to the revision of the delete.
    func delete(_ key: String, expectedModRevision: Int64?) async throws -> KeyValue

    /// Every event for keys with `prefix` whose revision is > `afterRevision`, in revision order, exactly
    /// once, with no gaps: history first, then live events.
    ///
    /// The stream throws `.compacted` if `afterRevision` < the compacted revision. It ends when the consumer
    /// stops iterating or is cancelled (the subscription is then removed), and throws `.closed` when the
    /// store closes. Events are buffered per watcher without bound so a slow consumer never holds up
    /// writers; consumers are expected to keep up (the API server's watch cache does).
    func watch(prefix: String, afterRevision: Int64) -> AsyncThrowingStream<StoreWatchEvent, Error>

    /// Removes history older than `revision`: afterwards reads at any revision ≥ `revision` still work and
    /// older ones throw `.compacted`. Compacting at or below the compacted revision does nothing.
    func compact(revision: Int64) async throws
    /// Finishes queued writes, ends all watches and releases the storage. Idempotent.
    func close() async
}

extension Store {
    /// The latest version of `key`, or nil.
    public func get(_ key: String) async throws -> KeyValue? {
        try await get(key, atRevision: nil)
    }

    /// The latest keys with `prefix`, all of them unless `limit` is given.
    public func list(prefix: String, startAfter: String? = nil, limit: Int? = nil) async throws -> ListResult {
        try await list(prefix: prefix, startAfter: startAfter, limit: limit, atRevision: nil)
    }

    public func update(_ key: String, value: [UInt8]) async throws -> KeyValue {
        try await update(key, value: value, expectedModRevision: nil)
    }

    public func delete(_ key: String) async throws -> KeyValue {
        try await delete(key, expectedModRevision: nil)
    }
}
