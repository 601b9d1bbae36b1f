import Foundation
import KubeModel

/// The taints the node lifecycle controller owns (upstream's taint-based evictions and
/// TaintNodesByCondition): NoExecute taints from the Ready condition, NoSchedule taints from
/// every condition and from `spec.unschedulable`.
enum NodeTaints {
    static let notReady = "node.kubernetes.io/not-ready"
    static let unreachable = "node.kubernetes.io/unreachable"
    static let unschedulable = "node.kubernetes.io/unschedulable"
    static let memoryPressure = "node.kubernetes.io/memory-pressure"
    static let diskPressure = "node.kubernetes.io/disk-pressure"
    static let pidPressure = "node.kubernetes.io/pid-pressure"
    static let networkUnavailable = "node.kubernetes.io/network-unavailable"

    /// Condition type and status → NoSchedule taint key (upstream's nodeConditionToTaintKeyStatusMap).
    static let conditionTaints: [String: [String: String]] = [
        "Ready": ["False": notReady, "Unknown": unreachable],
        "MemoryPressure": ["True": memoryPressure],
        "DiskPressure": ["True": diskPressure],
        "PIDPressure": ["True": pidPressure],
        "NetworkUnavailable": ["True": networkUnavailable],
    ]

    static let managedNoScheduleKeys: Set<String> = [notReady, unreachable, unschedulable, memoryPressure, diskPressure, pidPressure, networkUnavailable]
    static let managedNoExecuteKeys: Set<String> = [notReady, unreachable]

    static func isManaged(_ taint: CoreV1.Taint) -> Bool {
        switch taint.effect {
        case "NoSchedule": return managedNoScheduleKeys.contains(taint.key)
        case "NoExecute": return managedNoExecuteKeys.contains(taint.key)
        default: return false
        }
    }

    /// The controller's taints the node should carry, as key/effect pairs.
    static func desired(for node: CoreV1.Node) -> Set<TaintID> {
        var result = Set<TaintID>()
        for condition in node.status.conditions ?? [] {
            if let key = conditionTaints[condition.type]?[condition.status] { result.insert(TaintID(key: key, effect: "NoSchedule")) }
        }
        if node.spec.unschedulable == true { result.insert(TaintID(key: unschedulable, effect: "NoSchedule")) }
        switch node.status.conditions?.first(where: { $0.type == "Ready" })?.status {
        case "False": result.insert(TaintID(key: notReady, effect: "NoExecute"))
        case "Unknown": result.insert(TaintID(key: unreachable, effect: "NoExecute"))
        default: break
        }
        return result
    }

    struct TaintID: Hashable {
        var key: String
        var effect: String
    }

    /// The node's taints with the controller's brought in line with `desired`; other taints
    /// stay as they are. Nil when nothing changes.
    static func reconciled(_ taints: [CoreV1.Taint], desired: Set<TaintID>, now: Date) -> [CoreV1.Taint]? {
        let present = Set(taints.filter(isManaged).map { TaintID(key: $0.key, effect: $0.effect) })
        guard present != desired else { return nil }
        var result = taints.filter { !isManaged($0) || desired.contains(TaintID(key: $0.key, effect: $0.effect)) }
        for id in desired.subtracting(present).sorted(by: { ($0.effect, $0.key) < ($1.effect, $1.key) }) {
            result.append(CoreV1.Taint(effect: id.effect, key: id.key, timeAdded: Time.wholeSeconds(now)))
        }
        return result
    }
}
