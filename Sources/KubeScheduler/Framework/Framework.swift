import KubeModel

/// A profile's plugins, instantiated and sorted by extension point (upstream's frameworkImpl):
/// runs each extension point over its plugins in profile order.
public struct Framework: Sendable {
    public let profile: Profile
    public let plugins: [any Plugin]
    let preFilterPlugins: [any PreFilterPlugin]
    let filterPlugins: [any FilterPlugin]
    let postFilterPlugins: [any PostFilterPlugin]
    let preScorePlugins: [any PreScorePlugin]
    let scorePlugins: [(plugin: any ScorePlugin, weight: Int64)]
    /// Events each plugin registered for requeueing pods it rejected.
    public let eventsByPlugin: [String: [ClusterEvent]]

    public init(profile: Profile = .default, registry: PluginRegistry = .inTree, handle: PluginHandle = PluginHandle())
        throws(SchedulerConfigError)
    {
        var plugins: [any Plugin] = []
        var scorePlugins: [(plugin: any ScorePlugin, weight: Int64)] = []
        for config in profile.plugins {
            guard let factory = registry.factories[config.name] else { throw .unknownPlugin(config.name) }
            let plugin = try factory(config.arguments, handle)
            plugins.append(plugin)
            if let scorer = plugin as? any ScorePlugin {
                guard (1...100).contains(config.weight) else { throw .invalidWeight(config.name) }
                scorePlugins.append((scorer, Int64(config.weight)))
            }
        }
        self.profile = profile
        self.plugins = plugins
        preFilterPlugins = plugins.compactMap { $0 as? any PreFilterPlugin }
        filterPlugins = plugins.compactMap { $0 as? any FilterPlugin }
        postFilterPlugins = plugins.compactMap { $0 as? any PostFilterPlugin }
        preScorePlugins = plugins.compactMap { $0 as? any PreScorePlugin }
        self.scorePlugins = scorePlugins
        var events: [String: [ClusterEvent]] = [:]
        for plugin in plugins {
            if let extensions = plugin as? any EnqueueExtensions { events[plugin.name] = extensions.events }
        }
        eventsByPlugin = events
    }

    public var hasFilterPlugins: Bool { !filterPlugins.isEmpty }
    public var hasScorePlugins: Bool { !scorePlugins.isEmpty }

    // MARK: PreFilter

    /// Runs every PreFilter; stops at the first rejection. Returns the merged node narrowing,
    /// the status, and the plugins that rejected or narrowed.
    public func runPreFilter(state: inout CycleState, pod: PodInfo, snapshot: Snapshot)
        -> (result: PreFilterResult, status: Status, rejectors: Set<String>)
    {
        var merged = PreFilterResult.allNodes
        var narrowers: Set<String> = []
        for plugin in preFilterPlugins {
            let (result, status) = plugin.preFilter(state: &state, pod: pod, snapshot: snapshot)
            switch status.code {
            case .skip:
                state.skippedFilterPlugins.insert(plugin.name)
                continue
            case .success:
                break
            default:
                return (merged, status.from(plugin: plugin.name), [plugin.name])
            }
            if result.nodeNames != nil {
                merged = merged.merged(with: result)
                narrowers.insert(plugin.name)
                if merged.nodeNames?.isEmpty == true {
                    let message = "node(s) didn't satisfy plugin(s) \(narrowers.sorted())"
                    return (merged, Status(.unschedulableAndUnresolvable, message, plugin: plugin.name), narrowers)
                }
            }
        }
        return (merged, .success, narrowers)
    }

    /// Tells every PreFilter plugin that `added` is on `node` now.
    public func runAddPod(state: inout CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo) {
        for plugin in preFilterPlugins where !state.skippedFilterPlugins.contains(plugin.name) {
            plugin.addPod(state: &state, pod: pod, added: added, node: node)
        }
    }

    /// Tells every PreFilter plugin that `removed` left `node`.
    public func runRemovePod(state: inout CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo) {
        for plugin in preFilterPlugins where !state.skippedFilterPlugins.contains(plugin.name) {
            plugin.removePod(state: &state, pod: pod, removed: removed, node: node)
        }
    }

