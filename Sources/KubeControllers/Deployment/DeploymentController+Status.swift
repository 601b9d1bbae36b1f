import Foundation
import KubeClient
import KubeModel

/// Deployment status and its Available / Progressing / ReplicaFailure conditions.
extension DeploymentController {
    func computeStatus(_ deployment: AppsV1.Deployment, all: [AppsV1.ReplicaSet], new: AppsV1.ReplicaSet?) -> AppsV1.DeploymentStatus {
        var status = deployment.status
        let available = all.reduce(0) { $0 + ($1.status.availableReplicas ?? 0) }
        let total = all.reduce(0) { $0 + $1.status.replicas }
        status.observedGeneration = deployment.metadata.generation
        status.replicas = total.nonZero
        status.updatedReplicas = (new?.status.replicas ?? 0).nonZero
        status.readyReplicas = all.reduce(0) { $0 + ($1.status.readyReplicas ?? 0) }.nonZero
        status.availableReplicas = available.nonZero
        status.unavailableReplicas = max(0, deployment.desiredReplicas - available).nonZero
        let terminating = all.reduce(0) { $0 + ($1.status.terminatingReplicas ?? 0) }
        status.terminatingReplicas = terminating.nonZero

        let minAvailable = deployment.desiredReplicas - RolloutMath.fenceposts(deployment).unavailable
        if available >= minAvailable {
            setCondition(&status, type: "Available", status: "True", reason: "MinimumReplicasAvailable",
                         message: "Deployment has minimum availability.")
        } else {
            setCondition(&status, type: "Available", status: "False", reason: "MinimumReplicasUnavailable",
                         message: "Deployment does not have minimum availability.")
        }
        // A ReplicaSet that cannot create pods: its failure becomes the Deployment's.
        if let failure = all.lazy.compactMap({ $0.status.conditions?.first { $0.type == "ReplicaFailure" && $0.status == "True" } }).first {
            setCondition(&status, type: "ReplicaFailure", status: "True", reason: failure.reason ?? "FailedCreate",
                         message: failure.message ?? "")
        } else {
            status.conditions?.removeAll { $0.type == "ReplicaFailure" }
        }
        return status
    }

    /// Every replica updated and available, and no old one left.
    func isComplete(_ deployment: AppsV1.Deployment, status: AppsV1.DeploymentStatus) -> Bool {
        let desired = deployment.desiredReplicas
        return (status.updatedReplicas ?? 0) == desired && (status.replicas ?? 0) == desired
            && (status.availableReplicas ?? 0) == desired && (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0)
    }

    /// Status with the Progressing condition: complete, progressing, or past its deadline.
    func syncRolloutStatus(_ deployment: AppsV1.Deployment, all: [AppsV1.ReplicaSet], new: AppsV1.ReplicaSet?) async throws {
        var status = computeStatus(deployment, all: all, new: new)
        let now = clock.now()
        if let deadline = deployment.spec.progressDeadlineSeconds, !deployment.isPaused {
            let name = new?.metadata.name ?? ""
            let current = deployment.condition("Progressing")
            if isComplete(deployment, status: status) {
                setCondition(&status, type: "Progressing", status: "True", reason: "NewReplicaSetAvailable",
                             message: "ReplicaSet \"\(name)\" has successfully progressed.", now: now)
            } else if madeProgress(from: deployment.status, to: status) {
                setCondition(&status, type: "Progressing", status: "True", reason: "ReplicaSetUpdated",
                             message: "ReplicaSet \"\(name)\" is progressing.", now: now, refreshUpdateTime: true)
            } else if let current, current.reason != "NewReplicaSetAvailable" {
                let since = current.lastUpdateTime?.date ?? now
                let expiry = since.addingTimeInterval(Double(deadline))
                if current.reason == "ProgressDeadlineExceeded" || now >= expiry {
                    setCondition(&status, type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded",
                                 message: "ReplicaSet \"\(name)\" has timed out progressing.", now: now)
                } else {
                    // Look again when the deadline passes.
                    loop.enqueue(ObjectKey.of(deployment), after: .seconds(max(1, expiry.timeIntervalSince(now))))
                }
            }
        } else if deployment.spec.progressDeadlineSeconds == nil {
            status.conditions?.removeAll { $0.type == "Progressing" }
        }
        try await write(status, of: deployment)
    }

