import KubeModel

/// A change in the cluster that may make unschedulable pods schedulable (upstream's
/// framework.ClusterEvent): a kind of object and what happened to it.
public struct ClusterEvent: Sendable, Hashable, CustomStringConvertible {
    public enum Resource: String, Sendable, Hashable {
        /// Any pod; as a registration it covers assigned and unscheduled pods.
        case pod = "Pod"
        /// A pod bound to a node.
        case assignedPod = "AssignedPod"
        /// A pod not bound yet (the pod being scheduled itself, updated).
        case unscheduledPod = "UnscheduledPod"
        case node = "Node"
        case persistentVolume = "PersistentVolume"
        case persistentVolumeClaim = "PersistentVolumeClaim"
        case storageClass = "StorageClass"
        case csiNode = "CSINode"
        case namespace = "Namespace"
        /// Matches every resource.
        case wildcard = "*"
    }

    public struct ActionType: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let add = ActionType(rawValue: 1 << 0)
        public static let delete = ActionType(rawValue: 1 << 1)
        public static let updateNodeAllocatable = ActionType(rawValue: 1 << 2)
        public static let updateNodeLabel = ActionType(rawValue: 1 << 3)
        public static let updateNodeTaint = ActionType(rawValue: 1 << 4)
        public static let updateNodeCondition = ActionType(rawValue: 1 << 5)
        public static let updateNodeAnnotation = ActionType(rawValue: 1 << 6)
        public static let updatePodLabel = ActionType(rawValue: 1 << 7)
        public static let updatePodScaleDown = ActionType(rawValue: 1 << 8)
        public static let updatePodToleration = ActionType(rawValue: 1 << 9)
        public static let updatePodSchedulingGatesEliminated = ActionType(rawValue: 1 << 10)
        /// Any other update.
        public static let updateOther = ActionType(rawValue: 1 << 11)

        public static let update: ActionType = [
            .updateNodeAllocatable, .updateNodeLabel, .updateNodeTaint, .updateNodeCondition, .updateNodeAnnotation,
            .updatePodLabel, .updatePodScaleDown, .updatePodToleration, .updatePodSchedulingGatesEliminated,
            .updateOther,
        ]
        public static let all: ActionType = [.add, .delete, .update]
    }

    public var resource: Resource
    public var actionType: ActionType
    /// A name for logs and for special events.
    public var label: String

    public init(_ resource: Resource, _ actionType: ActionType, label: String? = nil) {
        self.resource = resource
        self.actionType = actionType
        self.label = label ?? "\(resource.rawValue)\(actionType.rawValue)"
    }

    public var description: String { label }

    /// Pods stuck unschedulable too long are retried regardless of events.
    public static let unschedulableTimeout = ClusterEvent(.wildcard, .all, label: "UnschedulableTimeout")
    /// Forces every unschedulable pod to be retried.
    public static let forceActivate = ClusterEvent(.wildcard, .all, label: "ForceActivate")

    public static let nodeAdd = ClusterEvent(.node, .add, label: "NodeAdd")
    public static let nodeDelete = ClusterEvent(.node, .delete, label: "NodeDelete")
    public static let assignedPodAdd = ClusterEvent(.assignedPod, .add, label: "AssignedPodAdd")
    public static let assignedPodDelete = ClusterEvent(.assignedPod, .delete, label: "AssignedPodDelete")

    /// Whether this event (something that happened) is one `registered` (what a plugin
    /// listens for) covers.
    public func isCovered(by registered: ClusterEvent) -> Bool {
        let resourceMatches = registered.resource == .wildcard || resource == .wildcard || registered.resource == resource
            || (registered.resource == .pod && (resource == .assignedPod || resource == .unscheduledPod))
        return resourceMatches && !registered.actionType.isDisjoint(with: actionType)
    }

    /// The event a node update is, by what changed (upstream's node update classification).
    public static func nodeUpdate(old: CoreV1.Node, new: CoreV1.Node) -> ClusterEvent {
        var actions: ActionType = []
        if old.status.allocatable != new.status.allocatable { actions.insert(.updateNodeAllocatable) }
        if old.metadata.labels != new.metadata.labels { actions.insert(.updateNodeLabel) }
        if old.spec.taints != new.spec.taints || old.spec.unschedulable != new.spec.unschedulable {
            actions.insert(.updateNodeTaint)
        }
        if old.status.conditions?.map({ [$0.type, $0.status] }) != new.status.conditions?.map({ [$0.type, $0.status] }) {
            actions.insert(.updateNodeCondition)
        }
        if old.metadata.annotations != new.metadata.annotations { actions.insert(.updateNodeAnnotation) }
        if actions.isEmpty { actions = .updateOther }
        return ClusterEvent(.node, actions, label: "NodeUpdate")
    }

    /// The event an assigned pod's update is, by what changed.
    public static func assignedPodUpdate(old: CoreV1.Pod, new: CoreV1.Pod) -> ClusterEvent {
        var actions: ActionType = []
        if old.metadata.labels != new.metadata.labels { actions.insert(.updatePodLabel) }
        if PodRequests.compute(new.spec) != PodRequests.compute(old.spec) { actions.insert(.updatePodScaleDown) }
        if actions.isEmpty { actions = .updateOther }
        return ClusterEvent(.assignedPod, actions, label: "AssignedPodUpdate")
    }
}
