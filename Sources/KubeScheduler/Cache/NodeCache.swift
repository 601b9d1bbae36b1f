import KubeModel

/// The scheduler's incremental view of the cluster (upstream's scheduler cache): informer
/// events add, update and remove nodes and pods; the scheduling loop assumes a pod onto its
/// chosen node before binding finishes and forgets it when binding fails. `snapshot()` is
/// cheap: the node list is kept in snapshot order and shared copy-on-write.
///
/// Every operation costs O(pods on the affected node); no operation touches every pod.
public struct NodeCache: Sendable {
    /// Nodes in node-tree order once `orderIsCurrent`; otherwise in arrival order.
    private var nodes: [NodeInfo] = []
    private var indexByName: [String: Int] = [:]
    private var orderIsCurrent = true
    /// Where each known pod is, and whether it is only assumed.
    private var podStates: [String: PodState] = [:]
    /// Bound pods whose node the cache has not seen (yet, or any more), by node name.
    private var podsOnUnknownNodes: [String: [String: PodInfo]] = [:]
    private var namespacePodCounts: [String: Int] = [:]
    /// For each (namespace, label) of some pod — and (namespace, "", "") for the namespace
    /// itself — the nodes with such pods and how many: lets affinity and spread visit only
    /// nodes that can hold matching pods.
    private var podLabelNodes: [NodeInfo.PodLabel: [String: Int]] = [:]
    /// Nodes with pods that have (anti-)affinity terms, and required anti-affinity terms.
    private var affinityNodes: Set<String> = []
    private var antiAffinityNodes: Set<String> = []

    struct PodState: Sendable {
        var info: PodInfo
        var assumed: Bool
    }

    public init() {}

    public var nodeCount: Int { nodes.count }
    public var podCount: Int { podStates.count }

    // MARK: Nodes

    /// Adds a node, or updates it when one with the same name exists.
    public mutating func addNode(_ node: CoreV1.Node) {
        let name = node.metadata.name ?? ""
        if let index = indexByName[name] {
            if Self.zone(of: nodes[index].labels) != Self.zone(of: node.metadata.labels ?? [:]) { orderIsCurrent = false }
            nodes[index].setNode(node)
            return
        }
        let pods = podsOnUnknownNodes.removeValue(forKey: name).map { Array($0.values) } ?? []
        indexByName[name] = nodes.count
        nodes.append(NodeInfo(node: node, pods: pods))
        refreshAffinityFlags(nodes.count - 1)
        orderIsCurrent = false
    }

    public mutating func updateNode(_ node: CoreV1.Node) { addNode(node) }

    /// Removes a node; its pods stay known (they are deleted by their own events) and return
    /// to the node if it comes back.
    public mutating func removeNode(named name: String) {
        guard let index = indexByName.removeValue(forKey: name) else { return }
        let removed = nodes[index]
        if !removed.pods.isEmpty {
            podsOnUnknownNodes[name] = Dictionary(uniqueKeysWithValues: removed.pods.map { ($0.key, $0) })
        }
        let last = nodes.count - 1
        if index != last {
            nodes[index] = nodes[last]
            indexByName[nodes[index].name] = index
        }
        nodes.removeLast()
        affinityNodes.remove(name)
        antiAffinityNodes.remove(name)
        orderIsCurrent = false
    }

    public func node(named name: String) -> NodeInfo? { indexByName[name].map { nodes[$0] } }

    // MARK: Pods

    /// A pod bound to a node (from the informer). Confirms an assumed pod of the same key.
    public mutating func addPod(_ pod: CoreV1.Pod) {
        let info = PodInfo(pod)
        guard !info.nodeName.isEmpty else { return }
        if podStates[info.key] != nil { removeStoredPod(key: info.key) }
        store(info, assumed: false)
    }

    public mutating func updatePod(old: CoreV1.Pod, new: CoreV1.Pod) {
        let oldInfo = PodInfo(old)
        if podStates[oldInfo.key] != nil { removeStoredPod(key: oldInfo.key) }
        addPod(new)
    }

    public mutating func removePod(_ pod: CoreV1.Pod) {
        removeStoredPod(key: PodInfo(pod).key)
    }

    /// Records that `pod` will run on `nodeName` before the binding is confirmed, so the next
    /// cycles count its resources there.
    public mutating func assumePod(_ pod: CoreV1.Pod, on nodeName: String) throws(NodeCacheError) {
        let info = PodInfo(pod).bound(to: nodeName)
        if podStates[info.key] != nil { throw .podAlreadyKnown(info.key) }
        store(info, assumed: true)
    }

