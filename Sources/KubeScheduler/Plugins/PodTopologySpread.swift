import Foundation
import KubeModel

/// Spreads pods across topology domains: DoNotSchedule constraints filter nodes whose domain
/// would exceed maxSkew, ScheduleAnyway constraints score nodes by how many matching pods their
/// domain already has.
public struct PodTopologySpread: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScoreNormalizer, EnqueueExtensions {
    public static let pluginName = "PodTopologySpread"
    public static let reason = "node(s) didn't match pod topology spread constraints"
    public static let missingLabelReason = reason + " (missing required label)"
    public var name: String { Self.pluginName }

    public init() {}

    /// A constraint with its selector parsed and its policies resolved.
    struct Constraint: Sendable {
        var maxSkew: Int
        var topologyKey: String
        var selector: LabelSelector
        var minDomains: Int
        var honorNodeAffinity: Bool
        var honorTaints: Bool

        /// Whether `node` counts for this constraint under its inclusion policies.
        func includes(_ node: NodeInfo, pod: PodInfo, affinity: RequiredNodeAffinity) -> Bool {
            if honorNodeAffinity && !affinity.matches(node) { return false }
            if honorTaints && Tolerations.firstUntoleratedScheduleTaint(node.taints, pod.tolerations) != nil {
                return false
            }
            return true
        }

        /// Matching pods on `node` in the pod's namespace; terminating pods do not count.
        func count(on node: NodeInfo, namespace: String) -> Int {
            if selector.isEmpty { return 0 }
            return node.countPods(matching: selector, namespace: namespace, excludingTerminating: true)
        }
    }

    static func constraints(of pod: PodInfo, whenUnsatisfiable: String) -> [Constraint] {
        (pod.pod.spec.topologySpreadConstraints ?? []).filter { $0.whenUnsatisfiable == whenUnsatisfiable }.map {
            var selector = SelectorConversion.selector($0.labelSelector)
            for key in $0.matchLabelKeys ?? [] {
                guard let value = pod.labels[key], let requirement = try? LabelRequirement(key: key, operator: .in, values: [value])
                else { continue }
                selector = selector.adding(requirement)
            }
            return Constraint(
                maxSkew: $0.maxSkew, topologyKey: $0.topologyKey, selector: selector, minDomains: $0.minDomains ?? 1,
                honorNodeAffinity: ($0.nodeAffinityPolicy ?? "Honor") == "Honor",
                honorTaints: ($0.nodeTaintsPolicy ?? "Ignore") == "Honor")
        }
    }

    static func hasAllKeys(_ node: NodeInfo, _ constraints: [Constraint]) -> Bool {
        let labels = node.labels
        return constraints.allSatisfy { labels[$0.topologyKey] != nil }
    }

    // MARK: Filter

    struct FilterState: Sendable {
        var constraints: [Constraint]
        /// Per constraint: matching pods per domain (topology value) of eligible nodes.
        var matchCounts: [[String: Int]]
        /// Per constraint: the smallest domain count, 0 when there are fewer domains than
        /// minDomains.
        var minimums: [Int]
        var affinity: RequiredNodeAffinity

        mutating func recomputeMinimums() {
            minimums = constraints.indices.map { index in
                let counts = matchCounts[index]
                if counts.count < constraints[index].minDomains { return 0 }
                return counts.values.min() ?? 0
            }
        }
    }

    public func preFilter(state: inout CycleState, pod: PodInfo, snapshot: Snapshot) -> (PreFilterResult, Status) {
        let constraints = Self.constraints(of: pod, whenUnsatisfiable: "DoNotSchedule")
        if constraints.isEmpty { return (.allNodes, .skip) }
        let affinity = RequiredNodeAffinity(pod.pod)
        // Every eligible node's domain exists (possibly with no pods); matching pods are
        // counted only on the nodes the label index says can hold them.
        var counts = [[String: Int]](repeating: [:], count: constraints.count)
        for node in snapshot.nodes where Self.hasAllKeys(node, constraints) {
            for (index, constraint) in constraints.enumerated() where constraint.includes(node, pod: pod, affinity: affinity) {
                let value = node.labels[constraint.topologyKey]!
                if counts[index][value] == nil { counts[index][value] = 0 }
            }
        }
        for (index, constraint) in constraints.enumerated() where !constraint.selector.isEmpty {
            for node in snapshot.nodesPossiblyMatching(constraint.selector, namespaces: [pod.namespace])
            where Self.hasAllKeys(node, constraints) && constraint.includes(node, pod: pod, affinity: affinity) {
                counts[index][node.labels[constraint.topologyKey]!, default: 0] += constraint.count(on: node, namespace: pod.namespace)
            }
        }
        var filterState = FilterState(constraints: constraints, matchCounts: counts, minimums: [], affinity: affinity)
        filterState.recomputeMinimums()
        state.write(filterState)
        return (.allNodes, .success)
    }

    public func addPod(state: inout CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo) {
        update(&state, pod: pod, changed: added, node: node, delta: 1)
    }

    public func removePod(state: inout CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo) {
        update(&state, pod: pod, changed: removed, node: node, delta: -1)
    }

