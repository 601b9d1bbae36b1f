import Foundation
import KubeClient
import KubeModel

extension JobController {
    /// Creates or deletes pods toward the number the Job wants running now (upstream's
    /// manageJob); returns the active count after the changes and the first failure.
    func manageJob(_ state: inout JobSyncState, key: String, now: Date) async -> (Int, (any Error)?) {
        let job = state.job
        let active = state.activePods.count
        if job.isSuspended {
            let victims = Self.activePodsForRemoval(job, pods: state.activePods, atLeast: active)
            let (removedReady, removed, error) = await deleteJobPods(victims, of: job, key: key)
            state.terminating += removed
            state.ready -= removedReady
            return (active - removed, error)
        }
        let parallelism = job.spec.parallelism ?? 1
        let wantActive: Int
        if let completions = job.spec.completions {
            // Never more than the completions still missing.
            wantActive = max(0, min(completions - state.succeeded, parallelism))
        } else {
            // Without completions, once one pod succeeded the others are left to finish.
            wantActive = state.succeeded > 0 ? active : parallelism
        }

        let victims = Self.activePodsForRemoval(job, pods: state.activePods, atLeast: max(0, active - wantActive))
        if !victims.isEmpty {
            // Deleting takes precedence: never both in one sync.
            let (removedReady, removed, error) = await deleteJobPods(Array(victims.prefix(Self.maxPodChangesPerSync)), of: job, key: key)
            state.terminating += removed
            state.ready -= removedReady
            return (active - removed, error)
        }

        let terminating = Self.onlyReplacesFailedPods(job) ? state.terminating : 0
        var missing = wantActive - terminating - active
        guard missing > 0 else { return (active, nil) }
        if job.spec.backoffLimitPerIndex == nil {
            let wait = PodFailureBackoff.remaining(failures: state.backoff.failuresAfterLastSuccess,
                                                   lastFailure: state.backoff.lastFailureTime, now: now)
            if wait > 0 {
                enqueue(key, afterSeconds: wait)
                return (active, nil)
            }
        }
        missing = min(missing, Self.maxPodChangesPerSync)
        var indexes: [Int?] = Array(repeating: nil, count: missing)
        if job.isIndexed {
            var pending = Self.firstPendingIndexes(state, count: missing)
            if job.spec.backoffLimitPerIndex != nil {
                let (ready, wait) = Self.indexesPastBackoff(pending, state: state, now: now)
                if ready.isEmpty, wait > 0 {
                    enqueue(key, afterSeconds: wait)
                    return (active, nil)
                }
                pending = ready
            }
            indexes = pending
        }
        let (created, error) = await createPods(for: indexes, state: state, key: key)
        return (active + created, error)
    }

    /// Pods from the template in slow-start batches (1, 2, 4…), so a template that cannot be
    /// created costs one request, not hundreds. Returns how many were created.
    func createPods(for indexes: [Int?], state: JobSyncState, key: String) async -> (Int, (any Error)?) {
        let job = state.job
        let podClient = client.resource(CoreV1.Pod.self, namespace: job.metadata.namespace)
        expectations.expect(key, creations: indexes.count)
        var remaining = indexes[...]
        var created = 0
        var batch = 1
        while !remaining.isEmpty {
            let chunk = remaining.prefix(batch)
            remaining = remaining.dropFirst(chunk.count)
            let errors = await withTaskGroup(of: (any Error)?.self) { group in
                for index in chunk {
                    let pod = Self.pod(for: job, index: index, replacing: index.flatMap { state.delayedDeletionPerIndex[$0] })
                    group.addTask { await self.create(pod, for: job, key: key, client: podClient) }
                }
                var errors: [any Error] = []
                for await error in group { if let error { errors.append(error) } }
                return errors
            }
            created += chunk.count - errors.count
            if let error = errors.first {
                // What was not attempted will not be observed either; the next sync retries.
                for _ in remaining { expectations.creationObserved(key) }
                return (created, error)
            }
            batch *= 2
        }
        return (created, nil)
    }

