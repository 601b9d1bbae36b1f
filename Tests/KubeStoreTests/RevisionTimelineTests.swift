import Testing
@testable import KubeStore

@Suite("Revision timeline")
struct RevisionTimelineTests {
    /// Samples at t = 0, 10, 20, 30 s with revisions 5, 9, 9, 14.
    static func timeline() -> RevisionTimeline<ContinuousClock.Instant> {
        var timeline = RevisionTimeline<ContinuousClock.Instant>()
        for (second, revision) in [(0, 5), (10, 9), (20, 9), (30, 14)] as [(Int64, Int64)] {
            timeline.record(revision, at: Self.origin.advanced(by: .seconds(second)))
        }
        return timeline
    }

    static let origin = ContinuousClock.now

    @Test("the compaction target is the newest revision sampled at or before the cutoff",
          arguments: [(-1, nil), (0, 5), (9, 5), (10, 9), (25, 9), (30, 14), (99, 14)] as [(Int64, Int64?)])
    func target(cutoffSecond: Int64, expected: Int64?) {
        var timeline = Self.timeline()
        #expect(timeline.revision(notAfter: Self.origin.advanced(by: .seconds(cutoffSecond))) == expected)
    }

    @Test("samples older than a used cutoff are forgotten")
    func forgetsOldSamples() {
        var timeline = Self.timeline()
        #expect(timeline.revision(notAfter: Self.origin.advanced(by: .seconds(20))) == 9)
        #expect(timeline.revision(notAfter: Self.origin.advanced(by: .seconds(5))) == nil)
        #expect(timeline.revision(notAfter: Self.origin.advanced(by: .seconds(20))) == 9)
    }
}
