import Foundation
import KubeClient
import KubeModel
import Logging

/// Keeps the number of pods of each ReplicaSet (or ReplicationController) at its replicas:
/// adopts matching orphans, releases pods that stopped matching, creates missing pods from the
/// template in slow-start batches, deletes surplus pods least valuable first, and reports
/// replicas, ready and available counts in status.
public final class ReplicaSetController<Workload: ReplicatedWorkload>: Controller {
    public let name: String
    let loop: ReconcileLoop
    let workloads: Informer<Workload>
    let pods: Informer<CoreV1.Pod>
    let client: APIClient
    let events: EventRecorder
    let clock: any ClientClock
    let expectations: Expectations
    let logger: Logger
    /// Upstream's burstReplicas: at most this many creations or deletions per sync.
    static var burstReplicas: Int { 500 }

    public init(context: ControllerContext) {
        name = Workload.groupVersionKind.kind == "ReplicaSet" ? "replicaset" : "replicationcontroller"
        loop = ReconcileLoop(name: name, context: context)
        workloads = context.informers.informer(Workload.self)
        pods = context.informers.informer(CoreV1.Pod.self)
        client = context.client
        events = context.events
        clock = context.clock
        let clock = context.clock
        expectations = Expectations(now: { clock.now() })
        logger = context.logger(for: name)

        let loop = self.loop
        workloads.addEventHandler(InformerEventHandler(onChange: { loop.enqueue($0) }))
        pods.addEventHandler(InformerEventHandler(
            onAdd: { [weak self] pod in self?.podAdded(pod) },
            onUpdate: { [weak self] old, new in self?.podUpdated(old: old, new: new) },
            onDelete: { [weak self] pod in self?.podDeleted(pod) }))
    }

    public func run() async throws {
        await loop.run { [self] key in try await sync(key) }
    }

    // MARK: - Pod events → owner keys

    /// The key of the workload of this kind that controls `pod`, if any.
    func ownerKey(of pod: CoreV1.Pod) -> String? {
        guard let reference = pod.controllerReference, reference.kind == Workload.groupVersionKind.kind,
              let workload = workloads.store.get(namespace: pod.metadata.namespace, name: reference.name),
              workload.metadata.uid == reference.uid else { return nil }
        return ObjectKey.of(workload)
    }

    /// Workloads whose selector matches an orphan pod: they may adopt it.
    func adoptersOf(_ pod: CoreV1.Pod) -> [String] {
        guard let namespace = pod.metadata.namespace else { return [] }
        let labels = pod.metadata.labels ?? [:]
        return workloads.store.list(namespace: namespace).filter { $0.podSelector.matches(labels) }.map { ObjectKey.of($0) }
    }

    func podAdded(_ pod: CoreV1.Pod) {
        if pod.isTerminating {
            podDeleted(pod)
            return
        }
        if let key = ownerKey(of: pod) {
            expectations.creationObserved(key)
            loop.enqueue(key)
        } else if pod.controllerReference == nil {
            adoptersOf(pod).forEach(loop.enqueue)
        }
    }

    func podUpdated(old: CoreV1.Pod, new: CoreV1.Pod) {
        if new.isTerminating, !old.isTerminating, let key = ownerKey(of: new) {
            expectations.deletionObserved(key, objectKey: ObjectKey.of(new))
        }
        var keys = Set<String>()
        if let key = ownerKey(of: new) { keys.insert(key) }
        if old.controllerReference?.uid != new.controllerReference?.uid, let key = ownerKey(of: old) { keys.insert(key) }
        if new.controllerReference == nil, old.metadata.labels != new.metadata.labels || old.controllerReference != nil {
            keys.formUnion(adoptersOf(new))
        }
        keys.forEach(loop.enqueue)
    }

    func podDeleted(_ pod: CoreV1.Pod) {
        guard let key = ownerKey(of: pod) else { return }
        expectations.deletionObserved(key, objectKey: ObjectKey.of(pod))
        loop.enqueue(key)
    }

    // MARK: - Sync

    func sync(_ key: String) async throws {
        guard let workload = workloads.store.get(key) else {
            expectations.remove(key)
            return
        }
        let namespace = workload.metadata.namespace ?? "default"
        let owned = try await claimPods(of: workload, namespace: namespace)
        let active = owned.filter(\.isActive)

        var failure: String?
        if expectations.satisfied(key), !workload.isBeingDeleted {
            failure = await manageReplicas(workload, key: key, active: active, namespace: namespace)
        }
        try await updateStatus(workload, owned: owned, active: active, failure: failure)
    }

    /// Pods this workload owns after adopting matching orphans and releasing owned pods that no
    /// longer match (upstream's PodControllerRefManager).
    func claimPods(of workload: Workload, namespace: String) async throws -> [CoreV1.Pod] {
        let selector = workload.podSelector
        let podClient = client.resource(CoreV1.Pod.self, namespace: namespace)
        var owned: [CoreV1.Pod] = []
        for pod in pods.store.list(namespace: namespace) {
            let matches = selector.matches(pod.metadata.labels ?? [:])
            if pod.isControlled(by: workload) {
                if matches || workload.isBeingDeleted {
                    owned.append(pod)
                } else {
                    try await release(pod, from: workload, client: podClient)
                }
            } else if matches, pod.controllerReference == nil, !pod.isTerminating, !workload.isBeingDeleted {
                if let adopted = try await adopt(pod, into: workload, client: podClient) { owned.append(adopted) }
            }
        }
        return owned
    }

