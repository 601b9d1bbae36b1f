/// One version of one key, as the store holds it.
///
/// `createRevision` is the revision at which the key was (last) created; `modRevision` is the
/// revision of the write that produced this version. The API server uses `modRevision` as the
/// object's `resourceVersion` and as the precondition for compare-and-swap.
public struct KeyValue: Sendable, Equatable, Hashable {
    public var key: String
    public var value: [UInt8]
    public var createRevision: Int64
    public var modRevision: Int64

    public init(key: String, value: [UInt8], createRevision: Int64, modRevision: Int64) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
    }
}