    func create(_ pod: CoreV1.Pod, for job: BatchV1.Job, key: String, client podClient: ResourceClient<CoreV1.Pod>) async -> (any Error)? {
        do {
            let created = try await podClient.create(pod)
            events.record(job, type: .normal, reason: "SuccessfulCreate", message: "Created pod: \(created.metadata.name ?? "")")
            return nil
        } catch {
            // A namespace being torn down refuses every pod; nothing to report.
            if error.isNamespaceTerminating {
                return nil
            }
            expectations.creationObserved(key)
            events.record(job, type: .warning, reason: "FailedCreate", message: "Error creating: \(error)")
            return error
        }
    }

    /// A pod of the Job: the template with the tracking finalizer and, for an index, its
    /// annotation and label, `JOB_COMPLETION_INDEX`, hostname `<job>-<index>` and (with
    /// backoffLimitPerIndex) the failure count of the pod it replaces.
    static func pod(for job: BatchV1.Job, index: Int?, replacing replaced: CoreV1.Pod?) -> CoreV1.Pod {
        let template = job.spec.template
        let jobName = job.metadata.name ?? ""
        var pod = CoreV1.Pod()
        pod.metadata.namespace = job.metadata.namespace
        pod.metadata.labels = template.metadata.labels
        pod.metadata.annotations = template.metadata.annotations
        var finalizers = template.metadata.finalizers ?? []
        if !finalizers.contains(JobKeys.trackingFinalizer) { finalizers.append(JobKeys.trackingFinalizer) }
        pod.metadata.finalizers = finalizers
        pod.metadata.ownerReferences = [job.makeControllerReference()]
        pod.metadata.generateName = jobName + "-"
        pod.spec = template.spec ?? CoreV1.PodSpec()
        guard let index else { return pod }

        pod.spec.initContainers = pod.spec.initContainers.map { $0.map(withCompletionIndexVariable) }
        pod.spec.containers = pod.spec.containers.map(withCompletionIndexVariable)
        pod.metadata.annotations = (pod.metadata.annotations ?? [:]).merging([JobKeys.completionIndex: String(index)]) { $1 }
        pod.metadata.labels = (pod.metadata.labels ?? [:]).merging([JobKeys.completionIndex: String(index)]) { $1 }
        pod.spec.hostname = "\(jobName)-\(index)"
        pod.metadata.generateName = generateName(job: jobName, index: index)
        if job.spec.backoffLimitPerIndex != nil {
            var failures = 0
            var ignored = 0
            if let replaced {
                failures = replaced.indexFailureCount
                ignored = replaced.indexIgnoredFailureCount
                if PodFailureVerdict(policy: job.spec.podFailurePolicy, pod: replaced).countsAsFailure { failures += 1 } else { ignored += 1 }
            }
            pod.metadata.annotations?[JobKeys.indexFailureCount] = String(failures)
            if ignored > 0 { pod.metadata.annotations?[JobKeys.indexIgnoredFailureCount] = String(ignored) }
        }
        return pod
    }

    /// `JOB_COMPLETION_INDEX` from the pod's index label, unless the container sets it.
    static func withCompletionIndexVariable(_ container: CoreV1.Container) -> CoreV1.Container {
        var container = container
        var environment = container.env ?? []
        guard !environment.contains(where: { $0.name == JobKeys.completionIndexEnvironment }) else { return container }
        let field = CoreV1.ObjectFieldSelector(fieldPath: "metadata.labels['\(JobKeys.completionIndex)']")
        environment.append(CoreV1.EnvVar(name: JobKeys.completionIndexEnvironment, valueFrom: CoreV1.EnvVarSource(fieldRef: field)))
        container.env = environment
        return container
    }

    /// `<job>-<index>-`, the job name shortened so the prefix leaves room for the random suffix.
    static func generateName(job: String, index: Int) -> String {
        let suffix = "-\(index)-"
        let maximum = 58
        guard job.utf8.count + suffix.utf8.count > maximum else { return job + suffix }
        return String(decoding: job.utf8.prefix(maximum - suffix.utf8.count), as: UTF8.self) + suffix
    }

    /// Indexes below completions with no success, no running pod (no terminating one either
    /// when only failed pods are replaced) and no failure for good, lowest first.
    static func firstPendingIndexes(_ state: JobSyncState, count: Int) -> [Int] {
        var taken = state.succeededIndexes.adding(state.activePods.completionIndexes)
        if onlyReplacesFailedPods(state.job) {
            taken = taken.adding(state.pods.filter { $0.isTerminating && !$0.isTerminal }.completionIndexes)
        }
        if let failed = state.failedIndexes { taken = taken.merging(failed) }
        return taken.firstMissing(count, below: state.completions)
    }

