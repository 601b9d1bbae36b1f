import Foundation
import KubeModel

/// CronJobs (batch/v1): Allow concurrency, not suspended, 3 successful and 1 failed jobs kept,
/// template defaults; the schedule is a cron expression (no TZ in it: timeZone is the field
/// for that), the time zone a known IANA name, and names leave room for the job suffix.
struct CronJobStrategy: ResourceStrategy {
    typealias Object = BatchV1.CronJob
    var tracksGeneration: Bool { true }

    /// Job names are the CronJob's name plus an 11-character suffix, within 63.
    static let maxNameLength = 52

    func applyDefaults(_ cronJob: inout BatchV1.CronJob) {
        var spec = cronJob.spec
        if (spec.concurrencyPolicy ?? "").isEmpty { spec.concurrencyPolicy = "Allow" }
        if spec.suspend == nil { spec.suspend = false }
        if spec.successfulJobsHistoryLimit == nil { spec.successfulJobsHistoryLimit = 3 }
        if spec.failedJobsHistoryLimit == nil { spec.failedJobsHistoryLimit = 1 }
        // Only the pod template inside is defaulted, not the job spec (that happens when the job is made).
        var jobSpec = spec.jobTemplate.spec ?? BatchV1.JobSpec()
        PodSpecDefaults.apply(template: &jobSpec.template)
        spec.jobTemplate.spec = jobSpec
        cronJob.spec = spec
    }

    func validate(_ cronJob: BatchV1.CronJob) -> [FieldError] {
        var errors = validateSpec(cronJob.spec, old: nil)
        let name = cronJob.metadata.name ?? ""
        if name.utf8.count > Self.maxNameLength {
            errors.append(.invalid(FieldPath("metadata", "name"), .string(name), "must be no more than 52 characters"))
        }
        return errors
    }

    func validateUpdate(_ cronJob: BatchV1.CronJob, old: BatchV1.CronJob) -> [FieldError] {
        validateSpec(cronJob.spec, old: old.spec)
    }

    func validateSpec(_ spec: BatchV1.CronJobSpec, old: BatchV1.CronJobSpec?) -> [FieldError] {
        let path = FieldPath("spec")
        var errors: [FieldError] = []
        let schedulePath = path.child("schedule")
        if spec.schedule.isEmpty {
            errors.append(.required(schedulePath))
        } else {
            do {
                _ = try CronSchedule.parse(spec.schedule)
            } catch {
                errors.append(.invalid(schedulePath, .string(spec.schedule), error.message))
            }
            let allowTZ = old?.schedule.contains("TZ") ?? false
            if allowTZ && spec.schedule.contains("TZ") && spec.timeZone != nil {
                errors.append(.invalid(schedulePath, .string(spec.schedule), "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
            } else if !allowTZ && spec.schedule.contains("TZ") {
                errors.append(.invalid(schedulePath, .string(spec.schedule), "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
            }
        }
        errors += FieldChecks.nonNegative(spec.startingDeadlineSeconds, path.child("startingDeadlineSeconds"))
        if old == nil || old?.timeZone != spec.timeZone {
            errors += Self.validateTimeZone(spec.timeZone, path: path.child("timeZone"))
        }
        errors += FieldChecks.requiredOneOf(spec.concurrencyPolicy, path.child("concurrencyPolicy"), ["Allow", "Forbid", "Replace"])
        let templatePath = path.child("jobTemplate", "spec")
        let jobSpec = spec.jobTemplate.spec ?? BatchV1.JobSpec()
        errors += JobStrategy.validateJobSpec(jobSpec, path: templatePath)
        if let selector = jobSpec.selector {
            errors.append(.invalid(templatePath.child("selector"), GoValueText.selectorValue(selector), "`selector` will be auto-generated"))
        }
        if jobSpec.manualSelector == true {
            errors.append(.notSupported(templatePath.child("manualSelector"), true, supported: ["nil", "false"]))
        }
        errors += FieldChecks.nonNegative(spec.successfulJobsHistoryLimit, path.child("successfulJobsHistoryLimit"))
        errors += FieldChecks.nonNegative(spec.failedJobsHistoryLimit, path.child("failedJobsHistoryLimit"))
        return errors
    }

    /// An explicit IANA zone name the system knows.
    static func validateTimeZone(_ zone: String?, path: FieldPath) -> [FieldError] {
        guard let zone else { return [] }
        if zone.isEmpty { return [.invalid(path, .string(zone), "timeZone must be nil or non-empty string")] }
        for part in zone.split(separator: "/", omittingEmptySubsequences: false) {
            let validCharacters = (1...14).contains(part.count) && part.utf8.allSatisfy { byte in
                (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
                    || byte == 46 || byte == 45 || byte == 95 || byte == 43
            }
            if part == "." || part == ".." || part.hasPrefix("-") || !validCharacters {
                return [.invalid(path, .string(zone), "unknown time zone \(zone)")]
            }
        }
        if zone.lowercased() == "local" {
            return [.invalid(path, .string(zone), "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")]
        }
        if TimeZone(identifier: zone) == nil { return [.invalid(path, .string(zone), "unknown time zone \(zone)")] }
        return []
    }
}
