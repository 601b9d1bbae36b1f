import Foundation
import KubeClient
import KubeModel
import Testing

@testable import KubeControllers

/// A CronJob whose Jobs run one container.
func cronJob(_ name: String, schedule: String = "* * * * *", _ configure: (inout BatchV1.CronJob) -> Void = { _ in }) -> BatchV1.CronJob {
    var cronJob = BatchV1.CronJob()
    cronJob.metadata.name = name
    cronJob.spec.schedule = schedule
    let template = batchJob("template")
    cronJob.spec.jobTemplate = BatchV1.JobTemplateSpec(metadata: MetaV1.ObjectMeta(labels: ["app": name]), spec: template.spec)
    configure(&cronJob)
    return cronJob
}

extension BatchHarness {
    /// Plays the Job controller: the Job finished now, Complete or Failed.
    func finishJob(_ name: String, succeeded: Bool = true) async throws {
        var job = try await jobs.get(name)
        let now = Time(clock.now())
        job.status.startTime = job.status.startTime ?? now
        let type = succeeded ? "Complete" : "Failed"
        job.status.conditions = [BatchV1.JobCondition(lastProbeTime: now, lastTransitionTime: now, type: type, status: "True")]
        if succeeded {
            job.status.completionTime = now
            job.status.succeeded = 1
        } else {
            job.status.failed = 1
        }
        _ = try await jobs.updateStatus(job)
    }

    /// The Jobs of a CronJob by name.
    func jobNames(of cronJob: String) async throws -> [String] {
        try await jobs.list().items.filter { $0.controllerReference?.name == cronJob }.compactMap(\.metadata.name).sorted()
    }

    /// Creates the CronJob and lets its first activation start a Job, until the controller's
    /// cache shows that Job active; returns its name.
    func startFirstJob(_ cronJob: BatchV1.CronJob) async throws -> String {
        let name = cronJob.metadata.name ?? ""
        _ = try await cronJobs.create(cronJob)
        advanceToNextMinute()
        let first = jobName(name)
        _ = try await eventually("first job") { try? await jobs.get(first) }
        try await eventually("active, as the controller sees it") { cachedCronJob(name)?.status.active?.count == 1 }
        return first
    }

    /// The CronJob as the controllers' cache holds it.
    func cachedCronJob(_ name: String) -> BatchV1.CronJob? {
        context.informers.informer(BatchV1.CronJob.self).store.get(namespace: namespace, name: name)
    }

    /// Moves the clock just past the next minute boundary.
    func advanceToNextMinute() {
        let now = clock.now().timeIntervalSince1970
        let next = (now / 60).rounded(.down) * 60 + 60
        clock.advance(by: .milliseconds(Int64(((next - now) + 0.2) * 1000)))
    }

    /// `<cronjob>-<minutes since the epoch>` of the current minute.
    func jobName(_ cronJob: String) -> String {
        "\(cronJob)-\(Int64(clock.now().timeIntervalSince1970) / 60)"
    }
}