    /// The indexes whose per-index back-off is over; if none, the shortest wait.
    static func indexesPastBackoff(_ indexes: [Int], state: JobSyncState, now: Date) -> ([Int], TimeInterval) {
        var ready: [Int] = []
        var shortest: TimeInterval?
        for index in indexes {
            let wait = PodFailureBackoff.remaining(forIndexAfter: state.delayedDeletionPerIndex[index], now: now)
            if wait == 0 {
                ready.append(index)
            } else {
                shortest = min(shortest ?? wait, wait)
            }
        }
        return ready.isEmpty ? ([], shortest ?? 0) : (ready, 0)
    }

    /// The active pods to delete: for Indexed Jobs, pods without a valid index and all but one
    /// pod of a repeated index; then, up to `atLeast`, the least valuable pods.
    static func activePodsForRemoval(_ job: BatchV1.Job, pods: [CoreV1.Pod], atLeast count: Int) -> [CoreV1.Pod] {
        var remove: [CoreV1.Pod] = []
        var keep = pods
        if job.isIndexed {
            keep = []
            let completions = job.spec.completions ?? 0
            let byIndex = Dictionary(grouping: pods) { $0.completionIndex ?? -1 }
            for (index, group) in byIndex.sorted(by: { $0.key < $1.key }) {
                if index < 0 || index >= completions {
                    remove += group
                } else {
                    let ordered = group.sorted(by: PodDeletionOrder.deleteFirst)
                    remove += ordered.dropLast()
                    keep.append(ordered[ordered.count - 1])
                }
            }
        }
        if remove.count < count {
            keep.sort(by: PodDeletionOrder.deleteFirst)
            remove += keep.prefix(count - remove.count)
        }
        return remove
    }

    /// Deletes pods the Job no longer wants, releasing them first so they do not count as
    /// failures. Returns the ready and total pods deleted, and the first failure.
    func deleteJobPods(_ victims: [CoreV1.Pod], of job: BatchV1.Job, key: String) async -> (Int, Int, (any Error)?) {
        expectations.expect(key, deletions: Set(victims.map { ObjectKey.of($0) }))
        return await deletePods(victims, of: job) { pod in
            do {
                try await self.removeTrackingFinalizer(from: pod)
                try await self.deletePod(pod, of: job)
                return nil
            } catch {
                self.expectations.deletionObserved(key, objectKey: ObjectKey.of(pod))
                return error
            }
        }
    }

    /// Deletes the active pods of a Job that failed or met its success criteria; they keep
    /// their finalizers and are counted as they go.
    func deleteActivePods(_ victims: [CoreV1.Pod], of job: BatchV1.Job) async -> (Int, Int, (any Error)?) {
        await deletePods(victims, of: job) { pod in
            do {
                try await self.deletePod(pod, of: job)
                return nil
            } catch {
                return error
            }
        }
    }

    /// Runs `delete` on every pod at once; a pod already gone counts as deleted.
    func deletePods(_ victims: [CoreV1.Pod], of job: BatchV1.Job,
                    _ delete: @escaping @Sendable (CoreV1.Pod) async -> (any Error)?) async -> (Int, Int, (any Error)?) {
        await withTaskGroup(of: (Bool, (any Error)?).self) { group in
            for pod in victims {
                group.addTask {
                    let error = await delete(pod)
                    if let status = error as? APIStatusError, status.isNotFound { return (pod.isReady, nil) }
                    return (pod.isReady, error)
                }
            }
            var ready = 0
            var deleted = 0
            var firstError: (any Error)?
            for await (wasReady, error) in group {
                if let error {
                    firstError = firstError ?? error
                } else {
                    deleted += 1
                    if wasReady { ready += 1 }
                }
            }
            return (ready, deleted, firstError)
        }
    }

    func deletePod(_ pod: CoreV1.Pod, of job: BatchV1.Job) async throws {
        let name = pod.metadata.name ?? ""
        do {
            try await client.resource(CoreV1.Pod.self, namespace: pod.metadata.namespace).delete(name)
            events.record(job, type: .normal, reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
        } catch let error as APIStatusError where error.isNotFound {
            throw error
        } catch {
            events.record(job, type: .warning, reason: "FailedDelete", message: "Error deleting: \(error)")
            throw error
        }
    }
}
