import KubeModel

/// The arithmetic of a rolling update, as upstream's deployment util computes it.
public enum RolloutMath {
    /// An int-or-percent value against `total`: percentages rounded up (surge) or down
    /// (unavailable), as upstream's GetScaledValueFromIntOrPercent.
    public static func scaled(_ value: IntOrString?, total: Int, roundUp: Bool, default fallback: IntOrString) -> Int {
        switch value ?? fallback {
        case .int(let number):
            return number
        case .string(let text):
            let percent = Int(text.hasSuffix("%") ? String(text.dropLast()) : text) ?? 0
            let product = percent * total
            return roundUp ? (product + 99) / 100 : product / 100
        }
    }

    /// maxSurge and maxUnavailable of a RollingUpdate deployment (both 25% by default); when
    /// both resolve to zero, one pod may be unavailable so the rollout can move at all.
    public static func fenceposts(_ deployment: AppsV1.Deployment) -> (surge: Int, unavailable: Int) {
        guard deployment.isRollingUpdate else { return (0, 0) }
        let rolling = deployment.spec.strategy?.rollingUpdate
        let replicas = deployment.desiredReplicas
        let surge = scaled(rolling?.maxSurge, total: replicas, roundUp: true, default: "25%")
        var unavailable = scaled(rolling?.maxUnavailable, total: replicas, roundUp: false, default: "25%")
        if surge == 0, unavailable == 0 { unavailable = 1 }
        return (surge, unavailable)
    }

    /// The replicas the new ReplicaSet may have now: up to the desired count, without the total
    /// of all ReplicaSets exceeding desired + maxSurge (upstream's NewRSNewReplicas).
    public static func newReplicaSetReplicas(_ deployment: AppsV1.Deployment, all: [AppsV1.ReplicaSet], new: AppsV1.ReplicaSet) -> Int {
        let current = new.spec.replicas ?? 0
        guard deployment.isRollingUpdate else { return deployment.desiredReplicas }
        let maxTotal = deployment.desiredReplicas + fenceposts(deployment).surge
        let total = all.reduce(0) { $0 + ($1.spec.replicas ?? 0) }
        if total >= maxTotal { return current }
        return current + min(maxTotal - total, max(0, deployment.desiredReplicas - current))
    }
}

extension AppsV1.Deployment {
    public var desiredReplicas: Int { spec.replicas ?? 1 }
    public var isRollingUpdate: Bool { (spec.strategy?.type ?? "RollingUpdate") == "RollingUpdate" }
    public var isPaused: Bool { spec.paused ?? false }

    public func condition(_ type: String) -> AppsV1.DeploymentCondition? {
        status.conditions?.first { $0.type == type }
    }
}
