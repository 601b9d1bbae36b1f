import KubeModel

/// Inter-pod affinity and anti-affinity: required terms (the incoming pod's, and existing
/// pods' anti-affinity against it) filter; preferred terms (both ways) and existing pods'
/// required affinity score.
public struct InterPodAffinity: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScoreNormalizer, EnqueueExtensions {
    public static let pluginName = "InterPodAffinity"
    public static let affinityReason = "node(s) didn't match pod affinity rules"
    public static let antiAffinityReason = "node(s) didn't match pod anti-affinity rules"
    public static let existingAntiAffinityReason = "node(s) didn't satisfy existing pods anti-affinity rules"
    public var name: String { Self.pluginName }

    public let namespaceLabels: @Sendable (String) -> [String: String]?
    public let hardPodAffinityWeight: Int

    public init(namespaceLabels: @escaping @Sendable (String) -> [String: String]? = { _ in nil },
                hardPodAffinityWeight: Int = 1) {
        self.namespaceLabels = namespaceLabels
        self.hardPodAffinityWeight = hardPodAffinityWeight
    }

    struct TopologyPair: Hashable, Sendable {
        var key: String
        var value: String
    }

    /// Resolves a term's namespace selector into concrete namespaces (those that have pods),
    /// except the empty selector, which keeps meaning every namespace.
    func resolved(_ term: AffinityTerm, snapshot: Snapshot) -> AffinityTerm {
        if term.namespaceSelector.isEmpty || term.namespaceSelector.matchesNothing { return term }
        var copy = term
        copy.namespaces = snapshot.namespaces(explicit: term.namespaces, selector: term.namespaceSelector,
                                              labels: namespaceLabels)
        copy.namespaceSelector = .nothing
        return copy
    }

    /// The namespaces a resolved term reaches; nil for every namespace.
    static func scope(_ term: AffinityTerm) -> Set<String>? {
        term.namespaceSelector.isEmpty ? nil : term.namespaces
    }

    /// Pods on `node` that `term` selects (namespaces already resolved).
    static func count(_ term: AffinityTerm, on node: NodeInfo) -> Int {
        if term.namespaceSelector.isEmpty {
            return node.podNamespaces.reduce(0) { $0 + node.countPods(matching: term.selector, namespace: $1) }
        }
        return node.countPods(matching: term.selector, namespaces: term.namespaces)
    }

    /// Pods on `node` that every one of `terms` selects.
    static func countMatchingAll(_ terms: [AffinityTerm], on node: NodeInfo) -> Int {
        guard let first = terms.first else { return 0 }
        let candidates = count(first, on: node)
        if candidates == 0 || terms.count == 1 { return candidates }
        return node.pods.filter { pod in terms.allSatisfy { $0.matches(pod, namespaceLabels: nil) } }.count
    }

    // MARK: Filter

    struct FilterState: Sendable {
        var affinityTerms: [AffinityTerm]
        var antiAffinityTerms: [AffinityTerm]
        var namespaceLabels: [String: String]?
        /// Existing pods whose required anti-affinity selects the incoming pod, per domain.
        var existingAntiAffinityCounts: [TopologyPair: Int] = [:]
        /// Existing pods matching all the incoming pod's affinity terms, per domain.
        var affinityCounts: [TopologyPair: Int] = [:]
        /// Existing pods matching one of the incoming pod's anti-affinity terms, per domain.
        var antiAffinityCounts: [TopologyPair: Int] = [:]

        static func add(_ counts: inout [TopologyPair: Int], _ node: NodeInfo, _ key: String, _ delta: Int) {
            guard delta != 0, let value = node.labels[key] else { return }
            let pair = TopologyPair(key: key, value: value)
            let next = (counts[pair] ?? 0) + delta
            counts[pair] = next == 0 ? nil : next
        }

