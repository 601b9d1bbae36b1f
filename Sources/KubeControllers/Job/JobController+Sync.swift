import Foundation
import KubeClient
import KubeModel

/// One sync of one Job: what was read, what was decided (upstream's syncJobCtx).
struct JobSyncState {
    var job: BatchV1.Job
    var pods: [CoreV1.Pod]
    var activePods: [CoreV1.Pod]
    /// The condition the Job is heading for: FailureTarget or SuccessCriteriaMet first, then
    /// Failed or Complete once every pod is counted and none is terminating.
    var finishedCondition: BatchV1.JobCondition?
    var succeeded = 0
    var failed = 0
    var previousSucceededIndexes = IndexIntervals()
    var succeededIndexes = IndexIntervals()
    /// Indexes that failed for good (backoffLimitPerIndex only).
    var failedIndexes: IndexIntervals?
    var backoff = PodBackoffRecord()
    /// Pods whose finalizer removal is not yet in the cache: already counted.
    var expectedRemovedFinalizers: Set<String>
    var uncountedSucceeded: Set<String>
    var uncountedFailed: Set<String>
    /// Per index, the failed pod kept until its replacement carries its failure count.
    var delayedDeletionPerIndex: [Int: CoreV1.Pod] = [:]
    var terminating: Int
    var ready: Int

    var completions: Int { job.spec.completions ?? 0 }
}

extension JobController {
    func sync(_ key: String) async throws {
        guard let cached = jobs.store.get(key) else {
            expectations.remove(key)
            finalizerExpectations.remove(key)
            backoffs.remove(key)
            writtenStatuses.forget(key)
            return
        }
        if cached.isManagedExternally { return }
        // Counting from a Job older than our own last status write would undercount.
        if writtenStatuses.isStale(key, cached) { return }
        if cached.isFinished {
            backoffs.remove(key)
            return
        }
        if let mode = cached.spec.completionMode, mode != "NonIndexed", mode != "Indexed" {
            events.record(cached, type: .warning, reason: "UnknownCompletionMode", message: "Skipped Job sync because completion mode is unknown")
            return
        }
        var job = cached
        if job.status.uncountedTerminatedPods == nil { job.status.uncountedTerminatedPods = BatchV1.UncountedTerminatedPods() }
        // Read expectations before the pods, so that a pod arriving in between is not missed.
        let satisfied = expectations.satisfied(key)
        let pods = try await claimPods(of: job)
        let activePods = pods.filter(\.isActive)
        let uncounted = job.status.uncountedTerminatedPods ?? BatchV1.UncountedTerminatedPods()
        var state = JobSyncState(
            job: job, pods: pods, activePods: activePods, expectedRemovedFinalizers: finalizerExpectations.expected(key),
            uncountedSucceeded: Set(uncounted.succeeded ?? []), uncountedFailed: Set(uncounted.failed ?? []),
            terminating: pods.filter { $0.isTerminating && !$0.isTerminal }.count, ready: activePods.filter(\.isReady).count)
        var active = activePods.count
        let newlySucceeded = Self.uncountedPods(state, excluding: state.uncountedSucceeded) { $0.status.phase == "Succeeded" }
        let newlyFailed = Self.uncountedPods(state, excluding: state.uncountedFailed) { Self.isFailed($0, job: job) }
        let policy = job.spec.podFailurePolicy
        let countedFailures = newlyFailed.filter { PodFailureVerdict(policy: policy, pod: $0).countsAsFailure }.count
        state.succeeded = (job.status.succeeded ?? 0) + newlySucceeded.count + state.uncountedSucceeded.count
        state.failed = (job.status.failed ?? 0) + countedFailures + state.uncountedFailed.count

        let now = clock.now()
        // The first start; a suspended Job has not started.
        if state.job.status.startTime == nil && !job.isSuspended { state.job.status.startTime = Time(now) }
        state.backoff = backoffs.record(key).adding(succeeded: newlySucceeded, failed: newlyFailed)

        decideFinish(&state, key: key, now: now)

        var suspendedChanged = false
        var manageError: (any Error)?
        if state.finishedCondition != nil {
            // Failed or succeeded by policy: stop what still runs, keeping finalizers so the
            // pods are counted before they go.
            let (deletedReady, deleted, error) = await deleteActivePods(state.activePods, of: state.job)
            if deleted != active || !satisfied {
                // Not finished before every pod is gone from the cache and counted.
                state.finishedCondition = nil
            }
            active -= deleted
            state.terminating += deleted
            state.ready -= deletedReady
            manageError = error
        } else {
            var managed = false
            if satisfied, state.job.metadata.deletionTimestamp == nil {
                (active, manageError) = await manageJob(&state, key: key, now: now)
                managed = true
            }
            let complete: Bool
            if let completions = state.job.spec.completions {
                complete = state.succeeded >= completions && active == 0
            } else {
                // Without completions, one success is enough once nothing runs any more.
                complete = state.succeeded > 0 && active == 0
            }
            if complete {
                state.finishedCondition = .make(JobConditionType.successCriteriaMet, reason: "CompletionsReached",
                                                message: "Reached expected number of succeeded pods", now: now)
            } else if managed {
                suspendedChanged = updateSuspendedCondition(&state.job, now: now)
            }
        }

        let previous = state.job.status
        let needsStatusUpdate = suspendedChanged || active != (previous.active ?? 0) || previous.ready != state.ready
            || previous.terminating != state.terminating
        state.job.status.active = active == 0 ? nil : active
        state.job.status.ready = state.ready
        state.job.status.terminating = state.terminating
        try await trackStatusAndRemoveFinalizers(&state, key: key, needsFlush: needsStatusUpdate, now: now)
        if let manageError { throw manageError }
    }

