import Foundation
import KubeModel
import Synchronization

@testable import KubeScheduler

/// Builders for the objects scheduler tests need.
enum Make {
    static func node(
        _ name: String, cpu: String = "4", memory: String = "8Gi", pods: Int = 110, labels: [String: String] = [:],
        taints: [CoreV1.Taint] = [], unschedulable: Bool = false, extra: [String: Quantity] = [:]
    ) -> CoreV1.Node {
        var node = CoreV1.Node()
        node.metadata.name = name
        var allLabels = labels
        allLabels["kubernetes.io/hostname"] = allLabels["kubernetes.io/hostname"] ?? name
        node.metadata.labels = allLabels
        var allocatable: [String: Quantity] = ["cpu": Quantity(stringLiteral: cpu), "memory": Quantity(stringLiteral: memory),
                                               "pods": Quantity(value: Int64(pods)), "ephemeral-storage": "100Gi"]
        for (key, value) in extra { allocatable[key] = value }
        node.status.allocatable = allocatable
        node.spec.taints = taints.isEmpty ? nil : taints
        node.spec.unschedulable = unschedulable ? true : nil
        return node
    }

    static func pod(
        _ name: String, namespace: String = "default", cpu: String? = nil, memory: String? = nil,
        labels: [String: String] = [:], node: String? = nil, priority: Int? = nil,
        configure: (inout CoreV1.Pod) -> Void = { _ in }
    ) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.namespace = namespace
        pod.metadata.uid = "\(namespace)-\(name)"
        pod.metadata.labels = labels.isEmpty ? nil : labels
        var requests: [String: Quantity] = [:]
        if let cpu { requests["cpu"] = Quantity(stringLiteral: cpu) }
        if let memory { requests["memory"] = Quantity(stringLiteral: memory) }
        var container = CoreV1.Container(name: "main")
        if !requests.isEmpty { container.resources = CoreV1.ResourceRequirements(requests: requests) }
        pod.spec.containers = [container]
        pod.spec.nodeName = node
        pod.spec.priority = priority
        configure(&pod)
        return pod
    }

    static func container(_ name: String, cpu: String? = nil, memory: String? = nil, restartAlways: Bool = false)
        -> CoreV1.Container
    {
        var container = CoreV1.Container(name: name)
        var requests: [String: Quantity] = [:]
        if let cpu { requests["cpu"] = Quantity(stringLiteral: cpu) }
        if let memory { requests["memory"] = Quantity(stringLiteral: memory) }
        if !requests.isEmpty { container.resources = CoreV1.ResourceRequirements(requests: requests) }
        if restartAlways { container.restartPolicy = "Always" }
        return container
    }

    static func taint(_ key: String, _ value: String? = nil, _ effect: String = "NoSchedule") -> CoreV1.Taint {
        CoreV1.Taint(effect: effect, key: key, value: value)
    }

    static func toleration(_ key: String?, _ op: String? = nil, _ value: String? = nil, _ effect: String? = nil)
        -> CoreV1.Toleration
    {
        CoreV1.Toleration(effect: effect, key: key, operator: op, value: value)
    }

    static func selector(_ labels: [String: String]) -> MetaV1.LabelSelector {
        MetaV1.LabelSelector(matchLabels: labels)
    }

    static func term(_ labels: [String: String], topologyKey: String, namespaces: [String]? = nil,
                     namespaceSelector: MetaV1.LabelSelector? = nil) -> CoreV1.PodAffinityTerm
    {
        CoreV1.PodAffinityTerm(labelSelector: selector(labels), namespaceSelector: namespaceSelector,
                               namespaces: namespaces, topologyKey: topologyKey)
    }

    static func requirement(_ key: String, _ op: String, _ values: [String]? = nil) -> CoreV1.NodeSelectorRequirement {
        CoreV1.NodeSelectorRequirement(key: key, operator: op, values: values)
    }
}

/// Runs one plugin (or a profile) the way the framework does.
enum Run {
    static func framework(_ plugins: [String], handle: PluginHandle = PluginHandle(),
                          arguments: [String: PluginArguments] = [:]) -> Framework
    {
        try! Framework(profile: Profile(plugins: plugins.map { PluginConfig($0, arguments: arguments[$0]) }),
                       handle: handle)
    }

    static func setUp(_ plugin: String, pod: CoreV1.Pod, nodes: [CoreV1.Node], pods: [CoreV1.Pod],
                      handle: PluginHandle, arguments: PluginArguments?) -> (Framework, Snapshot, PodInfo)
    {
        (framework([plugin], handle: handle, arguments: arguments.map { [plugin: $0] } ?? [:]),
         Snapshot(nodes: nodes, pods: pods), PodInfo(pod))
    }

    /// PreFilter then Filter on every node; the status per node (the PreFilter rejection for
    /// every node when PreFilter rejects).
    static func filter(_ plugin: String, pod: CoreV1.Pod, nodes: [CoreV1.Node], pods: [CoreV1.Pod] = [],
                       handle: PluginHandle = PluginHandle(), arguments: PluginArguments? = nil) -> [String: Status]
    {
        let (framework, snapshot, podInfo) = setUp(plugin, pod: pod, nodes: nodes, pods: pods, handle: handle,
                                                   arguments: arguments)
        var state = CycleState()
        let (result, status, _) = framework.runPreFilter(state: &state, pod: podInfo, snapshot: snapshot)
        var statuses: [String: Status] = [:]
        for node in snapshot.nodes {
            if !status.isSuccess {
                statuses[node.name] = status
            } else if let names = result.nodeNames, !names.contains(node.name) {
                statuses[node.name] = Status(.unschedulableAndUnresolvable, "not in PreFilter result")
            } else {
                statuses[node.name] = framework.runFilter(state: state, pod: podInfo, node: node)
            }
        }
        return statuses
    }

    /// PreScore, Score and NormalizeScore of one plugin (weight 1) over all the nodes.
    static func score(_ plugin: String, pod: CoreV1.Pod, nodes: [CoreV1.Node], pods: [CoreV1.Pod] = [],
                      handle: PluginHandle = PluginHandle(), arguments: PluginArguments? = nil) -> [String: Int64]
    {
        let (framework, snapshot, podInfo) = setUp(plugin, pod: pod, nodes: nodes, pods: pods, handle: handle,
                                                   arguments: arguments)
        var state = CycleState()
        _ = framework.runPreFilter(state: &state, pod: podInfo, snapshot: snapshot)
        _ = framework.runPreScore(state: &state, pod: podInfo, nodes: snapshot.nodes, snapshot: snapshot)
        let scores = framework.runScore(state: state, pod: podInfo, nodes: snapshot.nodes)
        return Dictionary(uniqueKeysWithValues: scores.map { ($0.name, $0.totalScore) })
    }
}

/// A deterministic random source (SplitMix64).
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// A clock tests move by hand.
final class ManualClock: SchedulerClock {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_000_000)) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

extension Status {
    var summary: String { isSuccess ? "ok" : message }
}
