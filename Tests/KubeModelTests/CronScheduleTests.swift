import Foundation
import KubeModel
import Testing

/// Cron schedules as robfig/cron reads them (the parser CronJob validation and the CronJob
/// controller share): parsing with that parser's messages, Go durations for `@every`, and
/// next activation times, including daylight-saving changes.
@Suite struct CronScheduleTests {
    struct ScheduleCase: Sendable, CustomTestStringConvertible {
        let spec: String
        let error: String?
        var testDescription: String { spec.isEmpty ? "(empty)" : spec }
    }

    @Test(arguments: [
        ScheduleCase(spec: "*/15 * * * *", error: nil),
        ScheduleCase(spec: "0 0 * * 7", error: "end of range (7) above maximum (6): 7"),
        ScheduleCase(spec: "0 0 0 * *", error: "beginning of range (0) below minimum (1): 0"),
        ScheduleCase(spec: "5-1 * * * *", error: "beginning of range (5) beyond end of range (1): 5-1"),
        ScheduleCase(spec: "*/0 * * * *", error: "step of range should be a positive number: */0"),
        ScheduleCase(spec: "1-2-3 * * * *", error: "too many hyphens: 1-2-3"),
        ScheduleCase(spec: "1/2/3 * * * *", error: "too many slashes: 1/2/3"),
        ScheduleCase(spec: "x * * * *", error: #"failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax"#),
        ScheduleCase(spec: "* * * * * *", error: "expected exactly 5 fields, found 6: [* * * * * *]"),
        ScheduleCase(spec: "", error: "empty spec string"),
        ScheduleCase(spec: "@yearly", error: nil),
        ScheduleCase(spec: "@every 90s", error: nil),
        ScheduleCase(spec: "@every", error: "unrecognized descriptor: @every"),
        ScheduleCase(spec: "CRON_TZ=Asia/Tokyo 0 9 * * *", error: nil),
        ScheduleCase(spec: "TZ=Nowhere/City 0 9 * * *", error: "provided bad location Nowhere/City: unknown time zone Nowhere/City"),
    ])
    func cronSchedules(_ testCase: ScheduleCase) {
        do {
            _ = try CronSchedule.parse(testCase.spec)
            #expect(testCase.error == nil)
        } catch {
            #expect(error.message == testCase.error)
        }
    }

    @Test func scheduleFields() throws {
        let schedule = try CronSchedule.parse("0,30 9-17 * jan mon-fri")
        #expect(schedule.minutes == (1 << 0 | 1 << 30))
        #expect(schedule.hours == (9...17).reduce(0) { $0 | (1 << UInt64($1)) })
        #expect(schedule.months == 1 << 1)
        #expect(schedule.daysOfMonth & CronSchedule.starBit != 0)
        #expect(try CronSchedule.parse("@every 1h30m").interval == 5400)
    }

    @Test func durations() throws {
        #expect(try GoDuration.parse("1.5h") == 5400)
        #expect(try GoDuration.parse("300ms") == 0.3)
        #expect(try GoDuration.parse("0") == 0)
        #expect(throws: GoDuration.ParseError.self) { try GoDuration.parse("5") }
        #expect(throws: GoDuration.ParseError.self) { try GoDuration.parse("") }
    }

    struct NextCase: Sendable, CustomTestStringConvertible {
        let spec: String
        let after: String
        let next: String?
        var zone = "UTC"
        var testDescription: String { "\(spec) after \(after) in \(zone)" }
    }

    static func instant(_ text: String) -> Date { RFC3339.parse(text)! }

    @Test(arguments: [
        NextCase(spec: "*/15 * * * *", after: "2024-01-01T10:07:30Z", next: "2024-01-01T10:15:00Z"),
        NextCase(spec: "* * * * *", after: "2024-01-01T10:07:00Z", next: "2024-01-01T10:08:00Z"),
        NextCase(spec: "* * * * *", after: "2024-01-01T10:07:59.9Z", next: "2024-01-01T10:08:00Z"),
        // Friday 09:00 → Monday 09:00.
        NextCase(spec: "0 9 * * 1-5", after: "2024-01-05T09:00:00Z", next: "2024-01-08T09:00:00Z"),
        NextCase(spec: "@hourly", after: "2024-01-01T10:00:00Z", next: "2024-01-01T11:00:00Z"),
        NextCase(spec: "@daily", after: "2024-02-28T23:59:59Z", next: "2024-02-29T00:00:00Z"),
        NextCase(spec: "@weekly", after: "2024-01-03T00:00:00Z", next: "2024-01-07T00:00:00Z"),
        NextCase(spec: "@monthly", after: "2024-12-15T00:00:00Z", next: "2025-01-01T00:00:00Z"),
        NextCase(spec: "@yearly", after: "2024-06-01T00:00:00Z", next: "2025-01-01T00:00:00Z"),
        // Neither day field is *: the 13th or any Friday, whichever comes first.
        NextCase(spec: "0 0 13 * 5", after: "2024-09-01T00:00:00Z", next: "2024-09-06T00:00:00Z"),
        NextCase(spec: "0 0 13 * *", after: "2024-09-01T00:00:00Z", next: "2024-09-13T00:00:00Z"),
        NextCase(spec: "0 0 29 2 *", after: "2025-01-01T00:00:00Z", next: "2028-02-29T00:00:00Z"),
        NextCase(spec: "0 0 30 2 *", after: "2025-01-01T00:00:00Z", next: nil),
        NextCase(spec: "@every 90s", after: "2024-01-01T10:00:00.5Z", next: "2024-01-01T10:01:30Z"),
        NextCase(spec: "@every 100ms", after: "2024-01-01T10:00:00Z", next: "2024-01-01T10:00:01Z"),
        NextCase(spec: "0 9 * * *", after: "2024-01-01T10:00:00Z", next: "2024-01-02T00:00:00Z", zone: "Asia/Tokyo"),
        NextCase(spec: "TZ=Asia/Tokyo 0 9 * * *", after: "2024-01-01T10:00:00Z", next: "2024-01-02T00:00:00Z"),
        // Spring forward in New York: 02:30 does not exist on 10 March, so that day has no run.
        NextCase(spec: "30 2 * * *", after: "2024-03-09T12:00:00Z", next: "2024-03-11T06:30:00Z", zone: "America/New_York"),
        NextCase(spec: "0 3 * * *", after: "2024-03-09T12:00:00Z", next: "2024-03-10T07:00:00Z", zone: "America/New_York"),
        // Fall back: 01:30 happens twice, and so does the run.
        NextCase(spec: "30 1 * * *", after: "2024-11-03T05:00:00Z", next: "2024-11-03T05:30:00Z", zone: "America/New_York"),
        NextCase(spec: "30 1 * * *", after: "2024-11-03T05:30:00Z", next: "2024-11-03T06:30:00Z", zone: "America/New_York"),
        NextCase(spec: "30 1 * * *", after: "2024-11-03T06:30:00Z", next: "2024-11-04T06:30:00Z", zone: "America/New_York"),
        // São Paulo skipped midnight on 4 November 2018 and had no daylight saving in 2019.
        NextCase(spec: "0 0 4 11 *", after: "2018-11-01T12:00:00Z", next: "2019-11-04T03:00:00Z", zone: "America/Sao_Paulo"),
        NextCase(spec: "0 12 4 11 *", after: "2018-11-01T12:00:00Z", next: "2018-11-04T14:00:00Z", zone: "America/Sao_Paulo"),
    ])
    func nextActivation(_ testCase: NextCase) throws {
        let schedule = try CronSchedule.parse(testCase.spec)
        let local = try #require(TimeZone(identifier: testCase.zone))
        let next = schedule.next(after: Self.instant(testCase.after), local: local)
        #expect(next == testCase.next.map(Self.instant))
    }

    @Test func successiveActivationsOfAnEveryMinuteSchedule() throws {
        let schedule = try CronSchedule.parse("* * * * *")
        var time = Self.instant("2024-12-31T23:58:30Z")
        var seen: [Date] = []
        for _ in 0..<3 {
            time = try #require(schedule.next(after: time, local: TimeZone(identifier: "UTC")!))
            seen.append(time)
        }
        #expect(seen == ["2024-12-31T23:59:00Z", "2025-01-01T00:00:00Z", "2025-01-01T00:01:00Z"].map(Self.instant))
    }
}
