import Foundation
import KubeClient
import KubeModel

/// Finding, creating, scaling and pruning a Deployment's ReplicaSets.
extension DeploymentController {
    /// The ReplicaSet whose template is the Deployment's (the oldest, if several), and the rest.
    func split(_ owned: [AppsV1.ReplicaSet], for deployment: AppsV1.Deployment) -> (new: AppsV1.ReplicaSet?, old: [AppsV1.ReplicaSet]) {
        let template = PodTemplateHash.withoutHash(deployment.spec.template)
        let sorted = owned.sorted(by: Self.olderFirst)
        guard let new = sorted.first(where: { PodTemplateHash.withoutHash($0.spec.template) == template }) else { return (nil, sorted) }
        return (new, sorted.filter { $0.metadata.uid != new.metadata.uid })
    }

    static func olderFirst(_ a: AppsV1.ReplicaSet, _ b: AppsV1.ReplicaSet) -> Bool {
        let aTime = a.metadata.creationTimestamp?.date ?? .distantPast
        let bTime = b.metadata.creationTimestamp?.date ?? .distantPast
        return aTime == bTime ? (a.metadata.name ?? "") < (b.metadata.name ?? "") : aTime < bTime
    }

    /// The new ReplicaSet with its revision and annotations brought up to date, created when
    /// missing and `create` is set; the Deployment's revision annotation follows it.
    func newReplicaSet(_ deployment: inout AppsV1.Deployment, owned: [AppsV1.ReplicaSet], create: Bool) async throws
        -> (new: AppsV1.ReplicaSet?, old: [AppsV1.ReplicaSet]) {
        let (existing, old) = split(owned, for: deployment)
        let nextRevision = (old.map(DeploymentAnnotations.revision).max() ?? 0) + 1
        let surge = RolloutMath.fenceposts(deployment).surge
        let resource = client.resource(AppsV1.ReplicaSet.self, namespace: deployment.metadata.namespace)
        var new: AppsV1.ReplicaSet
        if var found = existing {
            let revised = DeploymentAnnotations.setRevision(&found, to: nextRevision)
            let annotated = DeploymentAnnotations.update(&found, from: deployment, maxSurge: surge)
            if revised || annotated { found = try await resource.update(found) }
            new = found
            if deployment.condition("Progressing") == nil {
                try await setProgressing(&deployment, status: "True", reason: "FoundNewReplicaSet",
                                         message: "Found new replica set \"\(found.metadata.name ?? "")\"")
            }
        } else if create {
            new = try await createReplicaSet(&deployment, old: old, revision: nextRevision, surge: surge)
        } else {
            return (nil, old)
        }
        try await setDeploymentRevision(&deployment, String(DeploymentAnnotations.revision(of: new)))
        return (new, old)
    }