@Suite struct CronJobControllerTests {
    @Test func createsAJobForEachActivationAndTracksIt() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([CronJobController(context: harness.context)]) {
            let created = try await harness.cronJobs.create(cronJob("tick"))
            try await harness.holds("nothing before the first minute") { try await harness.jobNames(of: "tick").isEmpty }
            harness.advanceToNextMinute()
            let name = harness.jobName("tick")
            #expect(name == "tick-28401721")
            let job = try await harness.eventually("job") { try? await harness.jobs.get(name) }
            #expect(job.metadata.annotations?["batch.kubernetes.io/cronjob-scheduled-timestamp"] == "2024-01-01T10:01:00Z")
            #expect(job.metadata.labels?["app"] == "tick")
            #expect(job.controllerReference?.uid == created.metadata.uid)
            #expect(job.controllerReference?.kind == "CronJob")
            let status = try await harness.eventually("active") {
                let status = try await harness.cronJobs.get("tick").status
                return status.active?.count == 1 ? status : nil
            }
            #expect(status.active?.first?.name == name)
            #expect(status.active?.first?.uid == job.metadata.uid)
            #expect(status.lastScheduleTime?.description == "2024-01-01T10:01:00Z")

            harness.clock.advance(by: .seconds(5))
            try await harness.finishJob(name)
            let done = try await harness.eventually("seen complete") {
                let status = try await harness.cronJobs.get("tick").status
                return (status.active ?? []).isEmpty ? status : nil
            }
            #expect(done.lastSuccessfulTime?.description == "2024-01-01T10:01:05Z")
            try await harness.eventually("events") {
                try await harness.eventReasons(about: "tick").isSuperset(of: ["SuccessfulCreate", "SawCompletedJob"])
            }

            harness.advanceToNextMinute()
            try await harness.eventually("second job") { try await harness.jobNames(of: "tick").count == 2 }
            #expect(try await harness.jobNames(of: "tick") == ["tick-28401721", "tick-28401722"])
        }
    }

    @Test func keepsOnlyTheNewestFinishedJobsWithinTheHistoryLimits() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([CronJobController(context: harness.context)]) {
            _ = try await harness.cronJobs.create(cronJob("history") { cronJob in
                cronJob.spec.successfulJobsHistoryLimit = 2
                cronJob.spec.failedJobsHistoryLimit = 1
            })
            var succeeded: [String] = []
            for _ in 0..<4 {
                harness.advanceToNextMinute()
                let name = harness.jobName("history")
                _ = try await harness.eventually("job \(name)") { try? await harness.jobs.get(name) }
                try await harness.finishJob(name)
                succeeded.append(name)
            }
            let keptSucceeded = Array(succeeded.suffix(2))
            try await harness.eventually("2 successful kept") { try await harness.jobNames(of: "history") == keptSucceeded }
            var failed: [String] = []
            for _ in 0..<2 {
                harness.advanceToNextMinute()
                let name = harness.jobName("history")
                _ = try await harness.eventually("job \(name)") { try? await harness.jobs.get(name) }
                try await harness.finishJob(name, succeeded: false)
                failed.append(name)
            }
            let kept = (keptSucceeded + [failed[1]]).sorted()
            try await harness.eventually("1 failed kept") { try await harness.jobNames(of: "history") == kept }
            #expect(try await harness.eventReasons(about: "history").contains("SuccessfulDelete"))
        }
    }

    @Test func forbidSkipsWhileAJobRuns() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([CronJobController(context: harness.context)]) {
            let first = try await harness.startFirstJob(cronJob("forbid") { $0.spec.concurrencyPolicy = "Forbid" })
            harness.advanceToNextMinute()
            try await harness.eventually("JobAlreadyActive") {
                try await harness.eventReasons(about: "forbid").contains("JobAlreadyActive")
            }
            #expect(try await harness.jobNames(of: "forbid") == [first])
            try await harness.finishJob(first)
            harness.advanceToNextMinute()
            try await harness.eventually("next job after the first finished") {
                try await harness.jobNames(of: "forbid").count == 2
            }
        }
    }

    @Test func replaceDeletesTheRunningJob() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([CronJobController(context: harness.context)]) {
            let first = try await harness.startFirstJob(cronJob("replace") { $0.spec.concurrencyPolicy = "Replace" })
            harness.advanceToNextMinute()
            let second = harness.jobName("replace")
            try await harness.eventually("replaced") { try await harness.jobNames(of: "replace") == [second] }
            #expect(first != second)
            try await harness.eventually("deletion event") { try await harness.eventReasons(about: "replace").contains("SuccessfulDelete") }
            try await harness.eventually("active is the new job") {
                try await harness.cronJobs.get("replace").status.active?.map(\.name) == [second]
            }
        }
    }

    @Test func suspendedCronJobStartsNothing() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([CronJobController(context: harness.context)]) {
            _ = try await harness.cronJobs.create(cronJob("paused") { $0.spec.suspend = true })
            harness.advanceToNextMinute()
            try await harness.holds("no job") { try await harness.jobNames(of: "paused").isEmpty }
            var cronJob = try await harness.cronJobs.get("paused")
            cronJob.spec.suspend = false
            _ = try await harness.cronJobs.update(cronJob)
            // Resumed within the minute: the activation just passed still starts.
            try await harness.eventually("job after resume") { try await harness.jobNames(of: "paused").count == 1 }
        }
    }

    @Test func startingDeadlineSkipsActivationsMissedByTooMuch() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([CronJobController(context: harness.context)]) {
            _ = try await harness.cronJobs.create(cronJob("late") { $0.spec.startingDeadlineSeconds = 20 })
            _ = try await harness.cronJobs.create(cronJob("anytime"))
            // Jump to 10:01:40: 40 s late for 10:01.
            harness.clock.advance(by: .seconds(70))
            try await harness.eventually("the CronJob without a deadline starts late") {
                try await harness.jobNames(of: "anytime").count == 1
            }
            try await harness.holds("the late one does not") { try await harness.jobNames(of: "late").isEmpty }
            harness.advanceToNextMinute()
            try await harness.eventually("next activation on time") {
                try await harness.jobNames(of: "late") == [harness.jobName("late")]
            }
        }
    }

    @Test func timeZoneFieldSetsTheZoneOfTheSchedule() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([CronJobController(context: harness.context)]) {
            // 10:00:30 UTC is 19:00:30 in Tokyo: the next 19:00 there is tomorrow.
            _ = try await harness.cronJobs.create(cronJob("tokyo", schedule: "0 19 * * *") { $0.spec.timeZone = "Asia/Tokyo" })
            harness.clock.advance(by: .seconds(3600))
            try await harness.holds("not yet") { try await harness.jobNames(of: "tokyo").isEmpty }
            harness.clock.advance(by: .seconds(24 * 3600 - 3600 - 30 + 1))
            let name = try await harness.eventually("job") { try await harness.jobNames(of: "tokyo").first }
            let job = try await harness.jobs.get(name)
            #expect(job.metadata.annotations?["batch.kubernetes.io/cronjob-scheduled-timestamp"] == "2024-01-02T19:00:00+09:00")
            #expect(name == "tokyo-\(1_704_189_600 / 60)")
        }
    }
}