    /// Works out whether the Job has failed or succeeded, in upstream's order: an earlier
    /// verdict, the pod failure policy, the backoff limit, the active deadline, then (Indexed
    /// Jobs) failed indexes and the success policy.
    func decideFinish(_ state: inout JobSyncState, key: String, now: Date) {
        let job = state.job
        if let met = job.condition(JobConditionType.successCriteriaMet), met.status == "True" {
            state.finishedCondition = met
        } else if let target = job.condition(JobConditionType.failureTarget), target.status == "True" {
            state.finishedCondition = .make(JobConditionType.failed, reason: target.reason ?? "", message: target.message ?? "", now: now)
        } else if let message = Self.failJobMessage(job, pods: state.pods) {
            state.finishedCondition = .make(JobConditionType.failureTarget, reason: "PodFailurePolicy", message: message, now: now)
        }
        if state.finishedCondition == nil {
            if state.failed > (job.spec.backoffLimit ?? 6) || Self.pastBackoffLimitOnFailure(job, pods: state.pods) {
                state.finishedCondition = .make(JobConditionType.failureTarget, reason: "BackoffLimitExceeded",
                                                message: "Job has reached the specified backoff limit", now: now)
            } else if let deadline = job.spec.activeDeadlineSeconds, let start = job.status.startTime?.date, !job.isSuspended {
                let remaining = Double(deadline) - now.timeIntervalSince(start)
                if remaining <= 0 {
                    state.finishedCondition = .make(JobConditionType.failureTarget, reason: "DeadlineExceeded",
                                                    message: "Job was active longer than specified deadline", now: now)
                } else {
                    loop.enqueue(key, after: .milliseconds(Int64((remaining * 1000).rounded(.up))))
                }
            }
        }
        guard job.isIndexed else { return }
        let completions = state.completions
        state.previousSucceededIndexes = IndexIntervals(parsing: job.status.completedIndexes ?? "", completions: completions)
        let newlySucceeded = state.pods.filter { pod in
            pod.status.phase == "Succeeded" && pod.hasJobTrackingFinalizer && (pod.completionIndex.map { $0 < completions } ?? false)
        }
        state.succeededIndexes = state.previousSucceededIndexes.adding(newlySucceeded.compactMap(\.completionIndex))
        state.succeeded = state.succeededIndexes.total
        if let perIndex = job.spec.backoffLimitPerIndex {
            let previousFailed = IndexIntervals(parsing: job.status.failedIndexes ?? "", completions: completions)
            let newlyFailed = state.pods.filter { pod in
                pod.hasJobTrackingFinalizer && (pod.completionIndex.map { $0 < completions } ?? false)
                    && Self.isIndexFailed(pod, job: job, limit: perIndex)
            }
            let failedIndexes = previousFailed.adding(newlyFailed.compactMap(\.completionIndex))
            state.failedIndexes = failedIndexes
            if state.finishedCondition == nil {
                if let maximum = job.spec.maxFailedIndexes, failedIndexes.total > maximum {
                    state.finishedCondition = .make(JobConditionType.failureTarget, reason: "MaxFailedIndexesExceeded",
                                                    message: "Job has exceeded the specified maximal number of failed indexes", now: now)
                } else if failedIndexes.total > 0, failedIndexes.total + state.succeededIndexes.total >= completions {
                    state.finishedCondition = .make(JobConditionType.failureTarget, reason: "FailedIndexes",
                                                    message: "Job has failed indexes", now: now)
                }
            }
            state.delayedDeletionPerIndex = Self.podsWithDelayedDeletion(state)
        }
        if state.finishedCondition == nil,
           let message = Self.successPolicyMatch(job.spec.successPolicy, completions: completions, succeeded: state.succeededIndexes) {
            state.finishedCondition = .make(JobConditionType.successCriteriaMet, reason: "SuccessPolicy", message: message, now: now)
        }
    }

