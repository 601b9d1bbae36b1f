import Foundation
import KubeClient
import KubeModel
import Logging

/// Runs each Job's pods to completion (upstream's job controller): keeps up to `parallelism`
/// pods running until `completions` succeeded (Indexed Jobs: one success per index), replaces
/// failed pods after an exponential back-off, fails the Job past backoffLimit,
/// backoffLimitPerIndex / maxFailedIndexes, activeDeadlineSeconds or a FailJob rule of its
/// podFailurePolicy, suspends and resumes it, and counts every finished pod exactly once
/// through the `batch.kubernetes.io/job-tracking` finalizer and
/// `status.uncountedTerminatedPods`.
public final class JobController: Controller {
    public let name = "job"
    let loop: ReconcileLoop
    /// Pods whose tracking finalizer nobody else will remove (orphans, pods of finished Jobs).
    let orphans: ReconcileLoop
    let jobs: Informer<BatchV1.Job>
    let pods: Informer<CoreV1.Pod>
    let client: APIClient
    let events: EventRecorder
    let clock: any ClientClock
    let expectations: Expectations
    let finalizerExpectations = FinalizerExpectations()
    let backoffs = PodBackoffStore()
    let writtenStatuses = WrittenVersions()
    /// How long pod events and status changes wait so that bursts make one sync (upstream's
    /// syncJobBatchPeriod).
    let batchPeriod: Duration
    let logger: Logger

