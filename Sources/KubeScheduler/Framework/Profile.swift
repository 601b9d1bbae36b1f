import KubeModel

/// What the scheduler's surroundings supply to plugins, as functions so the plugins stay free
/// of I/O: the wiring passes informer-backed lookups, tests pass fixed data.
public struct PluginHandle: Sendable {
    /// The labels of a namespace (for namespaceSelector in pod affinity); nil when unknown.
    public var namespaceLabels: @Sendable (String) -> [String: String]?
    /// The PodDisruptionBudgets preemption must respect.
    public var podDisruptionBudgets: @Sendable () -> [PolicyV1.PodDisruptionBudget]
    /// Whether the pod's bound volumes can be reached from a node (VolumeBinding).
    public var volumeChecker: VolumeChecker?

    public init(
        namespaceLabels: @escaping @Sendable (String) -> [String: String]? = { _ in nil },
        podDisruptionBudgets: @escaping @Sendable () -> [PolicyV1.PodDisruptionBudget] = { [] },
        volumeChecker: VolumeChecker? = nil
    ) {
        self.namespaceLabels = namespaceLabels
        self.podDisruptionBudgets = podDisruptionBudgets
        self.volumeChecker = volumeChecker
    }
}

/// Plugin settings a profile may give (upstream's per-plugin args).
public enum PluginArguments: Sendable {
    case nodeResourcesFit(ScoringStrategy)
    case balancedAllocation(resources: [ResourceWeight])
    case interPodAffinity(hardPodAffinityWeight: Int)
    case defaultPreemption(minCandidateNodesPercentage: Int, minCandidateNodesAbsolute: Int)
}

/// One plugin of a profile: its name in the registry, its score weight, its arguments.
public struct PluginConfig: Sendable {
    public var name: String
    public var weight: Int
    public var arguments: PluginArguments?

    public init(_ name: String, weight: Int = 1, arguments: PluginArguments? = nil) {
        self.name = name
        self.weight = weight
        self.arguments = arguments
    }
}

/// A scheduling profile (upstream's KubeSchedulerProfile): the scheduler name pods select it
/// by, and its plugins in the order they run at every extension point they implement.
public struct Profile: Sendable {
    public var schedulerName: String
    public var plugins: [PluginConfig]
    /// Percentage of nodes to find feasible before scoring; nil is upstream's adaptive default.
    public var percentageOfNodesToScore: Int?

    public init(schedulerName: String = Profile.defaultSchedulerName, plugins: [PluginConfig],
                percentageOfNodesToScore: Int? = nil) {
        self.schedulerName = schedulerName
        self.plugins = plugins
        self.percentageOfNodesToScore = percentageOfNodesToScore
    }

    public static let defaultSchedulerName = "default-scheduler"

    /// Upstream's default profile (v1 config): plugin order and score weights.
    public static let `default` = Profile(plugins: [
        PluginConfig(NodeUnschedulable.pluginName),
        PluginConfig(NodeName.pluginName),
        PluginConfig(TaintToleration.pluginName, weight: 3),
        PluginConfig(NodeAffinity.pluginName, weight: 2),
        PluginConfig(NodePorts.pluginName),
        PluginConfig(NodeResourcesFit.pluginName, weight: 1),
        PluginConfig(VolumeBinding.pluginName),
        PluginConfig(PodTopologySpread.pluginName, weight: 2),
        PluginConfig(InterPodAffinity.pluginName, weight: 2),
        PluginConfig(DefaultPreemption.pluginName),
        PluginConfig(BalancedAllocation.pluginName, weight: 1),
    ])
}

/// Plugin names mapped to constructors (upstream's Registry).
public struct PluginRegistry: Sendable {
    public typealias Factory = @Sendable (PluginArguments?, PluginHandle) throws(SchedulerConfigError) -> any Plugin

    public private(set) var factories: [String: Factory]

    public init(_ factories: [String: Factory] = [:]) { self.factories = factories }

    public mutating func register(_ name: String, _ factory: @escaping Factory) throws(SchedulerConfigError) {
        if factories[name] != nil { throw .duplicatePlugin(name) }
        factories[name] = factory
    }

    /// Every plugin in this module.
    public static let inTree = PluginRegistry([
        NodeUnschedulable.pluginName: { _, _ in NodeUnschedulable() },
        NodeName.pluginName: { _, _ in NodeName() },
        TaintToleration.pluginName: { _, _ in TaintToleration() },
        NodeAffinity.pluginName: { _, _ in NodeAffinity() },
        NodePorts.pluginName: { _, _ in NodePorts() },
        NodeResourcesFit.pluginName: { arguments, _ throws(SchedulerConfigError) in
            guard case .nodeResourcesFit(let strategy)? = arguments else {
                if arguments != nil { throw .invalidArguments(NodeResourcesFit.pluginName) }
                return NodeResourcesFit()
            }
            return NodeResourcesFit(strategy: strategy)
        },
        BalancedAllocation.pluginName: { arguments, _ throws(SchedulerConfigError) in
            guard case .balancedAllocation(let resources)? = arguments else {
                if arguments != nil { throw .invalidArguments(BalancedAllocation.pluginName) }
                return BalancedAllocation()
            }
            return BalancedAllocation(resources: resources)
        },
        VolumeBinding.pluginName: { _, handle in VolumeBinding(checker: handle.volumeChecker) },
        PodTopologySpread.pluginName: { _, _ in PodTopologySpread() },
        InterPodAffinity.pluginName: { arguments, handle throws(SchedulerConfigError) in
            guard case .interPodAffinity(let weight)? = arguments else {
                if arguments != nil { throw .invalidArguments(InterPodAffinity.pluginName) }
                return InterPodAffinity(namespaceLabels: handle.namespaceLabels)
            }
            return InterPodAffinity(namespaceLabels: handle.namespaceLabels, hardPodAffinityWeight: weight)
        },
        DefaultPreemption.pluginName: { arguments, handle throws(SchedulerConfigError) in
            guard case .defaultPreemption(let percentage, let absolute)? = arguments else {
                if arguments != nil { throw .invalidArguments(DefaultPreemption.pluginName) }
                return DefaultPreemption(podDisruptionBudgets: handle.podDisruptionBudgets)
            }
            return DefaultPreemption(podDisruptionBudgets: handle.podDisruptionBudgets,
                                     minCandidateNodesPercentage: percentage, minCandidateNodesAbsolute: absolute)
        },
    ])
}

public enum SchedulerConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownPlugin(String)
    case duplicatePlugin(String)
    case invalidArguments(String)
    case invalidWeight(String)

    public var description: String {
        switch self {
        case .unknownPlugin(let name): return "plugin \(name) is not registered"
        case .duplicatePlugin(let name): return "a plugin named \(name) already exists"
        case .invalidArguments(let name): return "invalid arguments for plugin \(name)"
        case .invalidWeight(let name): return "score plugin \(name) needs a weight between 1 and 100"
        }
    }
}
