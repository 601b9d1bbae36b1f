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
        let owners = OwnerResolver(owners: workloads) { $0.podSelector }
        pods.addEventHandler(owners.handler(tracking: expectations, enqueue: loop.enqueue))
    }

    public func run() async throws {
        await loop.run { [self] key in try await sync(key) }
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
        let manager = ControllerRefManager(owner: workload, selector: workload.podSelector,
                                           client: client.resource(CoreV1.Pod.self, namespace: namespace))
        return try await manager.claim(pods.store.list(namespace: namespace))
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
        let pod = CoreV1.Pod.from(workload.podTemplate, controlledBy: workload)
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