    /// Suspended=True while suspended, and no startTime (as v1.36 clears it, so the template
    /// may change again); False and a fresh startTime once resumed, so the active deadline
    /// counts from the resumption. Returns whether the condition changed.
    func updateSuspendedCondition(_ job: inout BatchV1.Job, now: Date) -> Bool {
        var conditions = job.status.conditions ?? []
        defer { job.status.conditions = conditions.isEmpty ? nil : conditions }
        if job.isSuspended {
            guard conditions.ensure(JobConditionType.suspended, status: "True", reason: "JobSuspended", message: "Job suspended", now: now)
            else { return false }
            events.record(job, type: .normal, reason: "Suspended", message: "Job suspended")
            job.status.startTime = nil
            return true
        }
        guard conditions.ensure(JobConditionType.suspended, status: "False", reason: "JobResumed", message: "Job resumed", now: now)
        else { return false }
        events.record(job, type: .normal, reason: "Resumed", message: "Job resumed")
        job.status.startTime = Time(now)
        return true
    }

    // MARK: - Counting

    /// Finished pods not yet counted: they hold the finalizer, are not in `excluding` (the
    /// uncounted list) and, for Indexed Jobs, carry a valid index.
    static func uncountedPods(_ state: JobSyncState, excluding: Set<String>, where filter: (CoreV1.Pod) -> Bool) -> [CoreV1.Pod] {
        state.pods.filter { pod in
            let uid = pod.metadata.uid ?? ""
            guard pod.hasJobTrackingFinalizer, !excluding.contains(uid), !state.expectedRemovedFinalizers.contains(uid) else { return false }
            if state.job.isIndexed {
                guard let index = pod.completionIndex, index < state.completions else { return false }
            }
            return filter(pod)
        }
    }

    /// Pods are replaced only once Failed (not while terminating) with podReplacementPolicy
    /// Failed or a pod failure policy.
    static func onlyReplacesFailedPods(_ job: BatchV1.Job) -> Bool {
        job.spec.podReplacementPolicy == "Failed" || job.spec.podFailurePolicy != nil
    }

    /// Failed, or (unless only failed pods are replaced) deleted before it succeeded.
    static func isFailed(_ pod: CoreV1.Pod, job: BatchV1.Job) -> Bool {
        if pod.status.phase == "Failed" { return true }
        if onlyReplacesFailedPods(job) { return false }
        return pod.isTerminating && pod.status.phase != "Succeeded"
    }

    /// The index of this failed pod is used up: a FailIndex rule matched, or the failure counts
    /// and the index already failed `limit` times.
    static func isIndexFailed(_ pod: CoreV1.Pod, job: BatchV1.Job, limit: Int) -> Bool {
        guard isFailed(pod, job: job) else { return false }
        let verdict = PodFailureVerdict(policy: job.spec.podFailurePolicy, pod: pod)
        if verdict.action == "FailIndex" { return true }
        return verdict.countsAsFailure && pod.indexFailureCount >= limit
    }

    static func failJobMessage(_ job: BatchV1.Job, pods: [CoreV1.Pod]) -> String? {
        guard let policy = job.spec.podFailurePolicy else { return nil }
        for pod in pods where isFailed(pod, job: job) {
            if let message = PodFailureVerdict(policy: policy, pod: pod).failJobMessage { return message }
        }
        return nil
    }

