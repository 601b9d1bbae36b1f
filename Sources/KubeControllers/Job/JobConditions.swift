import Foundation
import KubeModel

/// The names the Job API reserves for its controllers (k8s.io/api/batch/v1).
public enum JobKeys {
    /// Held by every pod the Job controller creates until the pod is counted in the Job status.
    public static let trackingFinalizer = "batch.kubernetes.io/job-tracking"
    /// The completion index of a pod of an Indexed Job (an annotation and a label).
    public static let completionIndex = "batch.kubernetes.io/job-completion-index"
    /// Failures counted against an index's backoffLimitPerIndex, carried to its next pod.
    public static let indexFailureCount = "batch.kubernetes.io/job-index-failure-count"
    /// Failures of an index that the pod failure policy ignored.
    public static let indexIgnoredFailureCount = "batch.kubernetes.io/job-index-ignored-failure-count"
    /// The time a CronJob scheduled the Job for, RFC 3339 in the CronJob's zone.
    public static let cronJobScheduledTimestamp = "batch.kubernetes.io/cronjob-scheduled-timestamp"
    /// The environment variable the completion index is exposed as.
    public static let completionIndexEnvironment = "JOB_COMPLETION_INDEX"
    /// spec.managedBy of the Jobs this controller manages (or none given).
    public static let jobControllerName = "kubernetes.io/job-controller"
}

/// Job condition types and reasons (batch/v1).
public enum JobConditionType {
    public static let suspended = "Suspended"
    public static let complete = "Complete"
    public static let failed = "Failed"
    public static let failureTarget = "FailureTarget"
    public static let successCriteriaMet = "SuccessCriteriaMet"
}

extension BatchV1.Job {
    public func condition(_ type: String) -> BatchV1.JobCondition? {
        status.conditions?.first { $0.type == type }
    }

    /// The Complete or Failed condition that is True, if the Job finished (upstream's
    /// FinishedCondition / IsJobFinished).
    public var finishedCondition: BatchV1.JobCondition? {
        status.conditions?.first { ($0.type == JobConditionType.complete || $0.type == JobConditionType.failed) && $0.status == "True" }
    }

    public var isFinished: Bool { finishedCondition != nil }

    public var isSucceeded: Bool { finishedCondition?.type == JobConditionType.complete }

    public var isSuspended: Bool { spec.suspend == true }

    public var isIndexed: Bool { spec.completionMode == "Indexed" }

    /// Jobs whose spec.managedBy names another controller are left to it.
    public var isManagedExternally: Bool {
        guard let managedBy = spec.managedBy else { return false }
        return managedBy != JobKeys.jobControllerName
    }
}

extension BatchV1.JobCondition {
    /// A True condition stamped `now` (upstream's newCondition).
    static func make(_ type: String, status: String = "True", reason: String, message: String, now: Date) -> BatchV1.JobCondition {
        BatchV1.JobCondition(lastProbeTime: Time(now), lastTransitionTime: Time(now), message: message.isEmpty ? nil : message,
                             reason: reason.isEmpty ? nil : reason, type: type, status: status)
    }
}

extension [BatchV1.JobCondition] {
    /// Sets the condition of `type` to `status`, `reason` and `message`, restamped when any
    /// of them changes; a condition that does not exist yet is not added as False. Returns
    /// whether the list changed (upstream's ensureJobConditionStatus).
    mutating func ensure(_ type: String, status: String, reason: String, message: String, now: Date) -> Bool {
        if let index = firstIndex(where: { $0.type == type }) {
            let existing = self[index]
            guard existing.status != status || existing.reason ?? "" != reason || existing.message ?? "" != message else { return false }
            self[index] = .make(type, status: status, reason: reason, message: message, now: now)
            return true
        }
        guard status != "False" else { return false }
        append(.make(type, status: status, reason: reason, message: message, now: now))
        return true
    }
}