/// Schedule arithmetic of the CronJob controller.
@Suite struct CronJobScheduleTests {
    static func cronJob(created: Date, lastScheduled: Date? = nil, deadline: Int? = nil) -> BatchV1.CronJob {
        var cronJob = BatchV1.CronJob()
        cronJob.metadata.creationTimestamp = Time(created)
        cronJob.status.lastScheduleTime = lastScheduled.map(Time.init)
        cronJob.spec.startingDeadlineSeconds = deadline
        return cronJob
    }

    static func schedule(_ text: String) throws -> CronJobSchedule {
        CronJobSchedule(schedule: try CronSchedule.parse(text), local: TimeZone(identifier: "UTC")!)
    }

    static let created = Date(timeIntervalSince1970: 1_704_103_230)  // 10:00:30

    @Test func nothingDueBeforeTheFirstActivation() throws {
        let recent = try Self.schedule("* * * * *").mostRecent(
            for: Self.cronJob(created: Self.created), now: Self.created.addingTimeInterval(10), includeStartingDeadline: true)
        #expect(recent.mostRecent == nil)
        #expect(recent.missed == .none)
    }

    @Test func theLatestOfSeveralMissedActivationsIsDue() throws {
        let now = Self.created.addingTimeInterval(5 * 60)  // 10:05:30
        let recent = try Self.schedule("* * * * *").mostRecent(for: Self.cronJob(created: Self.created), now: now, includeStartingDeadline: true)
        #expect(recent.mostRecent == Date(timeIntervalSince1970: 1_704_103_500))  // 10:05
        #expect(recent.missed == .few)
        let delay = try #require(try Self.schedule("* * * * *").delayUntilNext(for: Self.cronJob(created: Self.created), now: now))
        #expect(abs(delay - 30.1) < 0.001)
    }

    @Test func moreThanAHundredMissedIsMany() throws {
        let now = Self.created.addingTimeInterval(200 * 60)
        let recent = try Self.schedule("* * * * *").mostRecent(for: Self.cronJob(created: Self.created), now: now, includeStartingDeadline: true)
        #expect(recent.missed == .many)
        #expect(recent.mostRecent == Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.down) * 60))
    }

    @Test func startingDeadlineMovesTheEarliestTime() throws {
        let now = Self.created.addingTimeInterval(70)  // 10:01:40
        let recent = try Self.schedule("* * * * *").mostRecent(
            for: Self.cronJob(created: Self.created, deadline: 20), now: now, includeStartingDeadline: true)
        #expect(recent.mostRecent == nil)
        #expect(recent.earliest == now.addingTimeInterval(-20))
    }

    @Test func aScheduleThatNeverFiresIsInvalid() throws {
        let recent = try Self.schedule("0 0 30 2 *").mostRecent(for: Self.cronJob(created: Self.created), now: Self.created,
                                                               includeStartingDeadline: true)
        #expect(recent.error == "time difference between two schedules is less than 1 second")
    }

    @Test(arguments: [
        (nil, "0 5 * * *", "0 5 * * *"), ("Asia/Tokyo", "0 5 * * *", "TZ=Asia/Tokyo 0 5 * * *"),
        ("Nowhere/Else", "0 5 * * *", "0 5 * * *"), (nil, "TZ=UTC 0 5 * * *", "TZ=UTC 0 5 * * *"),
    ] as [(String?, String, String)])
    func scheduleTextCarriesTheTimeZone(zone: String?, schedule: String, text: String) {
        var cronJob = BatchV1.CronJob()
        cronJob.spec.schedule = schedule
        cronJob.spec.timeZone = zone
        #expect(CronJobSchedule.text(of: cronJob) == text)
    }
}
