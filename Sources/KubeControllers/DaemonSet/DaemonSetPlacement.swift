import KubeModel

/// Where a DaemonSet's pods belong (upstream's NodeShouldRunDaemonPod and daemon utilities): on
/// every node that its template's nodeName, nodeSelector and required node affinity admit and
/// whose NoSchedule/NoExecute taints the pod tolerates, with the tolerations every daemon pod
/// gets added. A pod already on a node may keep running there while it tolerates the node's
/// NoExecute taints.
enum DaemonSetPlacement {
    struct Verdict: Equatable {
        /// A daemon pod should be created on the node.
        var shouldRun: Bool
        /// A daemon pod already there may stay.
        var shouldContinueRunning: Bool
    }

    static let noSchedule = "NoSchedule"
    static let noExecute = "NoExecute"

    /// The tolerations every daemon pod carries, so node problems neither keep it off a node nor
    /// evict it: not-ready and unreachable (NoExecute), disk, memory and PID pressure and
    /// unschedulable (NoSchedule), and network-unavailable for host-network pods.
    static func defaultTolerations(hostNetwork: Bool) -> [CoreV1.Toleration] {
        var tolerations = [
            ("node.kubernetes.io/not-ready", noExecute), ("node.kubernetes.io/unreachable", noExecute),
            ("node.kubernetes.io/disk-pressure", noSchedule), ("node.kubernetes.io/memory-pressure", noSchedule),
            ("node.kubernetes.io/pid-pressure", noSchedule), ("node.kubernetes.io/unschedulable", noSchedule),
        ]
        if hostNetwork { tolerations.append(("node.kubernetes.io/network-unavailable", noSchedule)) }
        return tolerations.map { CoreV1.Toleration(effect: $0.1, key: $0.0, operator: "Exists") }
    }

    /// Adds the default tolerations, replacing a toleration of the same key, operator, value and
    /// effect (one with a tolerationSeconds, say) as upstream's AddOrUpdateTolerationInPodSpec.
    static func addDefaultTolerations(_ spec: inout CoreV1.PodSpec) {
        var tolerations = spec.tolerations ?? []
        for toleration in defaultTolerations(hostNetwork: spec.hostNetwork ?? false) {
            let same: (CoreV1.Toleration) -> Bool = {
                ($0.key ?? "") == toleration.key && ($0.operator ?? "") == toleration.operator
                    && ($0.value ?? "") == (toleration.value ?? "") && ($0.effect ?? "") == toleration.effect
            }
            if let index = tolerations.firstIndex(where: same) {
                tolerations[index] = toleration
            } else {
                tolerations.append(toleration)
            }
        }
        spec.tolerations = tolerations
    }

    /// Pins a pod to one node with a required node affinity on `metadata.name`, replacing any
    /// other required terms (the controller has already checked them), as upstream's
    /// ReplaceDaemonSetPodNodeNameNodeAffinity; the scheduler then binds it there.
    static func pin(_ spec: inout CoreV1.PodSpec, to nodeName: String) {
        let term = CoreV1.NodeSelectorTerm(matchFields: [
            CoreV1.NodeSelectorRequirement(key: "metadata.name", operator: "In", values: [nodeName]),
        ])
        var affinity = spec.affinity ?? CoreV1.Affinity()
        var nodeAffinity = affinity.nodeAffinity ?? CoreV1.NodeAffinity()
        nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = CoreV1.NodeSelector(nodeSelectorTerms: [term])
        affinity.nodeAffinity = nodeAffinity
        spec.affinity = affinity
    }

    /// The node a daemon pod is on, or pinned to while unscheduled.
    static func targetNode(of pod: CoreV1.Pod) -> String? {
        if let nodeName = pod.spec.nodeName, !nodeName.isEmpty { return nodeName }
        let terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []
        for term in terms {
            for field in term.matchFields ?? [] where field.key == "metadata.name" && field.operator == "In" {
                return field.values?.count == 1 ? field.values?.first : nil
            }
        }
        return nil
    }

    /// Whether the set's pods should run, or may keep running, on `node`.
    static func verdict(_ template: CoreV1.PodTemplateSpec, on node: CoreV1.Node) -> Verdict {
        var spec = template.spec ?? CoreV1.PodSpec()
        addDefaultTolerations(&spec)
        let nodeName = node.metadata.name ?? ""
        if let wanted = spec.nodeName, !wanted.isEmpty, wanted != nodeName { return Verdict(shouldRun: false, shouldContinueRunning: false) }
        guard admits(spec, node) else { return Verdict(shouldRun: false, shouldContinueRunning: false) }
        let untolerated = (node.spec.taints ?? []).filter { taint in
            (taint.effect == noSchedule || taint.effect == noExecute)
                && !(spec.tolerations ?? []).contains { tolerates($0, taint) }
        }
        if untolerated.isEmpty { return Verdict(shouldRun: true, shouldContinueRunning: true) }
        return Verdict(shouldRun: false, shouldContinueRunning: !untolerated.contains { $0.effect == noExecute })
    }

    /// The pod's nodeSelector and required node affinity admit the node.
    static func admits(_ spec: CoreV1.PodSpec, _ node: CoreV1.Node) -> Bool {
        let labels = node.metadata.labels ?? [:]
        if !(spec.nodeSelector ?? [:]).allSatisfy({ labels[$0.key] == $0.value }) { return false }
        guard let required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution else { return true }
        return required.nodeSelectorTerms.contains { term in
            let expressions = term.matchExpressions ?? [], fields = term.matchFields ?? []
            guard !expressions.isEmpty || !fields.isEmpty else { return false }
            return expressions.allSatisfy { matches($0, labels[$0.key]) }
                && fields.allSatisfy { $0.key == "metadata.name" && matches($0, node.metadata.name) }
        }
    }

    /// One node selector requirement against a value (nil when the label is absent).
    static func matches(_ requirement: CoreV1.NodeSelectorRequirement, _ value: String?) -> Bool {
        let values = requirement.values ?? []
        switch requirement.operator {
        case "In": return value.map(values.contains) ?? false
        case "NotIn": return !(value.map(values.contains) ?? false)
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        case "Gt", "Lt":
            guard values.count == 1, let bound = Int64(values[0]), let number = value.flatMap({ Int64($0) }) else { return false }
            return requirement.operator == "Gt" ? number > bound : number < bound
        default: return false
        }
    }

    /// Upstream's ToleratesTaint: empty effect and key match any; Exists ignores the value;
    /// Equal (or no operator) compares it.
    static func tolerates(_ toleration: CoreV1.Toleration, _ taint: CoreV1.Taint) -> Bool {
        if let effect = toleration.effect, !effect.isEmpty, effect != taint.effect { return false }
        if let key = toleration.key, !key.isEmpty, key != taint.key { return false }
        switch toleration.operator ?? "" {
        case "", "Equal": return (toleration.value ?? "") == (taint.value ?? "")
        case "Exists": return true
        default: return false
        }
    }
}
