/// Remembers which revision the store was at, at which time, so "older than the retention" can be
/// turned into a revision. Samples live in memory: after a restart compaction resumes one retention later.
struct RevisionTimeline<Instant: InstantProtocol> {
    private var samples: [(instant: Instant, revision: Int64)] = []

    mutating func record(_ revision: Int64, at instant: Instant) {
        samples.append((instant, revision))
    }

    /// The newest recorded revision seen at or before `cutoff`; samples older than it are forgotten.
    mutating func revision(notAfter cutoff: Instant) -> Int64? {
        guard let index = samples.lastIndex(where: { $0.instant <= cutoff }) else { return nil }
        let revision = samples[index].revision
        samples.removeFirst(index)
        return revision
    }
}
