/// Why a cycle found no node (upstream's framework.Diagnosis).
public struct Diagnosis: Sendable {
    public var nodeToStatus: NodeToStatus
    /// Plugins that rejected the pod somewhere; the queue requeues it on their events.
    public var unschedulablePlugins: Set<String>
    /// The PreFilter rejection, when a PreFilter rejected the pod for every node.
    public var preFilterMessage: String?
    /// What PostFilter (preemption) said.
    public var postFilterMessage: String?

    public init(nodeToStatus: NodeToStatus = NodeToStatus(), unschedulablePlugins: Set<String> = [],
                preFilterMessage: String? = nil, postFilterMessage: String? = nil) {
        self.nodeToStatus = nodeToStatus
        self.unschedulablePlugins = unschedulablePlugins
        self.preFilterMessage = preFilterMessage
        self.postFilterMessage = postFilterMessage
    }
}

/// No node fits the pod (upstream's FitError). `message` is upstream's text, e.g.
/// `0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {…}.
/// preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`
public struct FitError: Error, Sendable, CustomStringConvertible {
    public var podKey: String
    public var numAllNodes: Int
    public var diagnosis: Diagnosis
    /// Set when preemption nominated a node: the pod should wait for these victims to go.
    public var nominatedNodeName: String?
    public var victims: [PodInfo]

    public init(podKey: String, numAllNodes: Int, diagnosis: Diagnosis, nominatedNodeName: String? = nil,
                victims: [PodInfo] = []) {
        self.podKey = podKey
        self.numAllNodes = numAllNodes
        self.diagnosis = diagnosis
        self.nominatedNodeName = nominatedNodeName
        self.victims = victims
    }

    public var description: String { message }

    public var message: String {
        var text = "0/\(numAllNodes) nodes are available:"
        if let preFilter = diagnosis.preFilterMessage, !preFilter.isEmpty {
            text += Self.sentence(preFilter)
        } else {
            let histogram = Self.reasonHistogram(diagnosis.nodeToStatus, numAllNodes: numAllNodes)
            if !histogram.isEmpty { text += Self.sentence(histogram.joined(separator: ", ")) }
        }
        if let postFilter = diagnosis.postFilterMessage, !postFilter.isEmpty {
            text += Self.sentence(postFilter)
        }
        return text
    }

    /// " <text>." without doubling a final period.
    static func sentence(_ text: String) -> String {
        text.hasSuffix(".") ? " " + text : " " + text + "."
    }

    /// "<count> <reason>" per distinct reason, sorted as strings (as upstream's sort.Strings):
    /// explicit statuses count once per node, the absent status for every node not listed.
    static func reasonHistogram(_ statuses: NodeToStatus, numAllNodes: Int) -> [String] {
        var counts: [String: Int] = [:]
        for status in statuses.statuses.values {
            for reason in status.reasons { counts[reason, default: 0] += 1 }
        }
        if statuses.count < numAllNodes, let absent = statuses.absentStatus {
            for reason in absent.reasons { counts[reason, default: 0] += numAllNodes - statuses.count }
        }
        return counts.map { "\($0.value) \($0.key)" }.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
    }
}