        /// Accounts for `existing` appearing on (delta 1) or leaving (-1) `node`.
        mutating func update(with existing: PodInfo, incoming: PodInfo, node: NodeInfo, delta: Int) {
            for term in existing.requiredAntiAffinityTerms where term.matches(incoming, namespaceLabels: namespaceLabels) {
                Self.add(&existingAntiAffinityCounts, node, term.topologyKey, delta)
            }
            if !affinityTerms.isEmpty && affinityTerms.allSatisfy({ $0.matches(existing, namespaceLabels: nil) }) {
                for term in affinityTerms { Self.add(&affinityCounts, node, term.topologyKey, delta) }
            }
            for term in antiAffinityTerms where term.matches(existing, namespaceLabels: nil) {
                Self.add(&antiAffinityCounts, node, term.topologyKey, delta)
            }
        }
    }

    public func preFilter(state: inout CycleState, pod: PodInfo, snapshot: Snapshot) -> (PreFilterResult, Status) {
        let affinityTerms = pod.requiredAffinityTerms.map { resolved($0, snapshot: snapshot) }
        let antiAffinityTerms = pod.requiredAntiAffinityTerms.map { resolved($0, snapshot: snapshot) }
        var filterState = FilterState(affinityTerms: affinityTerms, antiAffinityTerms: antiAffinityTerms,
                                      namespaceLabels: namespaceLabels(pod.namespace))
        for index in snapshot.nodesWithRequiredAntiAffinityPods {
            let node = snapshot.nodes[index]
            for existing in node.podsWithRequiredAntiAffinity {
                for term in existing.requiredAntiAffinityTerms
                where term.matches(pod, namespaceLabels: filterState.namespaceLabels) {
                    FilterState.add(&filterState.existingAntiAffinityCounts, node, term.topologyKey, 1)
                }
            }
        }
        // Only nodes holding pods the first affinity term selects can hold pods matching all.
        if let first = affinityTerms.first {
            for node in snapshot.nodesPossiblyMatching(first.selector, namespaces: Self.scope(first)) {
                let matching = Self.countMatchingAll(affinityTerms, on: node)
                for term in affinityTerms { FilterState.add(&filterState.affinityCounts, node, term.topologyKey, matching) }
            }
        }
        for term in antiAffinityTerms {
            for node in snapshot.nodesPossiblyMatching(term.selector, namespaces: Self.scope(term)) {
                FilterState.add(&filterState.antiAffinityCounts, node, term.topologyKey, Self.count(term, on: node))
            }
        }
        if filterState.existingAntiAffinityCounts.isEmpty && affinityTerms.isEmpty && antiAffinityTerms.isEmpty {
            return (.allNodes, .skip)
        }
        state.write(filterState)
        return (.allNodes, .success)
    }

    public func addPod(state: inout CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo) {
        state.update(FilterState.self) { $0.update(with: added, incoming: pod, node: node, delta: 1) }
    }

    public func removePod(state: inout CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo) {
        state.update(FilterState.self) { $0.update(with: removed, incoming: pod, node: node, delta: -1) }
    }

    public func filter(state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        guard let filterState = state.read(FilterState.self) else { return .success }
        let labels = node.labels
        // Required affinity: every term's domain on this node must hold a matching pod, except
        // for the first pod of a group that matches its own terms when no pod matches anywhere.
        var podsExist = true
        for term in filterState.affinityTerms {
            guard let value = labels[term.topologyKey] else { return .unresolvable(Self.affinityReason) }
            if (filterState.affinityCounts[TopologyPair(key: term.topologyKey, value: value)] ?? 0) <= 0 {
                podsExist = false
            }
        }
        if !podsExist {
            let selfMatch = filterState.affinityTerms.allSatisfy { $0.matches(pod, namespaceLabels: nil) }
            if !(filterState.affinityCounts.isEmpty && selfMatch) { return .unresolvable(Self.affinityReason) }
        }
        if !filterState.antiAffinityCounts.isEmpty {
            for term in filterState.antiAffinityTerms {
                guard let value = labels[term.topologyKey] else { continue }
                if (filterState.antiAffinityCounts[TopologyPair(key: term.topologyKey, value: value)] ?? 0) > 0 {
                    return .unschedulable(Self.antiAffinityReason)
                }
            }
        }
        if !filterState.existingAntiAffinityCounts.isEmpty {
            for (key, value) in labels where (filterState.existingAntiAffinityCounts[TopologyPair(key: key, value: value)] ?? 0) > 0 {
                return .unschedulable(Self.existingAntiAffinityReason)
            }
        }
        return .success
    }

