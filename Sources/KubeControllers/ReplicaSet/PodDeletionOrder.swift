import Foundation
import KubeModel

/// Which surplus pods go first (upstream's ActivePods ranking): unscheduled before scheduled,
/// pending before unknown before running, not ready before ready, ready for less time before
/// ready for longer, more restarts before fewer, newer before older.
enum PodDeletionOrder {
    static func deleteFirst(_ a: CoreV1.Pod, _ b: CoreV1.Pod) -> Bool {
        let aAssigned = !(a.spec.nodeName ?? "").isEmpty
        let bAssigned = !(b.spec.nodeName ?? "").isEmpty
        if aAssigned != bAssigned { return !aAssigned }
        let aPhase = phaseRank(a), bPhase = phaseRank(b)
        if aPhase != bPhase { return aPhase < bPhase }
        if a.isReady != b.isReady { return !a.isReady }
        if a.isReady, b.isReady {
            let aSince = a.condition("Ready")?.lastTransitionTime?.date ?? .distantPast
            let bSince = b.condition("Ready")?.lastTransitionTime?.date ?? .distantPast
            if aSince != bSince { return aSince > bSince }
        }
        let aRestarts = restarts(a), bRestarts = restarts(b)
        if aRestarts != bRestarts { return aRestarts > bRestarts }
        let aCreated = a.metadata.creationTimestamp?.date ?? .distantPast
        let bCreated = b.metadata.creationTimestamp?.date ?? .distantPast
        return aCreated > bCreated
    }

    static func phaseRank(_ pod: CoreV1.Pod) -> Int {
        switch pod.status.phase {
        case "Pending": return 0
        case "Running": return 2
        default: return 1
        }
    }

    static func restarts(_ pod: CoreV1.Pod) -> Int {
        (pod.status.containerStatuses ?? []).map(\.restartCount).max() ?? 0
    }
}
