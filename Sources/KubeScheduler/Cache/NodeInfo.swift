import KubeModel

/// A node and what the scheduler knows is on it (upstream's framework.NodeInfo): its pods
/// (assumed ones included), the resources they request, the host ports they use, and indexes
/// that let affinity and spread count matching pods without scanning every pod.
///
/// A value type with copy-on-write storage: snapshots share storage with the cache until one
/// of them changes a node.
public struct NodeInfo: Sendable {
    public var node: CoreV1.Node { storage.node }
    public var name: String { storage.name }
    public var labels: [String: String] { storage.labels }
    public var taints: [CoreV1.Taint] { storage.taints }
    /// `spec.unschedulable` (cordoned).
    public var isUnschedulable: Bool { storage.unschedulable }
    public var allocatable: Resource { storage.allocatable }
    public var pods: [PodInfo] { storage.pods }
    /// Pods with any pod affinity or anti-affinity term.
    public var podsWithAffinity: [PodInfo] { storage.pods.filter(\.hasAffinityTerms) }
    /// Pods with required anti-affinity terms.
    public var podsWithRequiredAntiAffinity: [PodInfo] { storage.pods.filter(\.hasRequiredAntiAffinity) }
    public var hasPodsWithAffinity: Bool { storage.affinityPodCount > 0 }
    public var hasPodsWithRequiredAntiAffinity: Bool { storage.requiredAntiAffinityPodCount > 0 }
    /// Sum of the pods' requests.
    public var requested: Resource { storage.requested }
    /// Sum of the pods' requests with the scoring defaults for unstated CPU and memory.
    public var nonZeroRequested: Resource { storage.nonZeroRequested }
    public var usedPorts: HostPortUsage { storage.usedPorts }

    public init(node: CoreV1.Node, pods: [PodInfo] = []) {
        storage = Storage(node: node)
        for pod in pods { addPod(pod) }
    }

    // MARK: Changes

    public mutating func setNode(_ node: CoreV1.Node) {
        makeUnique()
        storage.setNode(node)
    }

    public mutating func addPod(_ pod: PodInfo) {
        makeUnique()
        storage.add(pod)
    }

    /// Removes the pod with `key`; returns it when it was here.
    @discardableResult
    public mutating func removePod(key: String) -> PodInfo? {
        guard storage.pods.contains(where: { $0.key == key }) else { return nil }
        makeUnique()
        return storage.remove(key: key)
    }

    public func contains(podKey: String) -> Bool { storage.pods.contains { $0.key == podKey } }

    // MARK: Counting pods

    /// Pods on this node in `namespace` that `selector` matches, terminating ones excluded
    /// when asked. Uses the label index: a selector that demands a label value the node's pods
    /// lack costs one lookup, and a single equality requirement is answered from counts.
    public func countPods(matching selector: LabelSelector, namespace: String, excludingTerminating: Bool = false)
        -> Int
    {
        if selector.matchesNothing { return 0 }
        guard let inNamespace = storage.namespaceCounts[namespace], inNamespace > 0 else { return 0 }
        let exactTerminatingFree = !excludingTerminating || storage.terminatingCount == 0
        var smallest: Int?
        for requirement in selector.requirements {
            guard let value = selector.requiresExactMatch(requirement.key) else { continue }
            let count = storage.labelCounts[PodLabel(namespace: namespace, key: requirement.key, value: value)] ?? 0
            if count == 0 { return 0 }
            smallest = min(smallest ?? count, count)
        }
        if exactTerminatingFree {
            if selector.requirements.isEmpty { return inNamespace }
            if selector.requirements.count == 1, let smallest { return smallest }
        }
        var count = 0
        for pod in storage.pods where pod.namespace == namespace {
            if excludingTerminating && pod.isTerminating { continue }
            if selector.matches(pod.labels) { count += 1 }
        }
        return count
    }