    func createReplicaSet(_ deployment: inout AppsV1.Deployment, old: [AppsV1.ReplicaSet], revision: Int, surge: Int) async throws -> AppsV1.ReplicaSet {
        let hash = PodTemplateHash.of(deployment.spec.template, collisionCount: deployment.status.collisionCount)
        var replicaSet = AppsV1.ReplicaSet()
        replicaSet.metadata.name = "\(deployment.metadata.name ?? "")-\(hash)"
        replicaSet.metadata.namespace = deployment.metadata.namespace
        replicaSet.metadata.ownerReferences = [deployment.makeControllerReference()]
        var template = deployment.spec.template
        template.metadata.labels = (template.metadata.labels ?? [:]).merging([PodTemplateHash.label: hash]) { $1 }
        replicaSet.metadata.labels = template.metadata.labels
        var selector = deployment.spec.selector
        selector.matchLabels = (selector.matchLabels ?? [:]).merging([PodTemplateHash.label: hash]) { $1 }
        replicaSet.spec = AppsV1.ReplicaSetSpec(minReadySeconds: deployment.spec.minReadySeconds, replicas: 0,
                                                selector: selector, template: template)
        DeploymentAnnotations.setRevision(&replicaSet, to: revision)
        DeploymentAnnotations.update(&replicaSet, from: deployment, maxSurge: surge)
        let replicas = RolloutMath.newReplicaSetReplicas(deployment, all: old, new: replicaSet)
        replicaSet.spec.replicas = replicas

        let resource = client.resource(AppsV1.ReplicaSet.self, namespace: deployment.metadata.namespace)
        do {
            let created = try await resource.create(replicaSet)
            if replicas > 0 { recordScaling(deployment, created, from: 0, to: replicas) }
            try await setProgressing(&deployment, status: "True", reason: "NewReplicaSetCreated",
                                     message: "Created new replica set \"\(created.metadata.name ?? "")\"")
            return created
        } catch let error as APIStatusError where error.isAlreadyExists {
            // Same name: ours with this template already (a stale cache), or a hash collision.
            let existing = try await resource.get(replicaSet.metadata.name ?? "")
            if existing.isControlled(by: deployment),
               PodTemplateHash.withoutHash(existing.spec.template) == PodTemplateHash.withoutHash(deployment.spec.template) {
                return existing
            }
            deployment.status.collisionCount = (deployment.status.collisionCount ?? 0) + 1
            deployment = try await client.resource(AppsV1.Deployment.self, namespace: deployment.metadata.namespace).updateStatus(deployment)
            throw error
        }
    }

    func setDeploymentRevision(_ deployment: inout AppsV1.Deployment, _ revision: String) async throws {
        guard deployment.metadata.annotations?[DeploymentAnnotations.revision] != revision else { return }
        var updated = deployment
        updated.metadata.annotations = (updated.metadata.annotations ?? [:]).merging([DeploymentAnnotations.revision: revision]) { $1 }
        deployment = try await client.resource(AppsV1.Deployment.self, namespace: deployment.metadata.namespace).update(updated)
    }

    /// Sets a ReplicaSet's replicas (and its replica annotations); returns the stored result.
    func scale(_ replicaSet: AppsV1.ReplicaSet, to replicas: Int, for deployment: AppsV1.Deployment) async throws -> AppsV1.ReplicaSet {
        var updated = replicaSet
        let previous = replicaSet.spec.replicas ?? 0
        updated.spec.replicas = replicas
        let annotated = DeploymentAnnotations.update(&updated, from: deployment, maxSurge: RolloutMath.fenceposts(deployment).surge)
        guard previous != replicas || annotated else { return replicaSet }
        let stored = try await client.resource(AppsV1.ReplicaSet.self, namespace: replicaSet.metadata.namespace).update(updated)
        if previous != replicas { recordScaling(deployment, stored, from: previous, to: replicas) }
        return stored
    }

    func recordScaling(_ deployment: AppsV1.Deployment, _ replicaSet: AppsV1.ReplicaSet, from: Int, to: Int) {
        let direction = to > from ? "up" : "down"
        events.record(deployment, type: .normal, reason: "ScalingReplicaSet",
                      message: "Scaled \(direction) replica set \(replicaSet.metadata.name ?? "") from \(from) to \(to)")
    }

    /// Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit (10).
    func pruneHistory(_ deployment: AppsV1.Deployment, old: [AppsV1.ReplicaSet]) async {
        let limit = deployment.spec.revisionHistoryLimit ?? 10
        let idle = old.filter {
            ($0.spec.replicas ?? 0) == 0 && $0.status.replicas == 0 && !$0.isBeingDeleted
                && ($0.status.observedGeneration ?? 0) >= ($0.metadata.generation ?? 0)
        }.sorted { DeploymentAnnotations.revision(of: $0) < DeploymentAnnotations.revision(of: $1) }
        guard idle.count > limit else { return }
        let resource = client.resource(AppsV1.ReplicaSet.self, namespace: deployment.metadata.namespace)
        for replicaSet in idle.prefix(idle.count - limit) {
            try? await resource.delete(replicaSet.metadata.name ?? "")
        }
    }
}