    // MARK: Filter

    /// Runs the Filter plugins on one node; the first rejection wins.
    public func runFilter(state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        for plugin in filterPlugins where !state.skippedFilterPlugins.contains(plugin.name) {
            let status = plugin.filter(state: state, pod: pod, node: node)
            if !status.isSuccess { return status.from(plugin: plugin.name) }
        }
        return .success
    }

    /// Runs the filters twice when pods of equal or higher priority are nominated to the node:
    /// once with them counted (so they keep their room) and once without (so affinity to them
    /// is not assumed), as upstream's RunFilterPluginsWithNominatedPods.
    public func runFilterWithNominatedPods(state: CycleState, pod: PodInfo, node: NodeInfo,
                                           nominated: [PodInfo]) -> Status
    {
        let relevant = nominated.filter { $0.key != pod.key && $0.priority >= pod.priority }
        guard !relevant.isEmpty else { return runFilter(state: state, pod: pod, node: node) }
        var withNominated = node
        var stateWithNominated = state
        for other in relevant {
            let placed = other.nodeName == node.name ? other : other.bound(to: node.name)
            withNominated.addPod(placed)
            runAddPod(state: &stateWithNominated, pod: pod, added: placed, node: withNominated)
        }
        let status = runFilter(state: stateWithNominated, pod: pod, node: withNominated)
        guard status.isSuccess else { return status }
        return runFilter(state: state, pod: pod, node: node)
    }

    // MARK: PostFilter

    public func runPostFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot, statuses: NodeToStatus)
        -> (PostFilterResult?, Status)
    {
        var lastStatus = Status(.unschedulable)
        var reasons: [String] = []
        for plugin in postFilterPlugins {
            let (result, status) = plugin.postFilter(state: state, pod: pod, snapshot: snapshot, statuses: statuses,
                                                     framework: self)
            if status.isSuccess { return (result, status.from(plugin: plugin.name)) }
            if !status.isRejected { return (result, status.from(plugin: plugin.name)) }
            reasons.append(contentsOf: status.reasons)
            lastStatus = Status(.unschedulable, reasons, plugin: plugin.name)
            if result.nominatedNodeName != nil { return (result, lastStatus) }
        }
        return (nil, lastStatus)
    }

    // MARK: Score

    public func runPreScore(state: inout CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: Snapshot) -> Status {
        for plugin in preScorePlugins {
            let status = plugin.preScore(state: &state, pod: pod, nodes: nodes, snapshot: snapshot)
            switch status.code {
            case .success: continue
            case .skip: state.skippedScorePlugins.insert(plugin.name)
            default: return status.from(plugin: plugin.name)
            }
        }
        return .success
    }

    /// Scores every node with every Score plugin, normalizes, weights, and sums per node.
    public func runScore(state: CycleState, pod: PodInfo, nodes: [NodeInfo]) -> [NodePluginScores] {
        var totals = nodes.map { NodePluginScores(name: $0.name) }
        for (plugin, weight) in scorePlugins where !state.skippedScorePlugins.contains(plugin.name) {
            var scores = nodes.map { NodeScore(name: $0.name, score: plugin.score(state: state, pod: pod, node: $0)) }
            if let normalizer = plugin as? any ScoreNormalizer {
                normalizer.normalizeScores(state: state, pod: pod, scores: &scores)
            }
            for index in totals.indices {
                let weighted = scores[index].score * weight
                totals[index].scores.append(PluginScore(plugin: plugin.name, score: weighted))
                totals[index].totalScore += weighted
            }
        }
        return totals
    }
}

/// One plugin's weighted score for a node.
public struct PluginScore: Sendable, Hashable {
    public var plugin: String
    public var score: Int64
}

/// A node's scores from every plugin and their sum.
public struct NodePluginScores: Sendable, Hashable {
    public var name: String
    public var scores: [PluginScore] = []
    public var totalScore: Int64 = 0
}
