import Foundation
import Testing

@testable import KubeModel

@Suite("RFC 3339 time")
struct TimeTests {
    // Text and the instant it names, in seconds since 1970.
    static let parseCases: [(String, Double)] = [
        ("2024-05-01T10:00:00Z", 1_714_557_600),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59Z", -1),
        ("2000-02-29T00:00:00Z", 951_782_400),
        ("2024-05-01T10:00:00.5Z", 1_714_557_600.5),
        ("2024-05-01T10:00:00.123456Z", 1_714_557_600.123456),
        ("2024-05-01T10:00:00.123456789Z", 1_714_557_600.123456789),
        ("2024-05-01T12:00:00+02:00", 1_714_557_600),
        ("2024-05-01T05:30:00-04:30", 1_714_557_600),
        ("2024-05-01T10:00:00+00:00", 1_714_557_600),
        ("2024-05-01T10:00:00-00:00", 1_714_557_600),
        ("2024-05-02T01:00:00+15:00", 1_714_557_600),
        ("2024-05-01t10:00:00z", 1_714_557_600),
        ("2024-05-01 10:00:00Z", 1_714_557_600),
        ("2024-12-31T23:59:59Z", 1_735_689_599),
        ("9999-12-31T23:59:59Z", 253_402_300_799),
        ("0001-01-01T00:00:00Z", -62_135_596_800),
    ]

    @Test(arguments: parseCases)
    func parses(text: String, seconds: Double) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6)
    }

    static let invalidCases = [
        "",
        "garbage",
        "2024-05-01",
        "2024-05-01T10:00:00",
        "2024-05-01T10:00Z",
        "2024-13-01T00:00:00Z",
        "2024-00-01T00:00:00Z",
        "2024-05-00T00:00:00Z",
        "2024-05-01T24:00:00Z",
        "2024-05-01T10:60:00Z",
        "2024-05-01T10:00:00.Z",
        "2024-05-01T10:00:00+0200",
        "2024-05-01T10:00:00+02",
        "2024-05-01T10:00:00Z ",
        "24-05-01T10:00:00Z",
        "2024/05/01T10:00:00Z",
    ]

    @Test(arguments: invalidCases)
    func rejects(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    // Instant, text with whole seconds (Time), text with microseconds (MicroTime).
    static let formatCases: [(Double, String, String)] = [
        (1_714_557_600, "2024-05-01T10:00:00Z", "2024-05-01T10:00:00.000000Z"),
        (1_714_557_600.9, "2024-05-01T10:00:00Z", "2024-05-01T10:00:00.900000Z"),
        (1_714_557_600.123456, "2024-05-01T10:00:00Z", "2024-05-01T10:00:00.123456Z"),
        (0, "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000000Z"),
        (-1, "1969-12-31T23:59:59Z", "1969-12-31T23:59:59.000000Z"),
        (-0.5, "1969-12-31T23:59:59Z", "1969-12-31T23:59:59.500000Z"),
        (951_782_400, "2000-02-29T00:00:00Z", "2000-02-29T00:00:00.000000Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z", "9999-12-31T23:59:59.000000Z"),
    ]

    @Test(arguments: formatCases)
    func formats(seconds: Double, whole: String, micro: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(Time(date).description == whole)
        #expect(MicroTime(date).description == micro)
        #expect(RFC3339.format(date, fractionalDigits: 0) == whole)
    }

    @Test func jsonNormalizesToUTC() throws {
        let time = try Time(json: .string("2024-05-01T12:00:00.75+02:00"))
        #expect(time.toJSON() == .string("2024-05-01T10:00:00Z"))
        let micro = try MicroTime(json: .string("2024-05-01T12:00:00.75+02:00"))
        #expect(micro.toJSON() == .string("2024-05-01T10:00:00.750000Z"))
        #expect(throws: JSONDecodeError.self) { try Time(json: .string("yesterday")) }
        #expect(throws: JSONDecodeError.self) { try Time(json: .int(0)) }
        #expect(throws: JSONDecodeError.self) { try MicroTime(json: .string("2024-05-01")) }
    }

    @Test func ordersByInstant() throws {
        let earlier = try Time(json: .string("2024-05-01T10:00:00Z"))
        let later = try Time(json: .string("2024-05-01T10:00:00+00:00"))
        let muchLater = try Time(json: .string("2024-05-01T10:00:01Z"))
        #expect(earlier == later)
        #expect(earlier < muchLater)
    }

    @Test func calendarConversionsAgreeEveryDayForFourHundredYears() {
        // One Gregorian cycle covers every leap-year rule.
        var days: Int64 = RFC3339.daysSinceEpoch(year: 1970, month: 1, day: 1)
        #expect(days == 0)
        days = RFC3339.daysSinceEpoch(year: 1800, month: 1, day: 1)
        for offset in 0..<146_097 as Range<Int64> {
            let (year, month, day) = RFC3339.civilDate(daysSinceEpoch: days + offset)
            #expect(RFC3339.daysSinceEpoch(year: year, month: month, day: day) == days + offset)
        }
    }
}