    /// restartPolicy OnFailure: container restarts of running pods count against backoffLimit.
    static func pastBackoffLimitOnFailure(_ job: BatchV1.Job, pods: [CoreV1.Pod]) -> Bool {
        guard job.spec.template.spec?.restartPolicy == "OnFailure" else { return false }
        var restarts = 0
        for pod in pods where pod.status.phase == "Running" || pod.status.phase == "Pending" {
            for container in (pod.status.initContainerStatuses ?? []) + (pod.status.containerStatuses ?? []) {
                restarts += container.restartCount
            }
        }
        let limit = job.spec.backoffLimit ?? 6
        return limit == 0 ? restarts > 0 : restarts >= limit
    }

    /// Per index without a success, a failure for good or a running pod: the newest failed
    /// pod, kept (with its finalizer) until a replacement has copied its failure count.
    static func podsWithDelayedDeletion(_ state: JobSyncState) -> [Int: CoreV1.Pod] {
        let activeIndexes = state.activePods.completionIndexes
        var delayed: [Int: CoreV1.Pod] = [:]
        for pod in uncountedPods(state, excluding: [], where: { isFailed($0, job: state.job) }) {
            guard let index = pod.completionIndex, !state.succeededIndexes.contains(index),
                  !(state.failedIndexes?.contains(index) ?? false), !activeIndexes.contains(index) else { continue }
            if let kept = delayed[index] {
                let keptFailures = kept.indexFailureCount + kept.indexIgnoredFailureCount
                let failures = pod.indexFailureCount + pod.indexIgnoredFailureCount
                if keptFailures <= failures && pod.finishedTime >= kept.finishedTime { delayed[index] = pod }
            } else {
                delayed[index] = pod
            }
        }
        return delayed
    }

    /// "Matched rules at index N" for the first successPolicy rule the succeeded indexes meet.
    static func successPolicyMatch(_ policy: BatchV1.SuccessPolicy?, completions: Int, succeeded: IndexIntervals) -> String? {
        guard let policy, !succeeded.isEmpty else { return nil }
        for (index, rule) in policy.rules.enumerated() {
            if let text = rule.succeededIndexes {
                let required = IndexIntervals(parsing: text, completions: completions)
                guard !required.isEmpty else { continue }
                let overlap = required.overlapCount(with: succeeded)
                if overlap == required.total || rule.succeededCount.map({ overlap >= $0 }) == true {
                    return "Matched rules at index \(index)"
                }
            } else if let count = rule.succeededCount, succeeded.total >= count {
                return "Matched rules at index \(index)"
            }
        }
        return nil
    }

    // MARK: - Tracking finished pods

