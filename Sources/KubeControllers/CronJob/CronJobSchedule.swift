import Foundation
import KubeModel

/// When a CronJob is due (upstream's cronjob utils): the schedule text with its zone, the
/// most recent activation the controller has not acted on, and when to look again.
struct CronJobSchedule {
    enum Missed: Equatable {
        case none
        case few
        /// More than 100: the controller warns about clock skew or a missing startingDeadlineSeconds.
        case many
    }

    struct Recent: Equatable {
        /// The last schedule time, or the CronJob's creation time, moved up to the starting
        /// deadline when `includeStartingDeadline`.
        var earliest: Date
        /// The latest activation after `earliest` and not after now, if any.
        var mostRecent: Date?
        var missed: Missed
        /// Set for a schedule that parses but never fires twice (`59 23 31 2 *`).
        var error: String?
    }

    let schedule: CronSchedule
    let local: TimeZone

    /// Seconds the requeue for the next activation is padded by, for clock skew.
    static let nextScheduleDelta: TimeInterval = 0.1

    /// The schedule text the controller parses: `TZ=<timeZone> <schedule>` when the CronJob
    /// names a zone the system knows; the schedule as written when it carries its own `TZ=`.
    static func text(of cronJob: BatchV1.CronJob) -> String {
        let schedule = cronJob.spec.schedule
        if schedule.contains("TZ") { return schedule }
        if let zone = cronJob.spec.timeZone, TimeZone(identifier: zone) != nil { return "TZ=\(zone) \(schedule)" }
        return schedule
    }

    func next(after time: Date) -> Date? { schedule.next(after: time, local: local) }

    /// Upstream's mostRecentScheduleTime: counts the activations missed since `earliest` from
    /// the interval between the first two (so a long outage costs no long loop) and finds the
    /// latest one by stepping from just before it.
    func mostRecent(for cronJob: BatchV1.CronJob, now: Date, includeStartingDeadline: Bool) -> Recent {
        var earliest = cronJob.status.lastScheduleTime?.date ?? cronJob.metadata.creationTimestamp?.date ?? now
        if includeStartingDeadline, let deadline = cronJob.spec.startingDeadlineSeconds {
            earliest = max(earliest, now.addingTimeInterval(-Double(deadline)))
        }
        let invalid = "time difference between two schedules is less than 1 second"
        guard let first = next(after: earliest) else { return Recent(earliest: earliest, missed: .none, error: invalid) }
        if now < first { return Recent(earliest: earliest, missed: .none) }
        guard let second = next(after: first) else { return Recent(earliest: earliest, missed: .none, error: invalid) }
        if now < second { return Recent(earliest: earliest, mostRecent: first, missed: .none) }

        let interval = Int64(second.timeIntervalSince(first).rounded())
        guard interval >= 1 else { return Recent(earliest: earliest, missed: .none, error: invalid) }
        let elapsed = Int64(now.timeIntervalSince(first))
        let missedCount = elapsed / interval + 1
        var mostRecent: Date?
        var candidate = next(after: first.addingTimeInterval(Double((missedCount - 2) * interval)))
        while let time = candidate, time <= now {
            mostRecent = time
            candidate = next(after: time)
        }
        let missed: Missed = missedCount > 100 ? .many : (missedCount > 0 ? .few : .none)
        return Recent(earliest: earliest, mostRecent: mostRecent, missed: missed)
    }

    /// How long until the activation after the most recent one (after now when activations
    /// were missed), plus the padding; nil when the schedule never fires again.
    func delayUntilNext(for cronJob: BatchV1.CronJob, now: Date) -> TimeInterval? {
        let recent = mostRecent(for: cronJob, now: now, includeStartingDeadline: false)
        let from: Date
        if recent.error != nil {
            from = now
        } else if let mostRecent = recent.mostRecent {
            from = mostRecent
        } else {
            from = recent.missed == .none ? recent.earliest : now
        }
        guard let next = next(after: from) else { return nil }
        return next.addingTimeInterval(Self.nextScheduleDelta).timeIntervalSince(now)
    }
}