    func adopt(_ pod: CoreV1.Pod, into workload: Workload, client podClient: ResourceClient<CoreV1.Pod>) async throws -> CoreV1.Pod? {
        let patch = OwnerReferencePatch.adopt(by: workload, objectUID: pod.metadata.uid)
        do {
            return try await podClient.patch(pod.metadata.name ?? "", type: .strategicMerge, body: patch)
        } catch let error as APIStatusError where error.isNotFound || error.isInvalid {
            return nil
        }
    }

    func release(_ pod: CoreV1.Pod, from workload: Workload, client podClient: ResourceClient<CoreV1.Pod>) async throws {
        let patch = OwnerReferencePatch.release(from: workload, objectUID: pod.metadata.uid)
        do {
            _ = try await podClient.patch(pod.metadata.name ?? "", type: .strategicMerge, body: patch)
        } catch let error as APIStatusError where error.isNotFound || error.isInvalid {
            return
        }
    }

    /// Creates or deletes pods toward the desired count; returns the failure to report, if any.
    func manageReplicas(_ workload: Workload, key: String, active: [CoreV1.Pod], namespace: String) async -> String? {
        let difference = active.count - workload.desiredReplicas
        let podClient = client.resource(CoreV1.Pod.self, namespace: namespace)
        if difference < 0 {
            let count = min(-difference, Self.burstReplicas)
            expectations.expect(key, creations: count)
            let failure = await createPods(count, of: workload, key: key, client: podClient)
            return failure
        }
        if difference > 0 {
            let victims = Array(active.sorted(by: PodDeletionOrder.deleteFirst).prefix(min(difference, Self.burstReplicas)))
            expectations.expect(key, deletions: Set(victims.map { ObjectKey.of($0) }))
            var failure: String?
            for pod in victims {
                do {
                    try await podClient.delete(pod.metadata.name ?? "")
                    events.record(workload, type: .normal, reason: "SuccessfulDelete", message: "Deleted pod: \(pod.metadata.name ?? "")")
                } catch {
                    expectations.deletionObserved(key, objectKey: ObjectKey.of(pod))
                    if let status = error as? APIStatusError, status.isNotFound { continue }
                    failure = "\(error)"
                    events.record(workload, type: .warning, reason: "FailedDelete", message: "Error deleting: \(error)")
                }
            }
            return failure
        }
        return nil
    }

    /// Slow start as upstream: batches of 1, 2, 4… so a failing template costs one request, not hundreds.
    func createPods(_ count: Int, of workload: Workload, key: String, client podClient: ResourceClient<CoreV1.Pod>) async -> String? {
        let pod = Self.podFromTemplate(of: workload)
        var remaining = count
        var batch = 1
        while remaining > 0 {
            let size = min(batch, remaining)
            let failures = await withTaskGroup(of: String?.self) { group in
                for _ in 0..<size {
                    group.addTask {
                        do {
                            let created = try await podClient.create(pod)
                            self.events.record(workload, type: .normal, reason: "SuccessfulCreate",
                                               message: "Created pod: \(created.metadata.name ?? "")")
                            return nil
                        } catch {
                            self.expectations.creationObserved(key)
                            return "\(error)"
                        }
                    }
                }
                var failures: [String] = []
                for await failure in group { if let failure { failures.append(failure) } }
                return failures
            }
            remaining -= size
            if let failure = failures.first {
                // The rest of the batch will not be attempted, so it will not be observed either.
                for _ in 0..<remaining { expectations.creationObserved(key) }
                events.record(workload, type: .warning, reason: "FailedCreate", message: "Error creating: \(failure)")
                return failure
            }
            batch *= 2
        }
        return nil
    }

    /// A pod from the workload's template, named after it and controlled by it.
    static func podFromTemplate(of workload: Workload) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        let template = workload.podTemplate
        pod.metadata.generateName = (workload.metadata.name ?? "") + "-"
        pod.metadata.namespace = workload.metadata.namespace
        pod.metadata.labels = template?.metadata.labels
        pod.metadata.annotations = template?.metadata.annotations
        pod.metadata.finalizers = template?.metadata.finalizers
        pod.metadata.ownerReferences = [workload.makeControllerReference()]
        pod.spec = template?.spec ?? CoreV1.PodSpec()
        return pod
    }

    func updateStatus(_ workload: Workload, owned: [CoreV1.Pod], active: [CoreV1.Pod], failure: String?) async throws {
        let now = clock.now()
        let minReady = workload.minReadySeconds
        let templateLabels = workload.podTemplate?.metadata.labels ?? [:]
        var status = ReplicaStatus()
        status.replicas = active.count
        status.fullyLabeledReplicas = active.filter { pod in
            templateLabels.allSatisfy { pod.metadata.labels?[$0.key] == $0.value }
        }.count
        status.readyReplicas = active.filter(\.isReady).count
        status.availableReplicas = active.filter { $0.isAvailable(minReadySeconds: minReady, now: now) }.count
        status.terminatingReplicas = owned.filter(\.isTerminating).count
        status.observedGeneration = workload.metadata.generation ?? 0
        let previous = workload.replicaStatus
        status.failure = failure
        if let failure {
            status.failureSince = previous.failure == failure ? previous.failureSince : Time(now)
        }
        if status != previous {
            var updated = workload
            updated.replicaStatus = status
            let resource = client.resource(Workload.self, namespace: workload.metadata.namespace)
            do {
                _ = try await resource.updateStatus(updated)
            } catch let error as APIStatusError where error.isNotFound {
                return
            }
        }
        // Pods that are ready but not yet available become available later: look again then.
        if minReady > 0, status.readyReplicas > status.availableReplicas {
            loop.enqueue(ObjectKey.of(workload), after: .seconds(minReady))
        }
    }
}