    /// Pods in any of `namespaces` that `selector` matches.
    public func countPods(matching selector: LabelSelector, namespaces: Set<String>) -> Int {
        if namespaces.count <= storage.namespaceCounts.count {
            return namespaces.reduce(0) { $0 + countPods(matching: selector, namespace: $1) }
        }
        return storage.namespaceCounts.keys.reduce(0) {
            namespaces.contains($1) ? $0 + countPods(matching: selector, namespace: $1) : $0
        }
    }

    /// Namespaces of the pods on this node.
    public var podNamespaces: Dictionary<String, Int>.Keys { storage.namespaceCounts.keys }

    // MARK: Storage

    private var storage: Storage

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    struct PodLabel: Hashable {
        var namespace: String
        var key: String
        var value: String
    }

    /// Mutated only while uniquely referenced (see `makeUnique`), hence safe to share.
    final class Storage: @unchecked Sendable {
        var node: CoreV1.Node
        var name: String
        var labels: [String: String]
        var allocatable: Resource
        var taints: [CoreV1.Taint]
        var unschedulable: Bool
        var pods: [PodInfo] = []
        var affinityPodCount = 0
        var requiredAntiAffinityPodCount = 0
        var requested = Resource()
        var nonZeroRequested = Resource()
        var usedPorts = HostPortUsage()
        var labelCounts: [PodLabel: Int] = [:]
        var namespaceCounts: [String: Int] = [:]
        var terminatingCount = 0

        init(node: CoreV1.Node) {
            (self.node, name, labels, allocatable, taints, unschedulable) = Self.derived(from: node)
        }

        func setNode(_ node: CoreV1.Node) {
            (self.node, name, labels, allocatable, taints, unschedulable) = Self.derived(from: node)
        }

        private static func derived(from node: CoreV1.Node)
            -> (CoreV1.Node, String, [String: String], Resource, [CoreV1.Taint], Bool)
        {
            (node, node.metadata.name ?? "", node.metadata.labels ?? [:], Resource(node.status.allocatable ?? [:]),
             node.spec.taints ?? [], node.spec.unschedulable == true)
        }

        func copy() -> Storage {
            let copy = Storage(node: node)
            copy.pods = pods
            copy.affinityPodCount = affinityPodCount
            copy.requiredAntiAffinityPodCount = requiredAntiAffinityPodCount
            copy.requested = requested
            copy.nonZeroRequested = nonZeroRequested
            copy.usedPorts = usedPorts
            copy.labelCounts = labelCounts
            copy.namespaceCounts = namespaceCounts
            copy.terminatingCount = terminatingCount
            return copy
        }

        func add(_ pod: PodInfo) {
            pods.append(pod)
            account(pod, sign: 1)
        }

        func remove(key: String) -> PodInfo? {
            guard let index = pods.firstIndex(where: { $0.key == key }) else { return nil }
            let pod = pods.remove(at: index)
            account(pod, sign: -1)
            return pod
        }

        private func account(_ pod: PodInfo, sign: Int) {
            if pod.hasAffinityTerms { affinityPodCount += sign }
            if pod.hasRequiredAntiAffinity { requiredAntiAffinityPodCount += sign }
            if pod.isTerminating { terminatingCount += sign }
            var requests = pod.requests
            requests.allowedPodNumber = 0
            let nonZero = Resource(milliCPU: pod.nonZeroRequests.milliCPU, memory: pod.nonZeroRequests.memory)
            if sign > 0 {
                requested.add(requests)
                nonZeroRequested.add(nonZero)
                for port in pod.hostPorts { usedPorts.add(port) }
            } else {
                requested.subtract(requests)
                nonZeroRequested.subtract(nonZero)
                for port in pod.hostPorts { usedPorts.remove(port) }
            }
            Self.bump(&namespaceCounts, pod.namespace, by: sign)
            for (key, value) in pod.labels {
                Self.bump(&labelCounts, PodLabel(namespace: pod.namespace, key: key, value: value), by: sign)
            }
        }

        private static func bump<Key: Hashable>(_ counts: inout [Key: Int], _ key: Key, by delta: Int) {
            let next = (counts[key] ?? 0) + delta
            counts[key] = next == 0 ? nil : next
        }
    }
}
