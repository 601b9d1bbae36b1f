import KubeModel

/// The cluster as one scheduling cycle sees it (upstream's cache Snapshot): every node with
/// its pods, in an order that interleaves zones, plus the lists affinity needs.
/// A value: taking one from the cache is a copy-on-write copy, not a rebuild.
public struct Snapshot: Sendable {
    /// Nodes in node-tree order: zones interleaved, so scoring a percentage of the nodes
    /// samples every zone.
    public let nodes: [NodeInfo]
    let indexByName: [String: Int]
    /// Namespaces that have pods, with their pod counts.
    public let namespacePodCounts: [String: Int]
    /// Indices into `nodes` of nodes with pods that have (anti-)affinity terms.
    public let nodesWithAffinityPods: [Int]
    /// Indices into `nodes` of nodes with pods that have required anti-affinity terms.
    public let nodesWithRequiredAntiAffinityPods: [Int]

    init(nodes: [NodeInfo], indexByName: [String: Int], namespacePodCounts: [String: Int]) {
        self.nodes = nodes
        self.indexByName = indexByName
        self.namespacePodCounts = namespacePodCounts
        var withAffinity: [Int] = []
        var withAntiAffinity: [Int] = []
        for (index, info) in nodes.enumerated() {
            if info.hasPodsWithAffinity { withAffinity.append(index) }
            if info.hasPodsWithRequiredAntiAffinity { withAntiAffinity.append(index) }
        }
        nodesWithAffinityPods = withAffinity
        nodesWithRequiredAntiAffinityPods = withAntiAffinity
    }

    /// A snapshot of the given nodes and pods (pods placed by `spec.nodeName`; pods on nodes
    /// not listed are left out). For tests and one-off computations.
    public init(nodes: [CoreV1.Node], pods: [CoreV1.Pod] = []) {
        var cache = NodeCache()
        for node in nodes { cache.addNode(node) }
        for pod in pods { cache.addPod(pod) }
        self = cache.snapshot()
    }

    public func node(named name: String) -> NodeInfo? {
        indexByName[name].map { nodes[$0] }
    }

    public var nodeNames: [String] { nodes.map(\.name) }

    /// Namespaces with pods whose labels `selector` matches, plus `explicit`.
    func namespaces(explicit: Set<String>, selector: LabelSelector,
                    labels: (String) -> [String: String]?) -> Set<String>
    {
        if selector.matchesNothing { return explicit }
        var result = explicit
        for namespace in namespacePodCounts.keys where !result.contains(namespace) {
            if let namespaceLabels = labels(namespace), selector.matches(namespaceLabels) { result.insert(namespace) }
        }
        return result
    }

    /// This snapshot with `node` replacing the node of the same name (for what-if evaluation).
    func replacing(_ node: NodeInfo) -> Snapshot {
        guard let index = indexByName[node.name] else { return self }
        var nodes = self.nodes
        nodes[index] = node
        return Snapshot(nodes: nodes, indexByName: indexByName, namespacePodCounts: namespacePodCounts)
    }
}
