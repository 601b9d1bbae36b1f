import Foundation
import KubeModel

/// What the node lifecycle controller remembers of a node's heartbeats (upstream's
/// nodeHealthData): when it last saw the kubelet post status or renew the node's Lease, by
/// its own clock, so clock skew between nodes and the controller does not matter.
struct NodeHealth: Sendable {
    /// When a heartbeat was last observed (controller clock).
    var probeTimestamp: Date
    /// The Ready condition's heartbeat time as last seen.
    var readyHeartbeat: Time?
    /// The Lease renew time as last seen.
    var leaseRenewTime: Date?

    /// Conditions set to Unknown when heartbeats stop (upstream's Ready and remaining types).
    static let conditionTypes = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]

    /// Refreshes the record from the node and its Lease; a new heartbeat moves the probe time.
    mutating func observe(_ node: CoreV1.Node, lease: CoordinationV1.Lease?, now: Date) {
        let ready = node.status.conditions?.first { $0.type == "Ready" }
        // Only a new heartbeat counts: the controller's own Unknown keeps the old one.
        if ready?.lastHeartbeatTime != readyHeartbeat {
            if ready != nil { probeTimestamp = now }
            readyHeartbeat = ready?.lastHeartbeatTime
        }
        if let renewed = lease?.spec.renewTime?.date, renewed > (leaseRenewTime ?? .distantPast) {
            leaseRenewTime = renewed
            probeTimestamp = now
        }
    }

    static func initial(_ node: CoreV1.Node, lease: CoordinationV1.Lease?, now: Date) -> NodeHealth {
        let ready = node.status.conditions?.first { $0.type == "Ready" }
        return NodeHealth(probeTimestamp: now, readyHeartbeat: ready?.lastHeartbeatTime,
                          leaseRenewTime: lease?.spec.renewTime?.date)
    }

    /// The node's conditions once its heartbeats are overdue: every tracked condition Unknown
    /// (added when the kubelet never posted it). Nil when they are Unknown already.
    static func unknownConditions(of node: CoreV1.Node, now: Date) -> [CoreV1.NodeCondition]? {
        var conditions = node.status.conditions ?? []
        var changed = false
        let transition = Time.wholeSeconds(now)
        for type in conditionTypes {
            if let index = conditions.firstIndex(where: { $0.type == type }) {
                guard conditions[index].status != "Unknown" else { continue }
                conditions[index].status = "Unknown"
                conditions[index].reason = "NodeStatusUnknown"
                conditions[index].message = "Kubelet stopped posting node status."
                conditions[index].lastTransitionTime = transition
            } else {
                conditions.append(CoreV1.NodeCondition(
                    lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: transition,
                    message: "Kubelet never posted node status.", reason: "NodeStatusNeverUpdated", type: type, status: "Unknown"))
            }
            changed = true
        }
        return changed ? conditions : nil
    }
}
