/// Where a new watcher's replay reads the events it missed.
protocol WatchHistorySource: Sendable {
    /// Events for keys starting with `prefix` whose revision is in (`after`, `through`], in revision order,
    /// at most `limit`. Throws `.compacted` when `after` is below the compacted revision, checked in the same
    /// snapshot as the read so a concurrent compaction can never silently open a gap.
    func watchHistory(prefix: String, after: Int64, through: Int64, limit: Int) throws -> [StoreWatchEvent]
}
