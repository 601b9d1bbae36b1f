import Foundation
import KubeModel

/// How controllers read a pod's state, as upstream's podutil helpers do.
extension CoreV1.Pod {
    /// Not finished and not being deleted: it counts toward a controller's replicas.
    public var isActive: Bool {
        let phase = status.phase
        return phase != "Succeeded" && phase != "Failed" && metadata.deletionTimestamp == nil
    }

    public var isTerminating: Bool { metadata.deletionTimestamp != nil }

    /// Succeeded or Failed.
    public var isTerminal: Bool { status.phase == "Succeeded" || status.phase == "Failed" }

    public func condition(_ type: String) -> CoreV1.PodCondition? {
        status.conditions?.first { $0.type == type }
    }

    /// The Ready condition is True.
    public var isReady: Bool { condition("Ready")?.status == "True" }

    /// Ready for at least `minReadySeconds` at `now` (upstream's IsPodAvailable).
    public func isAvailable(minReadySeconds: Int, now: Date) -> Bool {
        guard let ready = condition("Ready"), ready.status == "True" else { return false }
        if minReadySeconds == 0 { return true }
        guard let since = ready.lastTransitionTime?.date else { return false }
        return now.timeIntervalSince(since) >= Double(minReadySeconds)
    }
}