    // MARK: Score

    struct ScoreState: Sendable {
        /// Topology key → value → accumulated weight.
        var topologyScore: [String: [String: Int64]]
    }

    public func preScore(state: inout CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: Snapshot) -> Status {
        if nodes.isEmpty { return .skip }
        let preferred = pod.preferredAffinityTerms.map { WeightedAffinityTerm(term: resolved($0.term, snapshot: snapshot), weight: $0.weight) }
        let preferredAnti = pod.preferredAntiAffinityTerms.map {
            WeightedAffinityTerm(term: resolved($0.term, snapshot: snapshot), weight: $0.weight)
        }
        let incomingNamespaceLabels = namespaceLabels(pod.namespace)
        var scores: [String: [String: Int64]] = [:]
        func add(_ key: String, _ node: NodeInfo, _ amount: Int64) {
            guard amount != 0, let value = node.labels[key] else { return }
            scores[key, default: [:]][value, default: 0] += amount
        }
        // The incoming pod's preferred terms, over the nodes that can hold pods they select.
        for (weighted, sign) in preferred.map({ ($0, Int64(1)) }) + preferredAnti.map({ ($0, Int64(-1)) }) {
            for node in snapshot.nodesPossiblyMatching(weighted.term.selector, namespaces: Self.scope(weighted.term))
            where !node.labels.isEmpty {
                add(weighted.term.topologyKey, node, sign * Int64(weighted.weight * Self.count(weighted.term, on: node)))
            }
        }
        // Existing pods' terms that select the incoming pod.
        for index in snapshot.nodesWithAffinityPods {
            let node = snapshot.nodes[index]
            if node.labels.isEmpty { continue }
            for existing in node.podsWithAffinity {
                if hardPodAffinityWeight > 0 {
                    for term in existing.requiredAffinityTerms where term.matches(pod, namespaceLabels: incomingNamespaceLabels) {
                        add(term.topologyKey, node, Int64(hardPodAffinityWeight))
                    }
                }
                for weighted in existing.preferredAffinityTerms
                where weighted.term.matches(pod, namespaceLabels: incomingNamespaceLabels) {
                    add(weighted.term.topologyKey, node, Int64(weighted.weight))
                }
                for weighted in existing.preferredAntiAffinityTerms
                where weighted.term.matches(pod, namespaceLabels: incomingNamespaceLabels) {
                    add(weighted.term.topologyKey, node, -Int64(weighted.weight))
                }
            }
        }
        if scores.isEmpty { return .skip }
        state.write(ScoreState(topologyScore: scores))
        return .success
    }

    public func score(state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64 {
        guard let scoreState = state.read(ScoreState.self) else { return 0 }
        var total: Int64 = 0
        for (key, values) in scoreState.topologyScore {
            if let value = node.labels[key] { total += values[value] ?? 0 }
        }
        return total
    }

    /// Min-max scaling to 0...100 (all equal: 0).
    public func normalizeScores(state: CycleState, pod: PodInfo, scores: inout [NodeScore]) {
        guard state.read(ScoreState.self) != nil, let minimum = scores.map(\.score).min(),
            let maximum = scores.map(\.score).max()
        else { return }
        let spread = maximum - minimum
        for index in scores.indices {
            scores[index].score = spread > 0
                ? Int64(Double(maxNodeScore) * Double(scores[index].score - minimum) / Double(spread)) : 0
        }
    }

    public var events: [ClusterEvent] {
        [
            ClusterEvent(.assignedPod, [.add, .delete, .updatePodLabel]),
            ClusterEvent(.node, [.add, .updateNodeLabel]),
            ClusterEvent(.unscheduledPod, .updatePodLabel),
        ]
    }
}
