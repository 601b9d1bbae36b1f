import Foundation
import KubeModel
import Synchronization

/// The delay before a Job replaces failed pods: 10 s after the first failure since the last
/// success, doubling with each further one, capped (upstream's pod failure back-off).
enum PodFailureBackoff {
    static let initial: TimeInterval = 10
    /// Upstream's MaxJobPodFailureBackOff.
    static let maximum: TimeInterval = 600

    /// Seconds left at `now` before a replacement may be created, after `failures`
    /// consecutive failures, the last at `lastFailure`.
    static func remaining(failures: Int, lastFailure: Date?, now: Date) -> TimeInterval {
        guard failures > 0, let lastFailure else { return 0 }
        var delay = initial
        for _ in 1..<failures {
            delay *= 2
            if delay >= maximum {
                delay = maximum
                break
            }
        }
        let elapsed = now.timeIntervalSince(lastFailure)
        return delay < elapsed ? 0 : delay - elapsed
    }

    /// The back-off of an index of a Job with backoffLimitPerIndex, whose last failed pod is
    /// `lastFailed` (nil: no failure yet).
    static func remaining(forIndexAfter lastFailed: CoreV1.Pod?, now: Date) -> TimeInterval {
        guard let lastFailed else { return 0 }
        let failures = lastFailed.indexFailureCount + lastFailed.indexIgnoredFailureCount + 1
        return remaining(failures: failures, lastFailure: lastFailed.finishedTime, now: now)
    }
}

/// Consecutive pod failures of one Job since its last success.
struct PodBackoffRecord: Sendable, Equatable {
    var failuresAfterLastSuccess = 0
    var lastFailureTime: Date?

    /// This record after the pods that finished since it was made: a success resets the count
    /// to the failures that came after the newest success.
    func adding(succeeded: [CoreV1.Pod], failed: [CoreV1.Pod]) -> PodBackoffRecord {
        let failureTimes = failed.map(\.finishedTime).sorted()
        guard let lastSuccess = succeeded.map(\.finishedTime).max() else {
            guard let last = failureTimes.last else { return self }
            return PodBackoffRecord(failuresAfterLastSuccess: failuresAfterLastSuccess + failureTimes.count, lastFailureTime: last)
        }
        let after = failureTimes.filter { $0 > lastSuccess }
        return PodBackoffRecord(failuresAfterLastSuccess: after.count, lastFailureTime: after.last)
    }
}

/// Back-off records of every Job, kept between syncs (upstream's backoffStore).
final class PodBackoffStore: Sendable {
    private let records = Mutex<[String: PodBackoffRecord]>([:])

    func record(_ key: String) -> PodBackoffRecord { records.withLock { $0[key] ?? PodBackoffRecord() } }

    func update(_ key: String, _ record: PodBackoffRecord) { records.withLock { $0[key] = record } }

    func remove(_ key: String) { records.withLock { _ = $0.removeValue(forKey: key) } }
}

extension CoreV1.Pod {
    /// When the pod finished: its containers' latest finish time when all have one, else the
    /// time Ready turned False, else its deletion time less the grace period, else its
    /// creation time (upstream's getFinishedTime).
    var finishedTime: Date {
        if let containers = Self.latestFinish(of: status.containerStatuses ?? []),
           let finished = Self.latestFinish(of: status.initContainerStatuses ?? [], after: containers) {
            return finished
        }
        if let ready = condition("Ready"), ready.status == "False", let since = ready.lastTransitionTime?.date { return since }
        if let deletion = metadata.deletionTimestamp?.date {
            return deletion.addingTimeInterval(-Double(metadata.deletionGracePeriodSeconds ?? 0))
        }
        return metadata.creationTimestamp?.date ?? Date(timeIntervalSince1970: 0)
    }

    /// The latest finish time of `statuses`, nil if any has not terminated; `after` when there
    /// are none.
    private static func latestFinish(of statuses: [CoreV1.ContainerStatus], after earlier: Date? = nil) -> Date? {
        var latest = earlier
        for container in statuses {
            guard let finished = container.state?.terminated?.finishedAt?.date else { return nil }
            if latest.map({ finished > $0 }) ?? true { latest = finished }
        }
        return latest
    }
}