    /// Status without touching the Progressing condition (paused, scaling, being deleted).
    func syncStatusOnly(_ deployment: AppsV1.Deployment, all: [AppsV1.ReplicaSet], new: AppsV1.ReplicaSet?) async throws {
        try await write(computeStatus(deployment, all: all, new: new), of: deployment)
    }

    func syncStatusOnly(_ deployment: AppsV1.Deployment, owned: [AppsV1.ReplicaSet]) async throws {
        let (new, old) = split(owned, for: deployment)
        try await syncStatusOnly(deployment, all: old + (new.map { [$0] } ?? []), new: new)
    }

    func madeProgress(from old: AppsV1.DeploymentStatus, to new: AppsV1.DeploymentStatus) -> Bool {
        (new.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0)
            || (new.readyReplicas ?? 0) > (old.readyReplicas ?? 0)
            || (new.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
            || (new.replicas ?? 0) < (old.replicas ?? 0)
    }

    /// Pausing and resuming show in Progressing (reasons DeploymentPaused / DeploymentResumed).
    func recordPauseCondition(_ deployment: AppsV1.Deployment) async throws -> AppsV1.Deployment {
        guard deployment.spec.progressDeadlineSeconds != nil else { return deployment }
        let reason = deployment.condition("Progressing")?.reason
        var updated = deployment
        if deployment.isPaused, reason != "DeploymentPaused" {
            try await setProgressing(&updated, status: "Unknown", reason: "DeploymentPaused", message: "Deployment is paused")
        } else if !deployment.isPaused, reason == "DeploymentPaused" {
            try await setProgressing(&updated, status: "Unknown", reason: "DeploymentResumed", message: "Deployment is resumed")
        }
        return updated
    }

    func setProgressing(_ deployment: inout AppsV1.Deployment, status: String, reason: String, message: String) async throws {
        var newStatus = deployment.status
        setCondition(&newStatus, type: "Progressing", status: status, reason: reason, message: message,
                     now: clock.now(), refreshUpdateTime: true)
        deployment = try await write(newStatus, of: deployment)
    }

    @discardableResult
    func write(_ status: AppsV1.DeploymentStatus, of deployment: AppsV1.Deployment) async throws -> AppsV1.Deployment {
        guard status != deployment.status else { return deployment }
        var updated = deployment
        updated.status = status
        return try await client.resource(AppsV1.Deployment.self, namespace: deployment.metadata.namespace).updateStatus(updated)
    }

    /// Sets a condition; the transition time changes only with the status, the update time
    /// whenever the reason changes or `refreshUpdateTime` asks for it.
    func setCondition(_ status: inout AppsV1.DeploymentStatus, type: String, status value: String, reason: String,
                      message: String, now: Date? = nil, refreshUpdateTime: Bool = false) {
        let time = Time(Date(timeIntervalSince1970: (now ?? clock.now()).timeIntervalSince1970.rounded(.down)))
        var conditions = status.conditions ?? []
        if let index = conditions.firstIndex(where: { $0.type == type }) {
            var condition = conditions[index]
            if condition.status == value, condition.reason == reason, condition.message == message, !refreshUpdateTime { return }
            if condition.status != value { condition.lastTransitionTime = time }
            if condition.reason != reason || refreshUpdateTime { condition.lastUpdateTime = time }
            condition.status = value
            condition.reason = reason
            condition.message = message
            conditions[index] = condition
        } else {
            conditions.append(AppsV1.DeploymentCondition(lastTransitionTime: time, lastUpdateTime: time, message: message,
                                                         reason: reason, type: type, status: value))
        }
        status.conditions = conditions
    }
}
