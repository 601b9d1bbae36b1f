import KubeModel

/// Why a node cannot use a pod's volumes (upstream's VolumeBinding reasons).
public enum VolumeConflict: String, Sendable, Hashable, CaseIterable {
    case bindConflict = "node(s) didn't find available persistent volumes to bind"
    case nodeConflict = "node(s) had volume node affinity conflict"
    case notEnoughSpace = "node(s) did not have enough free storage"
    case pvNotExist = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"
}

/// The questions VolumeBinding asks its surroundings (claims and volumes live in informers).
public struct VolumeChecker: Sendable {
    /// Once per cycle: nil when the claims can be used at all, else why not (for example
    /// `persistentvolumeclaim "data" not found`); such a pod fits nowhere.
    public var checkClaims: @Sendable (_ pod: PodInfo, _ claimNames: [String]) -> String?
    /// Per node: what keeps the claims' volumes from being used there; empty when nothing.
    public var checkNode: @Sendable (_ pod: PodInfo, _ claimNames: [String], _ node: NodeInfo) -> [VolumeConflict]

    public init(
        checkClaims: @escaping @Sendable (_ pod: PodInfo, _ claimNames: [String]) -> String? = { _, _ in nil },
        checkNode: @escaping @Sendable (_ pod: PodInfo, _ claimNames: [String], _ node: NodeInfo) -> [VolumeConflict]
    ) {
        self.checkClaims = checkClaims
        self.checkNode = checkNode
    }

    /// Whether a bound PersistentVolume's node affinity admits `node`; a volume without one
    /// is reachable everywhere. A building block for `checkNode`.
    public static func volume(_ volume: CoreV1.PersistentVolume, isReachableFrom node: NodeInfo) -> Bool {
        guard let required = volume.spec.nodeAffinity?.required else { return true }
        return NodeSelectorMatching.matches(required.nodeSelectorTerms, node: node)
    }
}

/// Rejects nodes from which the pod's persistent volume claims cannot be satisfied, asking an
/// injected `VolumeChecker`.
public struct VolumeBinding: PreFilterPlugin, FilterPlugin, EnqueueExtensions {
    public static let pluginName = "VolumeBinding"
    public var name: String { Self.pluginName }
    public let checker: VolumeChecker?

    public init(checker: VolumeChecker?) { self.checker = checker }

    struct FilterState: Sendable {
        var claimNames: [String]
    }

    /// The claims a pod uses: its persistentVolumeClaim volumes and, for generic ephemeral
    /// volumes, the `<pod>-<volume>` claims created for them.
    public static func claimNames(of pod: CoreV1.Pod) -> [String] {
        (pod.spec.volumes ?? []).compactMap { volume in
            if let claim = volume.persistentVolumeClaim { return claim.claimName }
            if volume.ephemeral != nil { return "\(pod.metadata.name ?? "")-\(volume.name)" }
            return nil
        }
    }

    public func preFilter(state: inout CycleState, pod: PodInfo, snapshot: Snapshot) -> (PreFilterResult, Status) {
        let claims = Self.claimNames(of: pod.pod)
        guard let checker, !claims.isEmpty else { return (.allNodes, .skip) }
        if let problem = checker.checkClaims(pod, claims) { return (.allNodes, .unresolvable(problem)) }
        state.write(FilterState(claimNames: claims))
        return (.allNodes, .success)
    }

    public func filter(state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        guard let checker, let claims = state.read(FilterState.self)?.claimNames else { return .success }
        let conflicts = checker.checkNode(pod, claims, node)
        if conflicts.isEmpty { return .success }
        return Status(.unschedulableAndUnresolvable, conflicts.map(\.rawValue))
    }

    public var events: [ClusterEvent] {
        [
            ClusterEvent(.persistentVolumeClaim, [.add, .update]),
            ClusterEvent(.persistentVolume, [.add, .update]),
            ClusterEvent(.storageClass, [.add, .update]),
            ClusterEvent(.csiNode, [.add, .update]),
            ClusterEvent(.node, [.add, .updateNodeLabel, .updateNodeTaint]),
        ]
    }
}
