/// What a write did to a key. Creates and updates are both `put`, as in etcd.
public enum WatchEventType: Sendable, Equatable, Hashable {
    case put
    case delete
}

/// One committed write, as seen by watchers. Every write produces exactly one event, at its own revision.
public struct StoreWatchEvent: Sendable, Equatable, Hashable {
    public var type: WatchEventType
    /// For a put: the new version. For a delete: the key with its last value and create revision,
    /// and `modRevision` set to the revision of the delete.
    public var kv: KeyValue
    /// The version this write replaced; nil for a create.
    public var prevKV: KeyValue?

    public init(type: WatchEventType, kv: KeyValue, prevKV: KeyValue?) {
        self.type = type
        self.kv = kv
        self.prevKV = prevKV
    }

    /// The revision the write was committed at.
    public var revision: Int64 { kv.modRevision }

    /// A put that created the key (rather than replacing an existing version).
    public var isCreate: Bool { type == .put && kv.createRevision == kv.modRevision }
}
