import Foundation
import Testing
@testable import KubeAPIServer

@Suite struct PrintingHumanDurationTests {
    static let minute = 60.0
    static let hour = 3600.0
    static let day = 86400.0

    static let cases: [(seconds: Double, expected: String)] = [
        (0, "0s"), (-1.5, "0s"), (-2, "<invalid>"), (5, "5s"), (59.9, "59s"), (119, "119s"),
        (120, "2m"), (200, "3m20s"), (599, "9m59s"), (600, "10m"), (3 * hour - 1, "179m"),
        (3 * hour, "3h"), (3 * hour + 30 * minute, "3h30m"), (7 * hour + 59 * minute + 59, "7h59m"),
        (8 * hour, "8h"), (47 * hour + 59 * minute, "47h"), (2 * day, "2d"), (2 * day + 5 * hour, "2d5h"),
        (7 * day + 23 * hour, "7d23h"), (8 * day, "8d"), (729 * day, "729d"), (730 * day, "2y"),
        (740 * day, "2y10d"), (8 * 365 * day, "8y"), (3655 * day, "10y"),
    ]

    @Test(arguments: cases)
    func formatsLikeUpstream(seconds: Double, expected: String) {
        #expect(HumanDuration.string(seconds) == expected)
    }

    @Test func missingTimestampIsUnknown() {
        #expect(HumanDuration.since(nil, now: printingNow) == "<unknown>")
        #expect(HumanDuration.since(printingNow.addingTimeInterval(-45), now: printingNow) == "45s")
    }

    @Test func saturatesInsteadOfOverflowing() {
        #expect(HumanDuration.string(1e12) == "\(Int64.max / 1_000_000_000 / 3600 / 24 / 365)y")
        #expect(HumanDuration.string(-1e12) == "<invalid>")
    }
}