    /// Records finished pods in `uncountedTerminatedPods` (or, for Indexed Jobs, in
    /// completedIndexes), writes the status, removes their finalizers, then moves them into
    /// the succeeded/failed counters; finishes the Job once nothing is uncounted or
    /// terminating (upstream's trackJobStatusAndRemoveFinalizers).
    func trackStatusAndRemoveFinalizers(_ state: inout JobSyncState, key: String, needsFlush initialFlush: Bool, now: Date) async throws {
        var needsFlush = initialFlush
        let isIndexed = state.job.isIndexed
        var pods = state.pods
        if isIndexed {
            // Completed indexes are recorded in order.
            pods.sort { ($0.completionIndex ?? -1) < ($1.completionIndex ?? -1) }
        }
        var withFinalizer = Set(pods.filter { $0.hasJobTrackingFinalizer }.compactMap(\.metadata.uid))
            .subtracting(state.expectedRemovedFinalizers)
        if Self.countRemovedFinalizers(&state.job.status, stillHeld: withFinalizer) { needsFlush = true }

        var uncounted = state.job.status.uncountedTerminatedPods ?? BatchV1.UncountedTerminatedPods()
        var toRelease: [CoreV1.Pod] = []
        var newSucceededIndexes: [Int] = []
        var reachedLimit = false
        let failing = state.finishedCondition.map { $0.type != JobConditionType.successCriteriaMet } ?? false
        for pod in pods {
            let uid = pod.metadata.uid ?? ""
            // Pods without the finalizer were counted in an earlier sync.
            guard pod.hasJobTrackingFinalizer, !state.expectedRemovedFinalizers.contains(uid) else { continue }
            let failed = Self.isFailed(pod, job: state.job)
            guard canRemoveFinalizer(of: pod, failed: failed, state: state) else { continue }
            toRelease.append(pod)
            if pod.status.phase == "Succeeded", !state.uncountedFailed.contains(uid) {
                if isIndexed {
                    if let index = pod.completionIndex, index < state.completions, !state.previousSucceededIndexes.contains(index) {
                        newSucceededIndexes.append(index)
                        needsFlush = true
                    }
                } else if !state.uncountedSucceeded.contains(uid) {
                    uncounted.succeeded = (uncounted.succeeded ?? []) + [uid]
                    needsFlush = true
                }
            } else if failed || failing {
                // Once the Job is failing, every pod not yet finished counts as failed.
                let validIndex = !isIndexed || (pod.completionIndex.map { $0 < state.completions } ?? false)
                if !state.uncountedFailed.contains(uid), validIndex,
                   PodFailureVerdict(policy: state.job.spec.podFailurePolicy, pod: pod).countsAsFailure {
                    uncounted.failed = (uncounted.failed ?? []) + [uid]
                    needsFlush = true
                }
            }
            if newSucceededIndexes.count + (uncounted.succeeded?.count ?? 0) + (uncounted.failed?.count ?? 0) >= Self.maxUncountedPods {
                // Keep the status small and leave the rest to the next sync.
                reachedLimit = true
                break
            }
        }
        state.job.status.uncountedTerminatedPods = uncounted
        if isIndexed {
            state.succeededIndexes = state.succeededIndexes.adding(newSucceededIndexes)
            let completed = state.succeededIndexes.description
            if completed != state.job.status.completedIndexes ?? "" { needsFlush = true }
            state.job.status.succeeded = state.succeededIndexes.total == 0 ? nil : state.succeededIndexes.total
            state.job.status.completedIndexes = completed.isEmpty ? nil : completed
            let failedText = state.failedIndexes?.description
            if failedText != state.job.status.failedIndexes {
                state.job.status.failedIndexes = failedText
                needsFlush = true
            }
        }
        if let target = state.finishedCondition, target.type == JobConditionType.failureTarget {
            // Record the verdict before the finalizers go, so the pods' fate is never lost.
            state.job.status.conditions = (state.job.status.conditions ?? []) + [target]
            needsFlush = true
            state.finishedCondition = .make(JobConditionType.failed, reason: target.reason ?? "", message: target.message ?? "", now: now)
        }
        if let met = state.finishedCondition, met.type == JobConditionType.successCriteriaMet {
            if state.job.condition(JobConditionType.successCriteriaMet)?.status != "True" {
                state.job.status.conditions = (state.job.status.conditions ?? []) + [met]
                needsFlush = true
            }
            state.finishedCondition = .make(JobConditionType.complete, reason: met.reason ?? "", message: met.message ?? "", now: now)
        }

        // Flush the uncounted pods, release them, then count those released.
        if needsFlush {
            state.job = try await writeStatus(state.job)
            backoffs.update(key, state.backoff)
            needsFlush = false
        }
        var releaseError: (any Error)?
        if !toRelease.isEmpty {
            let (released, error) = await removeTrackingFinalizers(from: toRelease, key: key)
            withFinalizer.subtract(released)
            releaseError = error
        }
        if Self.countRemovedFinalizers(&state.job.status, stillHeld: withFinalizer) { needsFlush = true }
        if let releaseError {
            if needsFlush { _ = try await writeStatus(state.job) }
            throw releaseError
        }
        let finished = !reachedLimit && enactFinished(&state, now: now)
        if finished || needsFlush {
            _ = try await writeStatus(state.job)
            if finished, let condition = state.finishedCondition { recordFinished(state.job, condition: condition) }
        }
    }