    /// Upstream's MaxUncountedPods: finished pods added to uncountedTerminatedPods per sync.
    static let maxUncountedPods = 500
    /// Upstream's MaxPodCreateDeletePerSync.
    static let maxPodChangesPerSync = 500

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context)
        orphans = ReconcileLoop(name: "job-orphan-pod", context: context, workers: 1)
        jobs = context.informers.informer(BatchV1.Job.self)
        pods = context.informers.informer(CoreV1.Pod.self)
        (client, events, clock) = (context.client, context.events, context.clock)
        expectations = Expectations(clock: context.clock)
        batchPeriod = context.settings.jobSyncBatchPeriod
        logger = context.logger(for: name)

        jobs.addEventHandler(InformerEventHandler(
            onAdd: { [weak self] job in self?.loop.enqueue(job) },
            onUpdate: { [weak self] old, new in self?.jobUpdated(old: old, new: new) },
            onDelete: { [weak self] job in self?.jobDeleted(job) }))
        pods.addEventHandler(InformerEventHandler(
            onAdd: { [weak self] pod in self?.podAdded(pod) },
            onUpdate: { [weak self] old, new in self?.podUpdated(old: old, new: new) },
            onDelete: { [weak self] pod in self?.podDeleted(pod, final: true) }))
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.loop.run { [self] key in try await sync(key) } }
            group.addTask { await self.orphans.run { [self] key in try await syncOrphanPod(key) } }
        }
    }

    // MARK: - Job events

    func enqueueBatched(_ job: BatchV1.Job) { loop.enqueue(ObjectKey.of(job), after: batchPeriod) }

    /// Re-syncs after `seconds`, never sooner than the batch period.
    func enqueue(_ key: String, afterSeconds seconds: TimeInterval) {
        loop.enqueue(key, after: max(batchPeriod, .milliseconds(Int64((seconds * 1000).rounded(.up)))))
    }

    func jobUpdated(old: BatchV1.Job, new: BatchV1.Job) {
        // Spec changes sync at once; status changes (mostly our own) in a batch.
        if old.metadata.generation == new.metadata.generation { enqueueBatched(new) } else { loop.enqueue(new) }
        // Pods of a finished Job lose their finalizer even if a sync missed some.
        if new.isFinished { cleanUpPodFinalizers(of: new) }
        if let start = new.status.startTime?.date, let deadline = new.spec.activeDeadlineSeconds,
           old.spec.activeDeadlineSeconds != deadline {
            let remaining = Double(deadline) - clock.now().timeIntervalSince(start)
            loop.enqueue(ObjectKey.of(new), after: .milliseconds(Int64(max(0, remaining) * 1000)))
        }
    }

    func jobDeleted(_ job: BatchV1.Job) {
        loop.enqueue(job)
        cleanUpPodFinalizers(of: job)
    }

    func cleanUpPodFinalizers(of job: BatchV1.Job) {
        let selector = LabelSelector(job.spec.selector)
        for pod in pods.store.list(namespace: job.metadata.namespace ?? "")
        where pod.hasJobTrackingFinalizer && pod.isControlled(by: job) && selector.matches(pod.metadata.labels ?? [:]) {
            orphans.enqueue(pod)
        }
    }

    // MARK: - Pod events

    /// The Job a controller reference points at, if it still exists with that UID.
    func resolve(_ reference: MetaV1.OwnerReference?, namespace: String?) -> BatchV1.Job? {
        guard let reference, reference.kind == "Job",
              let job = jobs.store.get(namespace: namespace, name: reference.name), job.metadata.uid == reference.uid
        else { return nil }
        return job
    }

    /// Jobs whose selector matches an orphan pod: they may adopt it.
    func jobsSelecting(_ pod: CoreV1.Pod) -> [BatchV1.Job] {
        let labels = pod.metadata.labels ?? [:]
        return jobs.store.list(namespace: pod.metadata.namespace ?? "").filter { job in
            let selector = LabelSelector(job.spec.selector)
            return !selector.isEmpty && selector.matches(labels)
        }
    }

    func podAdded(_ pod: CoreV1.Pod) {
        if pod.isTerminating {
            // Seen for the first time already terminating: not a creation we wait for.
            podDeleted(pod, final: false)
            return
        }
        if let reference = pod.controllerReference {
            guard let job = resolve(reference, namespace: pod.metadata.namespace) else { return }
            expectations.creationObserved(ObjectKey.of(job))
            enqueueBatched(job)
            return
        }
        if pod.hasJobTrackingFinalizer { orphans.enqueue(pod) }
        jobsSelecting(pod).forEach(enqueueBatched)
    }

    func podUpdated(old: CoreV1.Pod, new: CoreV1.Pod) {
        if old.metadata.resourceVersion == new.metadata.resourceVersion { return }
        if new.isTerminating {
            // Replacements need not wait for the kubelet to finish the pod off.
            podDeleted(new, final: false)
            return
        }
        let finalizerRemoved = !new.hasJobTrackingFinalizer
        let reference = new.controllerReference
        let oldReference = old.controllerReference
        let referenceChanged = reference != oldReference
        if referenceChanged, let job = resolve(oldReference, namespace: old.metadata.namespace) {
            if finalizerRemoved { finalizerExpectations.removalObserved(ObjectKey.of(job), uid: new.metadata.uid ?? "") }
            enqueueBatched(job)
        }
        if reference != nil {
            guard let job = resolve(reference, namespace: new.metadata.namespace) else { return }
            if finalizerRemoved { finalizerExpectations.removalObserved(ObjectKey.of(job), uid: new.metadata.uid ?? "") }
            enqueueBatched(job)
            return
        }
        if new.hasJobTrackingFinalizer { orphans.enqueue(new) }
        if referenceChanged || old.metadata.labels != new.metadata.labels { jobsSelecting(new).forEach(enqueueBatched) }
    }

    /// A pod gone (`final`) or marked for deletion.
    func podDeleted(_ pod: CoreV1.Pod, final: Bool) {
        let hasFinalizer = pod.hasJobTrackingFinalizer
        guard let reference = pod.controllerReference else {
            if hasFinalizer { orphans.enqueue(pod) }
            return
        }
        guard let job = resolve(reference, namespace: pod.metadata.namespace), !job.isFinished else {
            // No sync will remove this finalizer.
            if hasFinalizer { orphans.enqueue(pod) }
            return
        }
        let key = ObjectKey.of(job)
        expectations.deletionObserved(key, objectKey: ObjectKey.of(pod))
        if final || !hasFinalizer { finalizerExpectations.removalObserved(key, uid: pod.metadata.uid ?? "") }
        enqueueBatched(job)
    }

    // MARK: - Orphan pods

    /// Removes the tracking finalizer of a pod no running Job will count.
    func syncOrphanPod(_ key: String) async throws {
        guard let pod = pods.store.get(key) else { return }
        if let reference = pod.controllerReference {
            // Another kind's pod keeps its finalizers.
            guard reference.kind == "Job", reference.apiVersion == "batch/v1" else { return }
            if let job = resolve(reference, namespace: pod.metadata.namespace), job.isManagedExternally || !job.isFinished { return }
        }
        do {
            try await removeTrackingFinalizer(from: pod)
        } catch let error as APIStatusError where error.isNotFound {
            return
        }
    }

    /// Strategic merge patch that deletes the tracking finalizer from the pod's list.
    func removeTrackingFinalizer(from pod: CoreV1.Pod) async throws {
        guard pod.hasJobTrackingFinalizer else { return }
        let patch: JSONValue = ["metadata": ["$deleteFromPrimitiveList/finalizers": [.string(JobKeys.trackingFinalizer)]]]
        _ = try await client.resource(CoreV1.Pod.self, namespace: pod.metadata.namespace)
            .patch(pod.metadata.name ?? "", type: .strategicMerge, body: patch)
    }

    // MARK: - Claiming pods

    /// The pods this Job owns, after adopting matching orphans (with the tracking finalizer,
    /// counted from now on) and releasing owned pods that stopped matching (upstream's
    /// PodControllerRefManager).
    func claimPods(of job: BatchV1.Job) async throws -> [CoreV1.Pod] {
        let selector = LabelSelector(job.spec.selector)
        let namespace = job.metadata.namespace ?? ""
        let podClient = client.resource(CoreV1.Pod.self, namespace: namespace)
        var owned: [CoreV1.Pod] = []
        var mayAdopt: Bool?
        for pod in pods.store.list(namespace: namespace) {
            let matches = selector.matches(pod.metadata.labels ?? [:])
            if pod.isControlled(by: job) {
                if matches || job.isBeingDeleted {
                    owned.append(pod)
                } else {
                    try await patchOwnership(of: pod, job: job, adopt: false, client: podClient)
                }
                continue
            }
            guard matches, pod.controllerReference == nil, !pod.isTerminating, !job.isBeingDeleted else { continue }
            // Before the first adoption, make sure the Job is not being deleted after all.
            if mayAdopt == nil { mayAdopt = try await jobIsCurrent(job) }
            guard mayAdopt == true else { continue }
            if var adopted = try await patchOwnership(of: pod, job: job, adopt: true, client: podClient) {
                if !adopted.hasJobTrackingFinalizer { adopted.metadata.finalizers = (adopted.metadata.finalizers ?? []) + [JobKeys.trackingFinalizer] }
                owned.append(adopted)
            }
        }
        return owned
    }

    /// The Job still exists with this UID and is not being deleted (an uncached read).
    func jobIsCurrent(_ job: BatchV1.Job) async throws -> Bool {
        let fresh = try await client.resource(BatchV1.Job.self, namespace: job.metadata.namespace).get(job.metadata.name ?? "")
        return fresh.metadata.uid == job.metadata.uid && !fresh.isBeingDeleted
    }

    /// Adds this Job's controller reference and the tracking finalizer (`adopt`), or removes
    /// the reference; returns the patched pod, nil if it is gone or no longer qualifies.
    @discardableResult
    func patchOwnership(of pod: CoreV1.Pod, job: BatchV1.Job, adopt: Bool,
                        client podClient: ResourceClient<CoreV1.Pod>) async throws -> CoreV1.Pod? {
        var patch = OwnerReferencePatch.release(from: job, objectUID: pod.metadata.uid)
        if adopt {
            patch = OwnerReferencePatch.adopt(by: job, objectUID: pod.metadata.uid)
            patch["metadata"]?["finalizers"] = [.string(JobKeys.trackingFinalizer)]
        }
        do {
            return try await podClient.patch(pod.metadata.name ?? "", type: .strategicMerge, body: patch)
        } catch let error as APIStatusError where error.isNotFound || error.isInvalid {
            return nil
        }
    }
}
