import KubeModel

/// Rejects cordoned nodes unless the pod tolerates `node.kubernetes.io/unschedulable:NoSchedule`.
public struct NodeUnschedulable: FilterPlugin, EnqueueExtensions {
    public static let pluginName = "NodeUnschedulable"
    public static let reason = "node(s) were unschedulable"
    public var name: String { Self.pluginName }

    public init() {}

    public func filter(state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        guard node.isUnschedulable else { return .success }
        let taint = CoreV1.Taint(effect: Tolerations.effectNoSchedule, key: "node.kubernetes.io/unschedulable")
        if Tolerations.tolerated(taint, by: pod.tolerations) { return .success }
        return .unresolvable(Self.reason)
    }

    public var events: [ClusterEvent] {
        [ClusterEvent(.node, [.add, .updateNodeTaint]), ClusterEvent(.unscheduledPod, .updatePodToleration)]
    }
}

/// Rejects every node but the one `spec.nodeName` names, when it names one.
public struct NodeName: FilterPlugin, EnqueueExtensions {
    public static let pluginName = "NodeName"
    public static let reason = "node(s) didn't match the requested node name"
    public var name: String { Self.pluginName }

    public init() {}

    public func filter(state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        let wanted = pod.pod.spec.nodeName ?? ""
        return wanted.isEmpty || wanted == node.name ? .success : .unresolvable(Self.reason)
    }

    public var events: [ClusterEvent] { [ClusterEvent(.node, .add)] }
}

/// Rejects nodes with a NoSchedule or NoExecute taint the pod does not tolerate; scores nodes
/// by how many PreferNoSchedule taints the pod does not tolerate (fewer is better).
public struct TaintToleration: FilterPlugin, PreScorePlugin, ScoreNormalizer, EnqueueExtensions {
    public static let pluginName = "TaintToleration"
    public var name: String { Self.pluginName }

    public init() {}

    public func filter(state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        guard let taint = Tolerations.firstUntoleratedScheduleTaint(node.taints, pod.tolerations) else {
            return .success
        }
        return .unresolvable("node(s) had untolerated taint {\(taint.key): \(taint.value ?? "")}")
    }

    struct PreScoreState: Sendable {
        var preferNoScheduleTolerations: [CoreV1.Toleration]
    }

    public func preScore(state: inout CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: Snapshot) -> Status {
        let tolerations = pod.tolerations.filter {
            ($0.effect ?? "").isEmpty || $0.effect == Tolerations.effectPreferNoSchedule
        }
        state.write(PreScoreState(preferNoScheduleTolerations: tolerations))
        return .success
    }

    public func score(state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64 {
        let tolerations = state.read(PreScoreState.self)?.preferNoScheduleTolerations ?? pod.tolerations
        var untolerated: Int64 = 0
        for taint in node.taints where taint.effect == Tolerations.effectPreferNoSchedule {
            if !Tolerations.tolerated(taint, by: tolerations) { untolerated += 1 }
        }
        return untolerated
    }

    public func normalizeScores(state: CycleState, pod: PodInfo, scores: inout [NodeScore]) {
        defaultNormalizeScores(&scores, reverse: true)
    }

    public var events: [ClusterEvent] {
        [ClusterEvent(.node, [.add, .updateNodeTaint]), ClusterEvent(.unscheduledPod, .updatePodToleration)]
    }
}

/// `spec.nodeSelector` and node affinity: required terms filter, preferred terms score.
public struct NodeAffinity: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScoreNormalizer, EnqueueExtensions {
    public static let pluginName = "NodeAffinity"
    public static let reason = "node(s) didn't match Pod's node affinity/selector"
    public static let conflictReason = "pod affinity terms conflict"
    public var name: String { Self.pluginName }

    public init() {}

    struct FilterState: Sendable {
        var required: RequiredNodeAffinity
    }

    public func preFilter(state: inout CycleState, pod: PodInfo, snapshot: Snapshot) -> (PreFilterResult, Status) {
        let required = RequiredNodeAffinity(pod.pod)
        if required.nodeSelector.isEmpty && required.terms == nil { return (.allNodes, .skip) }
        state.write(FilterState(required: required))
        guard let terms = required.terms else { return (.allNodes, .success) }
        if let names = NodeSelectorMatching.pinnedNodeNames(terms) {
            if names.isEmpty { return (.allNodes, .unresolvable(Self.conflictReason)) }
            return (PreFilterResult(nodeNames: names), .success)
        }
        return (.allNodes, .success)
    }

    public func filter(state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        let required = state.read(FilterState.self)?.required ?? RequiredNodeAffinity(pod.pod)
        return required.matches(node) ? .success : .unresolvable(Self.reason)
    }

    struct PreScoreState: Sendable {
        var preferred: [CoreV1.PreferredSchedulingTerm]
    }

    public func preScore(state: inout CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: Snapshot) -> Status {
        let preferred = pod.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
        if preferred.isEmpty { return .skip }
        state.write(PreScoreState(preferred: preferred))
        return .success
    }

    public func score(state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64 {
        let preferred = state.read(PreScoreState.self)?.preferred
            ?? pod.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
        var total: Int64 = 0
        for term in preferred where term.weight != 0 && NodeSelectorMatching.matches(term.preference, node: node) {
            total += Int64(term.weight)
        }
        return total
    }

    public func normalizeScores(state: CycleState, pod: PodInfo, scores: inout [NodeScore]) {
        defaultNormalizeScores(&scores, reverse: false)
    }

    public var events: [ClusterEvent] {
        [ClusterEvent(.node, [.add, .updateNodeLabel]), ClusterEvent(.unscheduledPod, .updateOther)]
    }
}

/// Rejects nodes where a host port the pod wants is taken.
public struct NodePorts: PreFilterPlugin, FilterPlugin, EnqueueExtensions {
    public static let pluginName = "NodePorts"
    public static let reason = "node(s) didn't have free ports for the requested pod ports"
    public var name: String { Self.pluginName }

    public init() {}

    public func preFilter(state: inout CycleState, pod: PodInfo, snapshot: Snapshot) -> (PreFilterResult, Status) {
        (.allNodes, pod.hostPorts.isEmpty ? .skip : .success)
    }

    public func filter(state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        let used = node.usedPorts
        if used.isEmpty { return .success }
        return pod.hostPorts.contains(where: used.conflicts) ? .unschedulable(Self.reason) : .success
    }

    public var events: [ClusterEvent] { [ClusterEvent(.assignedPod, .delete), ClusterEvent(.node, .add)] }
}
