import Foundation
import KubeModel

/// `kubectl get nodes`: readiness (and cordoning), roles from labels, kubelet version; wide
/// adds addresses and the OS, kernel and runtime.
struct NodePrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Status", description: "The status of the node"),
        TableColumn("Roles", description: "The roles of the node"),
        .age,
        TableColumn("Version", description: FieldDoc.api("core.v1.NodeSystemInfo", "kubeletVersion")),
        TableColumn("Internal-IP", description: FieldDoc.api("core.v1.NodeStatus", "addresses"), priority: 1),
        TableColumn("External-IP", description: FieldDoc.api("core.v1.NodeStatus", "addresses"), priority: 1),
        TableColumn("OS-Image", description: FieldDoc.api("core.v1.NodeSystemInfo", "osImage"), priority: 1),
        TableColumn("Kernel-Version", description: FieldDoc.api("core.v1.NodeSystemInfo", "kernelVersion"), priority: 1),
        TableColumn("Container-Runtime", description: FieldDoc.api("core.v1.NodeSystemInfo", "containerRuntimeVersion"), priority: 1),
    ]

    func cells(of node: CoreV1.Node, now: Date) -> [JSONValue] {
        let info = node.status.nodeInfo
        let roles = Self.roles(node.metadata.labels ?? [:])
        return [
            CellText.name(node.metadata),
            .string(status(node)),
            .string(roles.isEmpty ? "<none>" : roles.joined(separator: ",")),
            CellText.age(node.metadata, now: now),
            CellText.string(info?.kubeletVersion),
            .string(address(node, type: "InternalIP")),
            .string(address(node, type: "ExternalIP")),
            .string(CellText.value(info?.osImage, ifEmpty: "<unknown>")),
            .string(CellText.value(info?.kernelVersion, ifEmpty: "<unknown>")),
            .string(CellText.value(info?.containerRuntimeVersion, ifEmpty: "<unknown>")),
        ]
    }

    /// "Ready" or "NotReady" from the Ready condition (the last one wins if repeated),
    /// "Unknown" without it, plus "SchedulingDisabled" for a cordoned node.
    private func status(_ node: CoreV1.Node) -> String {
        var parts: [String] = []
        if let ready = node.status.conditions?.last(where: { $0.type == "Ready" }) {
            parts.append(ready.status == "True" ? "Ready" : "NotReady")
        } else {
            parts.append("Unknown")
        }
        if node.spec.unschedulable == true { parts.append("SchedulingDisabled") }
        return parts.joined(separator: ",")
    }

    /// Roles come from `node-role.kubernetes.io/<role>` label keys and the value of a
    /// `kubernetes.io/role` label, sorted and deduplicated.
    static func roles(_ labels: [String: String]) -> [String] {
        let prefix = "node-role.kubernetes.io/"
        var roles = Set<String>()
        for (key, value) in labels {
            if key.hasPrefix(prefix) {
                let role = String(key.dropFirst(prefix.count))
                if !role.isEmpty { roles.insert(role) }
            } else if key == "kubernetes.io/role" && !value.isEmpty {
                roles.insert(value)
            }
        }
        return roles.sorted()
    }

    /// The node's first address of `type`, "<none>" without one.
    private func address(_ node: CoreV1.Node, type: String) -> String {
        node.status.addresses?.first { $0.type == type }?.address ?? "<none>"
    }
}
