import KubeModel

/// The annotations through which Deployments and their ReplicaSets record rollout history, as
/// `kubectl rollout history|undo` read them.
public enum DeploymentAnnotations {
    public static let revision = "deployment.kubernetes.io/revision"
    public static let revisionHistory = "deployment.kubernetes.io/revision-history"
    public static let desiredReplicas = "deployment.kubernetes.io/desired-replicas"
    public static let maxReplicas = "deployment.kubernetes.io/max-replicas"

    /// Annotations of the Deployment not copied onto its ReplicaSets.
    static let notCopied: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", revision, revisionHistory, desiredReplicas, maxReplicas,
        "deprecated.deployment.rollback.to",
    ]

    static func revision(of replicaSet: AppsV1.ReplicaSet) -> Int {
        Int(replicaSet.metadata.annotations?[revision] ?? "") ?? 0
    }

    /// Copies the Deployment's annotations and sets the replica annotations; returns whether
    /// anything changed.
    @discardableResult
    static func update(_ replicaSet: inout AppsV1.ReplicaSet, from deployment: AppsV1.Deployment, maxSurge: Int) -> Bool {
        var annotations = replicaSet.metadata.annotations ?? [:]
        let before = annotations
        for (key, value) in deployment.metadata.annotations ?? [:] where !notCopied.contains(key) {
            annotations[key] = value
        }
        annotations[desiredReplicas] = String(deployment.desiredReplicas)
        annotations[maxReplicas] = String(deployment.desiredReplicas + maxSurge)
        replicaSet.metadata.annotations = annotations
        return annotations != before
    }

    /// Gives the new ReplicaSet revision `next`, remembering the revision it had before (when a
    /// rollback brings an old template back); returns whether anything changed.
    @discardableResult
    static func setRevision(_ replicaSet: inout AppsV1.ReplicaSet, to next: Int) -> Bool {
        let current = revision(of: replicaSet)
        guard current < next else { return false }
        var annotations = replicaSet.metadata.annotations ?? [:]
        if current > 0 {
            let history = annotations[revisionHistory].map { $0 + "," } ?? ""
            annotations[revisionHistory] = history + String(current)
        }
        annotations[revision] = String(next)
        replicaSet.metadata.annotations = annotations
        return true
    }
}
