import Foundation
import KubeModel

/// What one sync of a StatefulSet does, computed without side effects from the set, its pods,
/// its two revisions and the claims in the cache (upstream's updateStatefulSet). The actions come
/// in phases: the replicas (replace finished pods, create missing ones with their claims, repair
/// identity), the claims of condemned pods, the condemned pods themselves (scale down, highest
/// ordinal first), then the rolling update (highest ordinal first, down to the partition, at most
/// maxUnavailable at once). With OrderedReady the plan stops at the first pod that is not yet
/// Running and Ready, so pods come and go one at a time in ordinal order; with Parallel every
/// phase's actions run at once.
struct StatefulSetPlan {
    enum Action: Equatable {
        /// Create the pod, its claims first.
        case create(CoreV1.Pod)
        /// Create the claims of a pending pod that are missing.
        case createMissingClaims(CoreV1.Pod)
        /// Repair a member: its identity labels, claims and their owner references.
        case repair(CoreV1.Pod)
        /// Set the owner references of a condemned pod's claims before it goes.
        case retainClaims(CoreV1.Pod)
        case delete(CoreV1.Pod, Reason)

        enum Reason: Equatable { case finished, scaleDown, update }
    }

    struct Input {
        var set: AppsV1.StatefulSet
        /// The set's members (pods it controls whose name carries an ordinal).
        var pods: [CoreV1.Pod]
        var currentRevision: AppsV1.ControllerRevision
        var updateRevision: AppsV1.ControllerRevision
        var collisionCount: Int
        /// The claim of that name in the set's namespace, from the cache.
        var claim: (String) -> CoreV1.PersistentVolumeClaim?
        var now: Date
    }

    var status: AppsV1.StatefulSetStatus
    var phases: [[Action]] = []
    /// OrderedReady: actions run one after the other and stop at the first failure.
    var monotonic: Bool

    var actions: [Action] { phases.flatMap { $0 } }
}

extension StatefulSetPlan {
    init(_ input: Input) {
        let set = input.set
        let minReady = set.spec.minReadySeconds ?? 0
        let start = StatefulSetIdentity.startOrdinal(set)
        let count = StatefulSetIdentity.replicas(set)
        monotonic = set.spec.podManagementPolicy != "Parallel"

        var slots = [CoreV1.Pod?](repeating: nil, count: max(0, count))
        var condemned: [CoreV1.Pod] = []
        for pod in input.pods {
            guard let ordinal = StatefulSetIdentity.ordinal(of: pod) else { continue }
            if StatefulSetIdentity.inRange(ordinal, of: set) {
                slots[ordinal - start] = pod
            } else {
                condemned.append(pod)
            }
        }
        let replicas = slots.enumerated().map { index, pod in
            pod ?? Self.newVersionedPod(input, ordinal: start + index)
        }
        condemned.sort { (StatefulSetIdentity.ordinal(of: $0) ?? 0) > (StatefulSetIdentity.ordinal(of: $1) ?? 0) }

        status = Self.status(input, pods: replicas + condemned)
        guard !set.isBeingDeleted else { return }

        let unavailable: (CoreV1.Pod) -> Bool = { $0.isUnavailable(minReadySeconds: minReady, now: input.now) }
        let firstUnavailable = replicas.first(where: unavailable) ?? condemned.reversed().first(where: unavailable)

        // Phase 1: every replica exists, is healthy and has its identity.
        var replicaActions: [Action] = []
        for pod in replicas {
            let (actions, blocks) = processReplica(pod, input)
            replicaActions += actions
            if blocks, monotonic {
                phases = [replicaActions]
                return
            }
        }
        phases.append(replicaActions)

        // Phase 2: claims of condemned pods carry the scale-down ownership before the pods go.
        phases.append(condemned.filter { !Self.claimsMatchRetention($0, input) }.map { .retainClaims($0) })

        // Phase 3: scale down, highest ordinal first.
        var condemnedActions: [Action] = []
        for pod in condemned {
            if pod.isTerminating {
                if monotonic { phases.append(condemnedActions); return }
                continue
            }
            if monotonic, unavailable(pod), pod.metadata.name != firstUnavailable?.metadata.name {
                phases.append(condemnedActions)
                return
            }
            condemnedActions.append(.delete(pod, .scaleDown))
            if monotonic { phases.append(condemnedActions); return }
        }
        phases.append(condemnedActions)

        // Phase 4: the rolling update.
        guard let rollingUpdate = Self.rollingUpdate(set) else { return }
        let maxUnavailable = max(1, (rollingUpdate.maxUnavailable ?? .int(1)).scaledValue(total: count, roundUp: true) ?? 1)
        let unavailableCount = replicas.filter(unavailable).count
        guard unavailableCount <= maxUnavailable else { return }
        var budget = maxUnavailable - unavailableCount
        var updates: [Action] = []
        let partition = max(0, rollingUpdate.partition ?? 0)
        for pod in replicas.dropFirst(partition).reversed() where budget > 0 {
            guard pod.isCreated, !pod.isTerminating, pod.controllerRevision != input.updateRevision.metadata.name else { continue }
            updates.append(.delete(pod, .update))
            status.currentReplicas = (status.currentReplicas ?? 0) - 1
            budget -= 1
        }
        phases.append(updates)
    }

