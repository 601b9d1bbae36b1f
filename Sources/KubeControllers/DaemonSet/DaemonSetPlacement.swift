import KubeModel
import KubeScheduler

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

    /// Whether the set's pods should run, or may keep running, on `node`: the scheduler's own
    /// node affinity and taint checks on the pod the set would create.
    static func verdict(_ template: CoreV1.PodTemplateSpec, on node: CoreV1.Node) -> Verdict {
        var pod = CoreV1.Pod()
        pod.spec = template.spec ?? CoreV1.PodSpec()
        addDefaultTolerations(&pod.spec)
        if let wanted = pod.spec.nodeName, !wanted.isEmpty, wanted != node.metadata.name {
            return Verdict(shouldRun: false, shouldContinueRunning: false)
        }
        guard RequiredNodeAffinity(pod).matches(NodeInfo(node: node)) else {
            return Verdict(shouldRun: false, shouldContinueRunning: false)
        }
        let tolerations = pod.spec.tolerations ?? []
        let untolerated = (node.spec.taints ?? []).filter { taint in
            (taint.effect == noSchedule || taint.effect == noExecute) && !Tolerations.tolerated(taint, by: tolerations)
        }
        if untolerated.isEmpty { return Verdict(shouldRun: true, shouldContinueRunning: true) }
        return Verdict(shouldRun: false, shouldContinueRunning: !untolerated.contains { $0.effect == noExecute })
    }
}