    /// Drops an assumed pod (its binding failed).
    public mutating func forgetPod(_ pod: CoreV1.Pod) {
        let key = PodInfo(pod).key
        guard podStates[key]?.assumed == true else { return }
        removeStoredPod(key: key)
    }

    public func isAssumed(_ pod: CoreV1.Pod) -> Bool { podStates[PodInfo(pod).key]?.assumed == true }

    public func pod(key: String) -> PodInfo? { podStates[key]?.info }

    // MARK: Snapshot

    /// The current state for one scheduling cycle. Reorders the node list only when nodes came
    /// or went since the last snapshot; otherwise this is a copy-on-write copy.
    public mutating func snapshot() -> Snapshot {
        if !orderIsCurrent { reorder() }
        return Snapshot(nodes: nodes, indexByName: indexByName, namespacePodCounts: namespacePodCounts,
                        podLabelNodes: podLabelNodes,
                        nodesWithAffinityPods: affinityNodes.compactMap { indexByName[$0] }.sorted(),
                        nodesWithRequiredAntiAffinityPods: antiAffinityNodes.compactMap { indexByName[$0] }.sorted())
    }

    // MARK: Internals

    private mutating func store(_ info: PodInfo, assumed: Bool) {
        podStates[info.key] = PodState(info: info, assumed: assumed)
        namespacePodCounts[info.namespace, default: 0] += 1
        indexLabels(of: info, delta: 1)
        if let index = indexByName[info.nodeName] {
            nodes[index].addPod(info)
            refreshAffinityFlags(index)
        } else {
            podsOnUnknownNodes[info.nodeName, default: [:]][info.key] = info
        }
    }

    private mutating func removeStoredPod(key: String) {
        guard let state = podStates.removeValue(forKey: key) else { return }
        let namespace = state.info.namespace
        let left = (namespacePodCounts[namespace] ?? 1) - 1
        namespacePodCounts[namespace] = left == 0 ? nil : left
        indexLabels(of: state.info, delta: -1)
        let nodeName = state.info.nodeName
        if let index = indexByName[nodeName] {
            nodes[index].removePod(key: key)
            refreshAffinityFlags(index)
        } else {
            podsOnUnknownNodes[nodeName]?[key] = nil
            if podsOnUnknownNodes[nodeName]?.isEmpty == true { podsOnUnknownNodes[nodeName] = nil }
        }
    }

    private mutating func indexLabels(of pod: PodInfo, delta: Int) {
        func bump(_ label: NodeInfo.PodLabel) {
            let next = (podLabelNodes[label]?[pod.nodeName] ?? 0) + delta
            if next == 0 {
                podLabelNodes[label]?[pod.nodeName] = nil
                if podLabelNodes[label]?.isEmpty == true { podLabelNodes[label] = nil }
            } else {
                podLabelNodes[label, default: [:]][pod.nodeName] = next
            }
        }
        bump(NodeInfo.PodLabel(namespace: pod.namespace, key: "", value: ""))
        for (key, value) in pod.labels { bump(NodeInfo.PodLabel(namespace: pod.namespace, key: key, value: value)) }
    }

    private mutating func refreshAffinityFlags(_ index: Int) {
        let info = nodes[index]
        if info.hasPodsWithAffinity { affinityNodes.insert(info.name) } else { affinityNodes.remove(info.name) }
        if info.hasPodsWithRequiredAntiAffinity {
            antiAffinityNodes.insert(info.name)
        } else {
            antiAffinityNodes.remove(info.name)
        }
    }

    /// Upstream's node tree order: one node from each zone in turn, zones in order of first
    /// appearance, nodes within a zone by name.
    private mutating func reorder() {
        var zoneOrder: [String] = []
        var byZone: [String: [NodeInfo]] = [:]
        for info in nodes.sorted(by: { $0.name < $1.name }) {
            let zone = Self.zone(of: info.labels)
            if byZone[zone] == nil { zoneOrder.append(zone) }
            byZone[zone, default: []].append(info)
        }
        var ordered: [NodeInfo] = []
        ordered.reserveCapacity(nodes.count)
        var position = 0
        while ordered.count < nodes.count {
            for zone in zoneOrder where position < byZone[zone]!.count {
                ordered.append(byZone[zone]![position])
            }
            position += 1
        }
        nodes = ordered
        indexByName = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1.name, $0) })
        orderIsCurrent = true
    }

    static func zone(of labels: [String: String]) -> String {
        let region = labels["topology.kubernetes.io/region"] ?? ""
        let zone = labels["topology.kubernetes.io/zone"] ?? ""
        return region.isEmpty && zone.isEmpty ? "" : region + ":\u{0}:" + zone
    }
}

public enum NodeCacheError: Error, Sendable, Hashable {
    case podAlreadyKnown(String)
}
