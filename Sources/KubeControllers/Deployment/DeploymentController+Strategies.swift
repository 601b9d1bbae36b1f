import Foundation
import KubeClient
import KubeModel

/// The two rollout strategies and scaling without a rollout (upstream's rolling.go,
/// recreate.go and sync.go).
extension DeploymentController {
    /// RollingUpdate: grow the new ReplicaSet within maxSurge, shrink old ones within
    /// maxUnavailable (unhealthy pods first), prune history once complete.
    func rollOut(_ deployment: inout AppsV1.Deployment, owned: inout [AppsV1.ReplicaSet]) async throws {
        let (maybeNew, initialOld) = try await newReplicaSet(&deployment, owned: owned, create: true)
        guard var new = maybeNew else { return }
        var old = initialOld
        let desired = deployment.desiredReplicas
        let current = new.spec.replicas ?? 0
        if current > desired {
            new = try await scale(new, to: desired, for: deployment)
        } else if current < desired {
            let target = RolloutMath.newReplicaSetReplicas(deployment, all: old + [new], new: new)
            if target != current {
                new = try await scale(new, to: target, for: deployment)
                try await syncRolloutStatus(deployment, all: old + [new], new: new)
                return
            }
        }
        if try await scaleDownOld(&old, new: new, deployment: deployment) {
            try await syncRolloutStatus(deployment, all: old + [new], new: new)
            return
        }
        let all = old + [new]
        if isComplete(deployment, status: computeStatus(deployment, all: all, new: new)) {
            await pruneHistory(deployment, old: old)
        }
        try await syncRolloutStatus(deployment, all: all, new: new)
    }

    /// Scales old ReplicaSets down as far as maxUnavailable allows; returns whether it did.
    func scaleDownOld(_ old: inout [AppsV1.ReplicaSet], new: AppsV1.ReplicaSet, deployment: AppsV1.Deployment) async throws -> Bool {
        let oldCount = old.reduce(0) { $0 + ($1.spec.replicas ?? 0) }
        guard oldCount > 0 else { return false }
        let all = old + [new]
        let total = all.reduce(0) { $0 + ($1.spec.replicas ?? 0) }
        let minAvailable = deployment.desiredReplicas - RolloutMath.fenceposts(deployment).unavailable
        let newUnavailable = (new.spec.replicas ?? 0) - (new.status.availableReplicas ?? 0)
        let maxScaledDown = total - minAvailable - newUnavailable
        guard maxScaledDown > 0 else { return false }

        // First unhealthy replicas of old ReplicaSets: removing them costs no availability.
        var cleaned = 0
        for index in old.indices where cleaned < maxScaledDown {
            let replicas = old[index].spec.replicas ?? 0
            let unhealthy = replicas - (old[index].status.availableReplicas ?? 0)
            guard replicas > 0, unhealthy > 0 else { continue }
            let down = min(maxScaledDown - cleaned, unhealthy)
            old[index] = try await scale(old[index], to: replicas - down, for: deployment)
            cleaned += down
        }

        // Then available ones, oldest first, while enough stay available.
        let available = (old + [new]).reduce(0) { $0 + ($1.status.availableReplicas ?? 0) }
        var budget = max(0, available - minAvailable)
        var scaled = 0
        for index in old.indices where budget > 0 {
            let replicas = old[index].spec.replicas ?? 0
            guard replicas > 0 else { continue }
            let down = min(replicas, budget)
            old[index] = try await scale(old[index], to: replicas - down, for: deployment)
            budget -= down
            scaled += down
        }
        return cleaned + scaled > 0
    }

