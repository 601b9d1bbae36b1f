/// One page of a range read.
public struct ListResult: Sendable, Equatable {
    /// Matching keys in key order (UTF-8 byte order, as etcd orders them).
    public var items: [KeyValue]
    /// The revision the list was read at: the store's revision for a latest read, or the requested one.
    public var revision: Int64
    /// True when `limit` cut the page short; continue with `startAfter: items.last!.key`.
    public var hasMore: Bool
    /// How many matching keys follow this page, when `hasMore` (Kubernetes' `remainingItemCount`).
    public var remainingCount: Int64?

    public init(items: [KeyValue], revision: Int64, hasMore: Bool, remainingCount: Int64?) {
        self.items = items
        self.revision = revision
        self.hasMore = hasMore
        self.remainingCount = remainingCount
    }
}