    private func update(_ state: inout CycleState, pod: PodInfo, changed: PodInfo, node: NodeInfo, delta: Int) {
        guard changed.namespace == pod.namespace, !changed.isTerminating else { return }
        state.update(FilterState.self) { filterState in
            guard Self.hasAllKeys(node, filterState.constraints) else { return }
            for (index, constraint) in filterState.constraints.enumerated() {
                guard !constraint.selector.isEmpty, constraint.selector.matches(changed.labels),
                    constraint.includes(node, pod: pod, affinity: filterState.affinity)
                else { continue }
                filterState.matchCounts[index][node.labels[constraint.topologyKey]!, default: 0] += delta
            }
            filterState.recomputeMinimums()
        }
    }

    public func filter(state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        guard let filterState = state.read(FilterState.self) else { return .success }
        let labels = node.labels
        for (index, constraint) in filterState.constraints.enumerated() {
            guard let value = labels[constraint.topologyKey] else { return .unresolvable(Self.missingLabelReason) }
            let selfMatch = constraint.selector.matches(pod.labels) ? 1 : 0
            let matching = filterState.matchCounts[index][value] ?? 0
            if matching + selfMatch - filterState.minimums[index] > constraint.maxSkew {
                return .unschedulable(Self.reason)
            }
        }
        return .success
    }

    // MARK: Score

    struct ScoreState: Sendable {
        var constraints: [Constraint]
        var ignoredNodes: Set<String>
        /// Per constraint (except hostname ones, counted per node while scoring): matching
        /// pods per domain, for the domains of the nodes being scored.
        var domainCounts: [[String: Int]]
        var weights: [Double]
    }

    static let hostnameKey = "kubernetes.io/hostname"

    public func preScore(state: inout CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: Snapshot) -> Status {
        let constraints = Self.constraints(of: pod, whenUnsatisfiable: "ScheduleAnyway")
        if constraints.isEmpty || nodes.isEmpty { return .skip }
        var ignored: Set<String> = []
        var domainCounts = [[String: Int]](repeating: [:], count: constraints.count)
        for node in nodes {
            guard Self.hasAllKeys(node, constraints) else {
                ignored.insert(node.name)
                continue
            }
            for (index, constraint) in constraints.enumerated() where constraint.topologyKey != Self.hostnameKey {
                domainCounts[index][node.labels[constraint.topologyKey]!] = 0
            }
        }
        let scoredNodes = nodes.count - ignored.count
        let weights = constraints.indices.map { index in
            let size = constraints[index].topologyKey == Self.hostnameKey ? scoredNodes : domainCounts[index].count
            return log(Double(size + 2))
        }
        let affinity = RequiredNodeAffinity(pod.pod)
        for (index, constraint) in constraints.enumerated()
        where constraint.topologyKey != Self.hostnameKey && !constraint.selector.isEmpty {
            for node in snapshot.nodesPossiblyMatching(constraint.selector, namespaces: [pod.namespace])
            where Self.hasAllKeys(node, constraints) {
                let value = node.labels[constraint.topologyKey]!
                guard domainCounts[index][value] != nil, constraint.includes(node, pod: pod, affinity: affinity) else {
                    continue
                }
                domainCounts[index][value]! += constraint.count(on: node, namespace: pod.namespace)
            }
        }
        state.write(ScoreState(constraints: constraints, ignoredNodes: ignored, domainCounts: domainCounts, weights: weights))
        return .success
    }

    public func score(state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64 {
        guard let scoreState = state.read(ScoreState.self), !scoreState.ignoredNodes.contains(node.name) else { return 0 }
        var score = 0.0
        for (index, constraint) in scoreState.constraints.enumerated() {
            guard let value = node.labels[constraint.topologyKey] else { continue }
            let count = constraint.topologyKey == Self.hostnameKey
                ? constraint.count(on: node, namespace: pod.namespace)
                : scoreState.domainCounts[index][value] ?? 0
            score += Double(count) * scoreState.weights[index] + Double(constraint.maxSkew - 1)
        }
        return Int64(score.rounded())
    }

    /// Fewer matching pods is better: scores are inverted relative to the range seen; nodes
    /// missing a topology key get 0.
    public func normalizeScores(state: CycleState, pod: PodInfo, scores: inout [NodeScore]) {
        guard let scoreState = state.read(ScoreState.self) else { return }
        var minimum = Int64.max
        var maximum: Int64 = 0
        for entry in scores where !scoreState.ignoredNodes.contains(entry.name) {
            minimum = min(minimum, entry.score)
            maximum = max(maximum, entry.score)
        }
        for index in scores.indices {
            if scoreState.ignoredNodes.contains(scores[index].name) {
                scores[index].score = 0
            } else if maximum == 0 {
                scores[index].score = maxNodeScore
            } else {
                scores[index].score = maxNodeScore * (maximum + minimum - scores[index].score) / maximum
            }
        }
    }

    public var events: [ClusterEvent] {
        [
            ClusterEvent(.assignedPod, [.add, .delete, .updatePodLabel]),
            ClusterEvent(.node, [.add, .delete, .updateNodeLabel, .updateNodeTaint]),
            ClusterEvent(.unscheduledPod, .updatePodLabel),
        ]
    }
}