    /// The actions for one replica and whether an OrderedReady set must wait on it.
    private func processReplica(_ pod: CoreV1.Pod, _ input: Input) -> ([Action], blocks: Bool) {
        let set = input.set
        if pod.hasFinished {
            // Replaced on a later sync, once the finished pod is gone.
            return (pod.isTerminating ? [] : [.delete(pod, .finished)], true)
        }
        if !pod.isCreated {
            let ordinal = StatefulSetIdentity.ordinal(of: pod) ?? 0
            let stale = StatefulSetIdentity.claims(set, ordinal: ordinal).contains { claim in
                input.claim(claim.metadata.name ?? "").map { StatefulSetClaimRetention.isStale($0, for: pod, set: set) } ?? false
            }
            if stale { return ([], true) }
            return ([.create(pod)], monotonic)
        }
        var actions: [Action] = []
        if pod.status.phase == "Pending", Self.missingClaims(pod, input) {
            actions.append(.createMissingClaims(pod))
        }
        let minReady = set.spec.minReadySeconds ?? 0
        if monotonic, pod.isTerminating || !pod.isRunningAndAvailable(minReadySeconds: minReady, now: input.now) {
            return (actions, true)
        }
        if !StatefulSetIdentity.identityMatches(set, pod) || !StatefulSetIdentity.storageMatches(set, pod)
            || !Self.claimsMatchRetention(pod, input) {
            actions.append(.repair(pod))
        }
        return (actions, false)
    }

    /// A replica that does not exist yet, at the current revision below the partition and at the
    /// update revision from it on (upstream's newVersionedStatefulSetPod).
    static func newVersionedPod(_ input: Input, ordinal: Int) -> CoreV1.Pod {
        let set = input.set
        let start = StatefulSetIdentity.startOrdinal(set)
        let strategy = set.spec.updateStrategy
        let atCurrent: Bool
        if let rollingUpdate = strategy?.rollingUpdate {
            atCurrent = ordinal < start + (rollingUpdate.partition ?? 0)
        } else if (strategy?.type ?? "RollingUpdate") == "RollingUpdate" {
            atCurrent = ordinal < start + (set.status.currentReplicas ?? 0)
        } else {
            atCurrent = false
        }
        let revision = atCurrent ? input.currentRevision : input.updateRevision
        let template = ControllerHistory.template(of: revision) ?? set.spec.template
        return StatefulSetIdentity.newPod(set, template: template, ordinal: ordinal, revision: revision.metadata.name ?? "")
    }

    /// The rolling update settings, nil for OnDelete.
    static func rollingUpdate(_ set: AppsV1.StatefulSet) -> AppsV1.RollingUpdateStatefulSetStrategy? {
        let strategy = set.spec.updateStrategy
        guard (strategy?.type ?? "RollingUpdate") == "RollingUpdate" else { return nil }
        return strategy?.rollingUpdate ?? AppsV1.RollingUpdateStatefulSetStrategy(partition: 0)
    }

    static func missingClaims(_ pod: CoreV1.Pod, _ input: Input) -> Bool {
        guard let ordinal = StatefulSetIdentity.ordinal(of: pod) else { return false }
        return StatefulSetIdentity.claims(input.set, ordinal: ordinal).contains { input.claim($0.metadata.name ?? "") == nil }
    }

    /// Every existing claim of the pod has the owner references the retention policy asks for.
    static func claimsMatchRetention(_ pod: CoreV1.Pod, _ input: Input) -> Bool {
        guard let ordinal = StatefulSetIdentity.ordinal(of: pod) else { return true }
        return StatefulSetIdentity.claims(input.set, ordinal: ordinal).allSatisfy { template in
            guard let claim = input.claim(template.metadata.name ?? "") else { return true }
            return StatefulSetClaimRetention.ownerReferences(of: claim, set: input.set, pod: pod) == nil
        }
    }

    /// The counts of the status (upstream's computeReplicaStatus): created pods, Running and
    /// Ready ones, available ones, and the live ones at each revision.
    static func status(_ input: Input, pods: [CoreV1.Pod]) -> AppsV1.StatefulSetStatus {
        let minReady = input.set.spec.minReadySeconds ?? 0
        var replicas = 0, ready = 0, available = 0, current = 0, updated = 0
        for pod in pods {
            if pod.isCreated { replicas += 1 }
            if pod.isRunningAndReady {
                ready += 1
                if pod.isRunningAndAvailable(minReadySeconds: minReady, now: input.now) { available += 1 }
            }
            if pod.isCreated, !pod.isTerminating {
                if pod.controllerRevision == input.currentRevision.metadata.name { current += 1 }
                if pod.controllerRevision == input.updateRevision.metadata.name { updated += 1 }
            }
        }
        var status = AppsV1.StatefulSetStatus(replicas: replicas)
        status.readyReplicas = ready
        status.availableReplicas = available
        status.currentReplicas = current
        status.updatedReplicas = updated
        status.currentRevision = input.currentRevision.metadata.name
        status.updateRevision = input.updateRevision.metadata.name
        status.collisionCount = input.collisionCount
        status.observedGeneration = input.set.metadata.generation
        status.conditions = input.set.status.conditions
        return status
    }
}
