/// The revisions a store can serve reads and watches for: (compacted … current].
struct RevisionBounds: Sendable, Equatable {
    var current: Int64
    var compacted: Int64

    /// The revision a read runs at: `requested`, or the current one for nil.
    func readRevision(_ requested: Int64?) throws(StoreError) -> Int64 {
        guard let requested else { return current }
        if requested < compacted { throw .compacted(requested: requested, compactedRevision: compacted) }
        if requested > current { throw .futureRevision(requested: requested, current: current) }
        return requested
    }

    /// Checks that every event after `afterRevision` is still in the history.
    func checkWatchable(after afterRevision: Int64) throws(StoreError) {
        if afterRevision < compacted { throw .compacted(requested: afterRevision, compactedRevision: compacted) }
    }

    /// Checks a compaction target; false when there is nothing to do.
    func needsCompaction(to revision: Int64) throws(StoreError) -> Bool {
        if revision > current { throw .futureRevision(requested: revision, current: current) }
        return revision > compacted
    }
}