    /// Recreate: every old pod gone before the new ReplicaSet is scaled up.
    func recreate(_ deployment: inout AppsV1.Deployment, owned: inout [AppsV1.ReplicaSet]) async throws {
        let (existingNew, initialOld) = try await newReplicaSet(&deployment, owned: owned, create: false)
        var old = initialOld
        var scaledDown = false
        for index in old.indices where (old[index].spec.replicas ?? 0) > 0 {
            old[index] = try await scale(old[index], to: 0, for: deployment)
            scaledDown = true
        }
        if scaledDown || oldPodsRemain(old) {
            try await syncRolloutStatus(deployment, all: old + (existingNew.map { [$0] } ?? []), new: existingNew)
            return
        }
        let (maybeNew, _) = try await newReplicaSet(&deployment, owned: old + (existingNew.map { [$0] } ?? []), create: true)
        guard var new = maybeNew else { return }
        if (new.spec.replicas ?? 0) != deployment.desiredReplicas {
            new = try await scale(new, to: deployment.desiredReplicas, for: deployment)
        }
        let all = old + [new]
        if isComplete(deployment, status: computeStatus(deployment, all: all, new: new)) {
            await pruneHistory(deployment, old: old)
        }
        try await syncRolloutStatus(deployment, all: all, new: new)
    }

    /// Pods of old ReplicaSets that have not finished yet (terminating ones included).
    func oldPodsRemain(_ old: [AppsV1.ReplicaSet]) -> Bool {
        let uids = Set(old.compactMap(\.metadata.uid))
        guard let namespace = old.first?.metadata.namespace else { return false }
        return pods.store.list(namespace: namespace).contains { pod in
            guard let owner = pod.controllerReference?.uid, uids.contains(owner) else { return false }
            return pod.status.phase != "Succeeded" && pod.status.phase != "Failed"
        }
    }

    /// A paused Deployment or a scaling event: resize the ReplicaSets (proportionally while a
    /// rollout is under way) without rolling out.
    func scaleOnly(_ deployment: inout AppsV1.Deployment, owned: inout [AppsV1.ReplicaSet]) async throws {
        let (new, initialOld) = try await newReplicaSet(&deployment, owned: owned, create: false)
        var old = initialOld
        var all = old + (new.map { [$0] } ?? [])
        let active = all.filter { ($0.spec.replicas ?? 0) > 0 }
        if active.count <= 1 {
            // One ReplicaSet carries every replica: size it (the newest when none is active).
            if let target = active.first ?? new ?? old.max(by: Self.olderFirst),
               let index = all.firstIndex(where: { $0.metadata.uid == target.metadata.uid }) {
                all[index] = try await scale(target, to: deployment.desiredReplicas, for: deployment)
            }
        } else {
            try await scaleProportionally(&all, deployment: deployment)
        }
        old = all.filter { $0.metadata.uid != new?.metadata.uid }
        let newNow = all.first { $0.metadata.uid == new?.metadata.uid }
        if deployment.isPaused { await pruneHistory(deployment, old: old) }
        try await syncStatusOnly(deployment, all: all, new: newNow)
    }

    /// Spreads a change of the allowed total (replicas + maxSurge) over the active ReplicaSets in
    /// proportion to their size, the remainder going to the largest (upstream's scale()).
    func scaleProportionally(_ all: inout [AppsV1.ReplicaSet], deployment: AppsV1.Deployment) async throws {
        let allowed = deployment.desiredReplicas + RolloutMath.fenceposts(deployment).surge
        let current = all.reduce(0) { $0 + ($1.spec.replicas ?? 0) }
        let toAdd = allowed - current
        guard toAdd != 0, current > 0 else { return }
        // Largest first; on scale-up newer first among equals, on scale-down older first.
        let order = all.indices.filter { (all[$0].spec.replicas ?? 0) > 0 }.sorted { a, b in
            let (ra, rb) = (all[a].spec.replicas ?? 0, all[b].spec.replicas ?? 0)
            if ra != rb { return ra > rb }
            return toAdd > 0 ? !Self.olderFirst(all[a], all[b]) : Self.olderFirst(all[a], all[b])
        }
        var targets: [Int: Int] = [:]
        var added = 0
        for index in order {
            let replicas = all[index].spec.replicas ?? 0
            var share = replicas * toAdd / current
            if toAdd < 0 { share = max(share, -replicas) }
            targets[index] = replicas + share
            added += share
        }
        if let first = order.first {
            targets[first] = max(0, targets[first]! + toAdd - added)
        }
        for (index, target) in targets where target != (all[index].spec.replicas ?? 0) {
            all[index] = try await scale(all[index], to: target, for: deployment)
        }
    }
}
