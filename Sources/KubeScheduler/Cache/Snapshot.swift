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

    /// (namespace, label) → nodes holding such pods (see NodeCache).
    let podLabelNodes: [NodeInfo.PodLabel: [String: Int]]

    init(nodes: [NodeInfo], indexByName: [String: Int], namespacePodCounts: [String: Int],
         podLabelNodes: [NodeInfo.PodLabel: [String: Int]], nodesWithAffinityPods: [Int],
         nodesWithRequiredAntiAffinityPods: [Int]) {
        self.nodes = nodes
        self.indexByName = indexByName
        self.namespacePodCounts = namespacePodCounts
        self.podLabelNodes = podLabelNodes
        self.nodesWithAffinityPods = nodesWithAffinityPods
        self.nodesWithRequiredAntiAffinityPods = nodesWithRequiredAntiAffinityPods
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

    /// The nodes (in snapshot order) that can hold pods in `namespaces` (every namespace when
    /// nil) matching `selector`, found through the label index: only nodes with pods carrying
    /// the selector's most selective exact label, or at least pods in those namespaces.
    public func nodesPossiblyMatching(_ selector: LabelSelector, namespaces: Set<String>?) -> [NodeInfo] {
        if selector.matchesNothing { return [] }
        let scope = namespaces.map(Array.init) ?? Array(namespacePodCounts.keys)
        func holders(key: String, value: String) -> [String: Int]? {
            var union: [String: Int]?
            for namespace in scope {
                guard let found = podLabelNodes[NodeInfo.PodLabel(namespace: namespace, key: key, value: value)] else {
                    continue
                }
                if union == nil { union = found } else { union!.merge(found) { $0 + $1 } }
            }
            return union
        }
        var best = holders(key: "", value: "") ?? [:]
        for requirement in selector.requirements {
            guard let value = selector.requiresExactMatch(requirement.key) else { continue }
            let found = holders(key: requirement.key, value: value) ?? [:]
            if found.count < best.count { best = found }
            if best.isEmpty { return [] }
        }
        return best.keys.compactMap { indexByName[$0] }.sorted().map { nodes[$0] }
    }
}
