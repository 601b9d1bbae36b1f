import KubeModel

/// Taint and toleration matching as upstream's v1 helpers.
public enum Tolerations {
    public static let effectNoSchedule = "NoSchedule"
    public static let effectPreferNoSchedule = "PreferNoSchedule"
    public static let effectNoExecute = "NoExecute"

    /// Whether one toleration tolerates one taint: effects and keys match when the
    /// toleration's are empty or equal; Exists ignores the value, Equal (or empty) compares it.
    public static func tolerates(_ toleration: CoreV1.Toleration, _ taint: CoreV1.Taint) -> Bool {
        if let effect = toleration.effect, !effect.isEmpty, effect != taint.effect { return false }
        if let key = toleration.key, !key.isEmpty, key != taint.key { return false }
        switch toleration.operator ?? "" {
        case "", "Equal": return (toleration.value ?? "") == (taint.value ?? "")
        case "Exists": return true
        default: return false
        }
    }

    public static func tolerated(_ taint: CoreV1.Taint, by tolerations: [CoreV1.Toleration]) -> Bool {
        tolerations.contains { tolerates($0, taint) }
    }

    /// The first taint with a NoSchedule or NoExecute effect that no toleration tolerates.
    public static func firstUntoleratedScheduleTaint(_ taints: [CoreV1.Taint], _ tolerations: [CoreV1.Toleration])
        -> CoreV1.Taint?
    {
        taints.first {
            ($0.effect == effectNoSchedule || $0.effect == effectNoExecute) && !tolerated($0, by: tolerations)
        }
    }
}

/// Node selector terms as upstream's nodeaffinity helpers evaluate them.
public enum NodeSelectorMatching {
    /// Terms are ORed; a term's expressions and fields are ANDed; a term with neither matches
    /// nothing, and so does an empty term list.
    public static func matches(_ terms: [CoreV1.NodeSelectorTerm], node: NodeInfo) -> Bool {
        terms.contains { matches($0, node: node) }
    }

    public static func matches(_ term: CoreV1.NodeSelectorTerm, node: NodeInfo) -> Bool {
        let expressions = term.matchExpressions ?? []
        let fields = term.matchFields ?? []
        if expressions.isEmpty && fields.isEmpty { return false }
        let labels = node.labels
        for requirement in expressions where !matches(requirement, value: labels[requirement.key]) { return false }
        for requirement in fields {
            guard requirement.key == "metadata.name" else { return false }
            guard requirement.operator == "In" || requirement.operator == "NotIn", (requirement.values ?? []).count == 1
            else { return false }
            if !matches(requirement, value: node.name) { return false }
        }
        return true
    }

    /// One requirement against a label value (nil when the label is absent). Invalid
    /// requirements match nothing.
    public static func matches(_ requirement: CoreV1.NodeSelectorRequirement, value: String?) -> Bool {
        let values = requirement.values ?? []
        switch requirement.operator {
        case "In":
            guard let value, !values.isEmpty else { return false }
            return values.contains(value)
        case "NotIn":
            guard !values.isEmpty else { return false }
            guard let value else { return true }
            return !values.contains(value)
        case "Exists":
            return values.isEmpty && value != nil
        case "DoesNotExist":
            return values.isEmpty && value == nil
        case "Gt", "Lt":
            guard values.count == 1, let bound = Int64(values[0]), let value, let number = Int64(value) else {
                return false
            }
            return requirement.operator == "Gt" ? number > bound : number < bound
        default:
            return false
        }
    }

    /// The node names a required affinity pins the pod to through `matchFields`
    /// `metadata.name In […]` in every term (upstream's PreFilter shortcut), or nil when some
    /// term does not pin. An empty set means the terms conflict.
    static func pinnedNodeNames(_ terms: [CoreV1.NodeSelectorTerm]) -> Set<String>? {
        var names: Set<String> = []
        for term in terms {
            var termNames: Set<String>?
            for field in term.matchFields ?? [] where field.key == "metadata.name" && field.operator == "In" {
                let values = Set(field.values ?? [])
                termNames = termNames.map { $0.intersection(values) } ?? values
            }
            guard let termNames else { return nil }
            names.formUnion(termNames)
        }
        return terms.isEmpty ? nil : names
    }
}

/// The pod's own node constraints: `spec.nodeSelector` and required node affinity together
/// (upstream's RequiredNodeAffinity).
public struct RequiredNodeAffinity: Sendable {
    public var nodeSelector: [String: String]
    public var terms: [CoreV1.NodeSelectorTerm]?

    public init(_ pod: CoreV1.Pod) {
        nodeSelector = pod.spec.nodeSelector ?? [:]
        terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
    }

    public func matches(_ node: NodeInfo) -> Bool {
        let labels = node.labels
        for (key, value) in nodeSelector where labels[key] != value { return false }
        guard let terms else { return true }
        return NodeSelectorMatching.matches(terms, node: node)
    }
}
