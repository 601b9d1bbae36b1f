import Foundation
import KubeClient
import KubeModel

/// Runs StatefulSets: pods with stable ordinal names and their own claims, created in order and
/// each Running and Ready before the next (OrderedReady) or all at once (Parallel), removed from
/// the highest ordinal down, rolled to a new template from the highest ordinal down to the
/// partition (RollingUpdate) or only as they are deleted (OnDelete). Every template is kept as a
/// ControllerRevision; pods carry the name of theirs in `controller-revision-hash`, and status
/// reports the current and update revisions and the pods at each, as `kubectl rollout status`
/// reads them.
public final class StatefulSetController: Controller {
    public let name = "statefulset"
    let loop: ReconcileLoop
    let sets: Informer<AppsV1.StatefulSet>
    let pods: Informer<CoreV1.Pod>
    let claims: Informer<CoreV1.PersistentVolumeClaim>
    let history: RevisionHistory
    let context: ControllerContext

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context)
        sets = context.informers.informer(AppsV1.StatefulSet.self)
        pods = context.informers.informer(CoreV1.Pod.self)
        claims = context.informers.informer(CoreV1.PersistentVolumeClaim.self)
        history = RevisionHistory(context: context)
        self.context = context

        let loop = self.loop
        let owners = OwnerResolver(owners: sets) { LabelSelector($0.spec.selector) }
        sets.addEventHandler(InformerEventHandler(onChange: { loop.enqueue($0) }))
        pods.addEventHandler(owners.handler(enqueue: loop.enqueue))
    }

    public func run() async throws {
        await loop.run { [self] key in try await sync(key) }
    }

    // MARK: - Sync

    func sync(_ key: String) async throws {
        guard let set = sets.store.get(key) else { return }
        let namespace = set.metadata.namespace ?? "default"
        let selector = LabelSelector(set.spec.selector)
        // A selector that does not parse selects nothing (validation keeps it from happening).
        if selector.matchesNothing { return }
        let revisions = try await history.history(of: set, selector: selector)
        let podClient = context.client.resource(CoreV1.Pod.self, namespace: namespace)
        let members = try await ControllerRefManager(owner: set, selector: selector, client: podClient) {
            StatefulSetIdentity.isMember($0, of: set)
        }.claim(pods.store.list(namespace: namespace))

        var collisionCount = set.status.collisionCount ?? 0
        let snapshot = RevisionHistory.Snapshot(
            data: ControllerHistory.templatePatch(set.spec.template), labels: set.spec.template.metadata.labels ?? [:],
            hashLabel: ControllerHistory.hashLabel)
        let update = try await history.revision(for: set, snapshot, history: revisions, collisionCount: &collisionCount)
        let current = revisions.first { $0.metadata.name == set.status.currentRevision } ?? update

        let claimStore = claims.store
        let plan = StatefulSetPlan(StatefulSetPlan.Input(
            set: set, pods: members, currentRevision: current, updateRevision: update, collisionCount: collisionCount,
            claim: { claimStore.get(namespace: namespace, name: $0) }, now: context.clock.now()))
        let failure = await execute(plan, set: set)

        var status = plan.status
        Self.completeRollingUpdate(set, &status)
        try await writeStatus(status, of: set)

        let live = Set([current.metadata.name, update.metadata.name].compactMap { $0 } + members.compactMap(\.controllerRevision))
        try await history.truncate(revisions, limit: set.spec.revisionHistoryLimit ?? 10) { live.contains($0.metadata.name ?? "") }
        if let failure { throw failure }

        // Ready pods become available after minReadySeconds: look again then.
        let minReady = set.spec.minReadySeconds ?? 0
        if minReady > 0, (status.readyReplicas ?? 0) != (status.availableReplicas ?? 0) {
            loop.enqueue(key, after: .seconds(minReady))
        }
    }

    /// Once every replica is at the update revision and ready, the update revision becomes the
    /// current one (upstream's completeRollingUpdate).
    static func completeRollingUpdate(_ set: AppsV1.StatefulSet, _ status: inout AppsV1.StatefulSetStatus) {
        guard StatefulSetPlan.rollingUpdate(set) != nil, (status.updatedReplicas ?? 0) == status.replicas,
              (status.readyReplicas ?? 0) == status.replicas else { return }
        status.currentReplicas = status.updatedReplicas
        status.currentRevision = status.updateRevision
    }

    /// Runs the plan's phases in order: one action after another for OrderedReady, each phase at
    /// once (in slow-start batches) for Parallel. Returns the first failure; nothing after it runs.
    func execute(_ plan: StatefulSetPlan, set: AppsV1.StatefulSet) async -> (any Error)? {
        for phase in plan.phases where !phase.isEmpty {
            if plan.monotonic {
                for action in phase {
                    do { try await perform(action, set: set) } catch { return error }
                }
            } else {
                let outcome = await SlowStart.run(phase.count) { index in try await self.perform(phase[index], set: set) }
                if let error = outcome.errors.first { return error }
            }
        }
        return nil
    }

    func perform(_ action: StatefulSetPlan.Action, set: AppsV1.StatefulSet) async throws {
        switch action {
        case .create(let pod):
            try await createClaims(of: pod, set: set)
            let created = try await createPod(pod, set: set)
            try await retainClaims(of: created, set: set)
        case .createMissingClaims(let pod):
            try await createClaims(of: pod, set: set)
        case .repair(let pod):
            try await createClaims(of: pod, set: set)
            try await retainClaims(of: pod, set: set)
            try await repairIdentity(pod, set: set)
        case .retainClaims(let pod):
            try await retainClaims(of: pod, set: set)
        case .delete(let pod, _):
            try await deletePod(pod, set: set)
        }
    }

    // MARK: - Pods and claims

    /// Runs one write about a member and records the event upstream records for it
    /// (`create Pod web-0 in StatefulSet web successful`…). A pod already gone needs no delete or
    /// update; a name already taken means the cache is behind an earlier creation, and the pod's
    /// event brings the set back, so neither is reported.
    func recordingPodEvent(_ verb: String, _ pod: CoreV1.Pod, set: AppsV1.StatefulSet,
                           _ write: () async throws -> Void) async throws {
        let subject = "\(verb) Pod \(pod.metadata.name ?? "") in StatefulSet \(set.metadata.name ?? "")"
        let reason = verb.prefix(1).uppercased() + verb.dropFirst()
        do {
            try await write()
            context.events.record(set, type: .normal, reason: "Successful\(reason)", message: "\(subject) successful")
        } catch let error as APIStatusError where (error.isNotFound && verb != "create") || error.isAlreadyExists {
            if error.isAlreadyExists { throw error }
        } catch {
            context.events.record(set, type: .warning, reason: "Failed\(reason)", message: "\(subject) failed error: \(error)")
            throw error
        }
    }

    func createPod(_ pod: CoreV1.Pod, set: AppsV1.StatefulSet) async throws -> CoreV1.Pod {
        var created = pod
        try await recordingPodEvent("create", pod, set: set) {
            created = try await context.client.resource(CoreV1.Pod.self, namespace: pod.metadata.namespace).create(pod)
        }
        return created
    }

    func deletePod(_ pod: CoreV1.Pod, set: AppsV1.StatefulSet) async throws {
        try await recordingPodEvent("delete", pod, set: set) {
            try await context.client.resource(CoreV1.Pod.self, namespace: pod.metadata.namespace).delete(pod.metadata.name ?? "")
        }
    }

    /// Puts back the identity labels of a member (name and namespace cannot change).
    func repairIdentity(_ pod: CoreV1.Pod, set: AppsV1.StatefulSet) async throws {
        var fixed = pod
        StatefulSetIdentity.applyIdentity(set, to: &fixed)
        guard fixed.metadata.labels != pod.metadata.labels else { return }
        let labels = JSONValue.object(JSONObject(uniqueKeysWithValues: (fixed.metadata.labels ?? [:]).map { ($0.key, .string($0.value)) }))
        try await recordingPodEvent("update", pod, set: set) {
            _ = try await context.client.resource(CoreV1.Pod.self, namespace: pod.metadata.namespace)
                .patch(pod.metadata.name ?? "", type: .merge, body: ["metadata": ["labels": labels]])
        }
    }

    /// Creates the member's claims that do not exist yet, owned as the retention policy says.
    /// A claim still being deleted blocks the member until it is gone.
    func createClaims(of pod: CoreV1.Pod, set: AppsV1.StatefulSet) async throws {
        guard let ordinal = StatefulSetIdentity.ordinal(of: pod) else { return }
        let namespace = set.metadata.namespace ?? "default"
        let resource = context.client.resource(CoreV1.PersistentVolumeClaim.self, namespace: namespace)
        var failures: [String] = []
        for var claim in StatefulSetIdentity.claims(set, ordinal: ordinal) {
            let claimName = claim.metadata.name ?? ""
            if let existing = claims.store.get(namespace: namespace, name: claimName) {
                if existing.isBeingDeleted { failures.append("pvc \(claimName) is being deleted") }
                continue
            }
            claim.metadata.ownerReferences = StatefulSetClaimRetention.ownerReferences(of: claim, set: set, pod: pod)
            let description = "Claim \(claimName) Pod \(pod.metadata.name ?? "") in StatefulSet \(set.metadata.name ?? "")"
            do {
                _ = try await resource.create(claim)
                context.events.record(set, type: .normal, reason: "SuccessfulCreate", message: "create \(description) success")
            } catch let error as APIStatusError where error.isAlreadyExists {
                continue
            } catch {
                context.events.record(set, type: .warning, reason: "FailedCreate", message: "create \(description) failed error: \(error)")
                failures.append("failed to create PVC \(claimName): \(error)")
            }
        }
        if !failures.isEmpty { throw StatefulSetError(message: failures.joined(separator: ", ")) }
    }

    /// Gives the member's existing claims the owner references the retention policy asks for.
    func retainClaims(of pod: CoreV1.Pod, set: AppsV1.StatefulSet) async throws {
        guard let ordinal = StatefulSetIdentity.ordinal(of: pod) else { return }
        let namespace = set.metadata.namespace ?? "default"
        let resource = context.client.resource(CoreV1.PersistentVolumeClaim.self, namespace: namespace)
        for template in StatefulSetIdentity.claims(set, ordinal: ordinal) {
            guard var claim = claims.store.get(namespace: namespace, name: template.metadata.name ?? ""),
                  let references = StatefulSetClaimRetention.ownerReferences(of: claim, set: set, pod: pod) else { continue }
            claim.metadata.ownerReferences = references.isEmpty ? nil : references
            do {
                _ = try await resource.update(claim)
            } catch let error as APIStatusError where error.isNotFound {
                continue
            }
        }
    }

    // MARK: - Status

    func writeStatus(_ status: AppsV1.StatefulSetStatus, of set: AppsV1.StatefulSet) async throws {
        var status = status
        // Counters upstream omits when zero.
        for field in [\AppsV1.StatefulSetStatus.readyReplicas, \.currentReplicas, \.updatedReplicas] where status[keyPath: field] == 0 {
            status[keyPath: field] = nil
        }
        guard status != set.status else { return }
        try await context.client.resource(AppsV1.StatefulSet.self, namespace: set.metadata.namespace)
            .writeStatus(of: set) { $0.status = status }
    }
}

struct StatefulSetError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