    /// Moves uncounted pods whose finalizer is gone into the counters; returns whether the
    /// status changed.
    static func countRemovedFinalizers(_ status: inout BatchV1.JobStatus, stillHeld: Set<String>) -> Bool {
        var uncounted = status.uncountedTerminatedPods ?? BatchV1.UncountedTerminatedPods()
        let succeeded = dropReleased(&uncounted.succeeded, stillHeld: stillHeld)
        let failed = dropReleased(&uncounted.failed, stillHeld: stillHeld)
        if succeeded > 0 { status.succeeded = (status.succeeded ?? 0) + succeeded }
        if failed > 0 { status.failed = (status.failed ?? 0) + failed }
        status.uncountedTerminatedPods = uncounted
        return succeeded + failed > 0
    }

    /// Removes the UIDs no longer holding a finalizer (nil when none is left); returns how many.
    static func dropReleased(_ uids: inout [String]?, stillHeld: Set<String>) -> Int {
        let all = uids ?? []
        let kept = all.filter(stillHeld.contains)
        uids = kept.isEmpty ? nil : kept
        return all.count - kept.count
    }

    /// A pod may be released once the Job finishes or is deleted, once it succeeded, or once
    /// it failed — unless it is the failed pod of an index whose replacement must first copy
    /// its failure count.
    func canRemoveFinalizer(of pod: CoreV1.Pod, failed: Bool, state: JobSyncState) -> Bool {
        if state.job.isBeingDeleted || state.finishedCondition != nil || pod.status.phase == "Succeeded" { return true }
        guard failed else { return false }
        if state.job.spec.backoffLimitPerIndex != nil, let index = pod.completionIndex,
           let kept = state.delayedDeletionPerIndex[index], kept.metadata.uid == pod.metadata.uid {
            return false
        }
        return true
    }

    /// Sets Complete (with completionTime) or Failed when nothing is uncounted or terminating.
    func enactFinished(_ state: inout JobSyncState, now: Date) -> Bool {
        guard let condition = state.finishedCondition else { return false }
        let uncounted = state.job.status.uncountedTerminatedPods
        if !(uncounted?.succeeded ?? []).isEmpty || !(uncounted?.failed ?? []).isEmpty { return false }
        if state.terminating > 0 { return false }
        var conditions = state.job.status.conditions ?? []
        _ = conditions.ensure(condition.type, status: condition.status, reason: condition.reason ?? "",
                              message: condition.message ?? "", now: now)
        state.job.status.conditions = conditions
        if condition.type == JobConditionType.complete { state.job.status.completionTime = condition.lastTransitionTime }
        return true
    }

    func recordFinished(_ job: BatchV1.Job, condition: BatchV1.JobCondition) {
        if condition.type == JobConditionType.complete {
            if let completions = job.spec.completions, (job.status.succeeded ?? 0) > completions {
                events.record(job, type: .warning, reason: "TooManySucceededPods",
                              message: "Too many succeeded pods running after completion count reached")
            }
            events.record(job, type: .normal, reason: "Completed", message: "Job completed")
        } else {
            events.record(job, type: .warning, reason: condition.reason ?? "", message: condition.message ?? "")
        }
    }

    func writeStatus(_ job: BatchV1.Job) async throws -> BatchV1.Job {
        let written = try await client.resource(BatchV1.Job.self, namespace: job.metadata.namespace).updateStatus(job)
        writtenStatuses.record(ObjectKey.of(written), written)
        return written
    }

    /// Removes the tracking finalizer of each pod; returns the UIDs released (a pod already
    /// gone counts as released) and the first error.
    func removeTrackingFinalizers(from pods: [CoreV1.Pod], key: String) async -> (released: Set<String>, error: (any Error)?) {
        finalizerExpectations.expectRemoval(key, uids: pods.compactMap(\.metadata.uid))
        return await withTaskGroup(of: (String, (any Error)?).self) { group in
            for pod in pods {
                group.addTask {
                    let uid = pod.metadata.uid ?? ""
                    do {
                        try await self.removeTrackingFinalizer(from: pod)
                        return (uid, nil)
                    } catch {
                        // No update will show this removal.
                        self.finalizerExpectations.removalObserved(key, uid: uid)
                        if let status = error as? APIStatusError, status.isNotFound { return (uid, nil) }
                        return (uid, error)
                    }
                }
            }
            var released = Set<String>()
            var firstError: (any Error)?
            for await (uid, error) in group {
                if let error { firstError = firstError ?? error } else { released.insert(uid) }
            }
            return (released, firstError)
        }
    }
}
