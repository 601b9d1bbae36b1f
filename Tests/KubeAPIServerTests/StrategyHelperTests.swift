import Testing
@testable import KubeAPIServer

/// The pure helpers under the strategies: cron schedules, durations, IP addresses, image references.
@Suite struct StrategyHelperTests {
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

    @Test(arguments: ["10.42.0.1", "::1", "2001:db8::ffff", "::ffff:10.0.0.1", "fe80::1:2:3:4", "010.001.0.1"])
    func validIPs(_ text: String) {
        #expect(IPAddress(text) != nil)
    }

    @Test(arguments: ["10.42.0", "10.42.0.256", "1::2::3", "2001:db8::g", "", "1.2.3.4.5", "10.0.0.1%eth0"])
    func invalidIPs(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func specialIPs() {
        #expect(IPAddress("127.0.0.1")!.isLoopback && IPAddress("::1")!.isLoopback)
        #expect(IPAddress("169.254.1.1")!.isLinkLocalUnicast && IPAddress("fe80::1")!.isLinkLocalUnicast)
        #expect(IPAddress("224.0.0.251")!.isLinkLocalMulticast && IPAddress("0.0.0.0")!.isUnspecified)
        #expect(IPAddress("::ffff:10.0.0.1")!.isIPv4)
        #expect(IPAddress.parseCIDR("10.42.0.0/16")?.prefix == 16 && IPAddress.parseCIDR("10.42.0.0/33") == nil)
    }

    @Test func imageReferences() {
        #expect(ImageReference("registry.local:5000/team/app:1.2")?.tag == "1.2")
        #expect(ImageReference("registry.local:5000/team/app")?.repository == "registry.local:5000/team/app")
        #expect(ImageReference("Team/App") == nil)
        #expect(ImageReference("app:") == nil)
    }
}
