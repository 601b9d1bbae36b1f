import Foundation
import KubeModel

/// The Node and Lease objects a hollow kubelet writes: what a kubelet registers (labels,
/// capacity, addresses, system info, conditions) and how it refreshes them.
struct NodeTemplate: Sendable {
    let configuration: HollowNodeConfiguration

    static let leaseNamespace = "kube-node-lease"

    /// The Node to register, status included (the API keeps a Node's status on create).
    func node(name: String, internalIP: String, now: Date) -> CoreV1.Node {
        var node = CoreV1.Node()
        node.metadata.name = name
        var labels = [
            "kubernetes.io/hostname": name,
            "kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
            "beta.kubernetes.io/os": "linux",
            "beta.kubernetes.io/arch": "amd64",
            "node.kubernetes.io/instance-type": "hollow",
        ]
        for (key, value) in configuration.labels { labels[key] = value }
        node.metadata.labels = labels
        node.metadata.annotations = [
            "node.alpha.kubernetes.io/ttl": "0",
            "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        ]
        if !configuration.taints.isEmpty { node.spec.taints = configuration.taints }
        node.status = status(name: name, internalIP: internalIP, previous: nil, now: now)
        return node
    }

    /// The status a kubelet reports: capacity, allocatable, addresses, system info, and the four
    /// conditions with a fresh heartbeat (transition times kept while a condition holds).
    func status(name: String, internalIP: String, previous: CoreV1.NodeStatus?, now: Date) -> CoreV1.NodeStatus {
        var status = previous ?? CoreV1.NodeStatus()
        let capacity = configuration.capacity
        status.capacity = capacity
        status.allocatable = capacity
        status.addresses = [CoreV1.NodeAddress(address: internalIP, type: "InternalIP"),
                            CoreV1.NodeAddress(address: name, type: "Hostname")]
        status.daemonEndpoints = CoreV1.NodeDaemonEndpoints(kubeletEndpoint: CoreV1.DaemonEndpoint(Port: 10250))
        status.nodeInfo = CoreV1.NodeSystemInfo(
            architecture: "amd64", bootID: uuid(name, "boot"), containerRuntimeVersion: "hollow://1.0.0",
            kernelVersion: "6.1.0-hollow", kubeProxyVersion: "", kubeletVersion: configuration.kubeletVersion,
            machineID: HollowIdentifiers.hex(name, "machine", count: 32), operatingSystem: "linux",
            osImage: "Skiff Hollow Node", systemUUID: uuid(name, "system"))
        let heartbeat = Time(Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))
        let wanted: [(type: String, status: String, reason: String, message: String)] = [
            ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ]
        var conditions = (previous?.conditions ?? []).filter { condition in !wanted.contains { $0.type == condition.type } }
        for entry in wanted {
            let old = previous?.conditions?.first { $0.type == entry.type }
            let transition = old.flatMap { $0.status == entry.status ? $0.lastTransitionTime : nil } ?? heartbeat
            conditions.append(CoreV1.NodeCondition(
                lastHeartbeatTime: heartbeat, lastTransitionTime: transition, message: entry.message, reason: entry.reason,
                type: entry.type, status: entry.status))
        }
        // The kubelet's order: pressure conditions, then Ready; others (NetworkUnavailable…) first.
        status.conditions = conditions
        return status
    }

    /// True when `node`'s status says something other than what this kubelet would report now
    /// (a controller marked it Unknown, capacity changed): report at once, not at the next period.
    func needsReport(_ node: CoreV1.Node) -> Bool {
        let conditions = node.status.conditions ?? []
        let ready = conditions.first { $0.type == "Ready" }
        if ready?.status != "True" { return true }
        for type in ["MemoryPressure", "DiskPressure", "PIDPressure"] where conditions.first(where: { $0.type == type })?.status != "False" {
            return true
        }
        return node.status.capacity != configuration.capacity || node.status.nodeInfo?.kubeletVersion != configuration.kubeletVersion
    }

    /// The node's Lease, owned by the Node so it goes when the Node goes.
    func lease(node: CoreV1.Node, now: Date) -> CoordinationV1.Lease {
        var lease = CoordinationV1.Lease()
        lease.metadata.name = node.metadata.name
        lease.metadata.namespace = Self.leaseNamespace
        if let uid = node.metadata.uid {
            lease.metadata.ownerReferences = [MetaV1.OwnerReference(apiVersion: "v1", kind: "Node", name: node.metadata.name ?? "", uid: uid)]
        }
        lease.spec.holderIdentity = node.metadata.name
        lease.spec.leaseDurationSeconds = Int(configuration.leaseDuration.components.seconds)
        lease.spec.renewTime = MicroTime(now)
        return lease
    }

    private func uuid(_ name: String, _ purpose: String) -> String {
        let hex = Array(HollowIdentifiers.hex(name, purpose, count: 32))
        return [hex[0..<8], hex[8..<12], hex[12..<16], hex[16..<20], hex[20..<32]].map { String($0) }.joined(separator: "-")
    }
}
