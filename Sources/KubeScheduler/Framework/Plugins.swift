import KubeModel

/// The highest score a Score plugin gives after normalization (upstream's MaxNodeScore).
public let maxNodeScore: Int64 = 100

/// A scheduling plugin. It implements only the extension points it needs by conforming to
/// their protocols below.
public protocol Plugin: Sendable {
    var name: String { get }
}

/// What a PreFilter may narrow the candidate nodes to (upstream's PreFilterResult); nil
/// `nodeNames` means every node.
public struct PreFilterResult: Sendable, Hashable {
    public var nodeNames: Set<String>?

    public init(nodeNames: Set<String>? = nil) { self.nodeNames = nodeNames }

    public static let allNodes = PreFilterResult()

    func merged(with other: PreFilterResult) -> PreFilterResult {
        switch (nodeNames, other.nodeNames) {
        case (nil, _): return other
        case (_, nil): return self
        case let (mine?, theirs?): return PreFilterResult(nodeNames: mine.intersection(theirs))
        }
    }
}

/// Runs once per cycle before Filter, computing state that Filter reads.
public protocol PreFilterPlugin: Plugin {
    func preFilter(state: inout CycleState, pod: PodInfo, snapshot: Snapshot) -> (PreFilterResult, Status)
    /// Updates the PreFilter state as if `added` were on `node` (preemption's what-if and
    /// nominated pods).
    func addPod(state: inout CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo)
    /// Updates the PreFilter state as if `removed` were gone from `node`.
    func removePod(state: inout CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo)
}

extension PreFilterPlugin {
    public func addPod(state: inout CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo) {}
    public func removePod(state: inout CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo) {}
}

/// Decides whether the pod may run on one node.
public protocol FilterPlugin: Plugin {
    func filter(state: CycleState, pod: PodInfo, node: NodeInfo) -> Status
}

/// Runs when no node passed Filter (preemption).
public protocol PostFilterPlugin: Plugin {
    func postFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot, statuses: NodeToStatus,
                    framework: Framework) -> (PostFilterResult, Status)
}

/// What a PostFilter decided: the node the pod is nominated to, and the pods to evict there.
public struct PostFilterResult: Sendable {
    public var nominatedNodeName: String?
    public var victims: [PodInfo]

    public init(nominatedNodeName: String? = nil, victims: [PodInfo] = []) {
        self.nominatedNodeName = nominatedNodeName
        self.victims = victims
    }
}

/// Runs once per cycle before Score, over the nodes that passed Filter.
public protocol PreScorePlugin: Plugin {
    func preScore(state: inout CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: Snapshot) -> Status
}

/// Ranks one feasible node; the raw score is normalized by `normalizeScores` when the plugin
/// also conforms to `ScoreNormalizer`, and must then lie in 0...maxNodeScore.
public protocol ScorePlugin: Plugin {
    func score(state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64
}

/// Rescales one plugin's raw scores over all scored nodes (upstream's NormalizeScore).
public protocol ScoreNormalizer: ScorePlugin {
    func normalizeScores(state: CycleState, pod: PodInfo, scores: inout [NodeScore])
}

/// One node's score from one plugin.
public struct NodeScore: Sendable, Hashable {
    public var name: String
    public var score: Int64

    public init(name: String, score: Int64) {
        self.name = name
        self.score = score
    }
}

/// The cluster events after which a pod this plugin rejected may fit (upstream's
/// EnqueueExtensions); the queue only requeues such a pod on these events.
public protocol EnqueueExtensions: Plugin {
    var events: [ClusterEvent] { get }
}

/// Upstream's DefaultNormalizeScore: scale to 0...maxScore by the highest score; reversed,
/// a node without any penalty gets the top score.
public func defaultNormalizeScores(_ scores: inout [NodeScore], maxScore: Int64 = maxNodeScore, reverse: Bool) {
    let highest = scores.map(\.score).max() ?? 0
    if highest == 0 {
        if reverse { for index in scores.indices { scores[index].score = maxScore } }
        return
    }
    for index in scores.indices {
        let scaled = maxScore * scores[index].score / highest
        scores[index].score = reverse ? maxScore - scaled : scaled
    }
}
