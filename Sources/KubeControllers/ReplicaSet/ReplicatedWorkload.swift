import KubeModel

/// What the ReplicaSet controller needs of the kinds it manages: ReplicaSets and
/// ReplicationControllers (upstream runs the same controller for both).
public protocol ReplicatedWorkload: KubeObject {
    var desiredReplicas: Int { get }
    var podSelector: LabelSelector { get }
    var podTemplate: CoreV1.PodTemplateSpec? { get }
    var minReadySeconds: Int { get }
    var replicaStatus: ReplicaStatus { get set }
}

/// The status fields both kinds share.
public struct ReplicaStatus: Sendable, Equatable {
    public var replicas = 0
    public var fullyLabeledReplicas = 0
    public var readyReplicas = 0
    public var availableReplicas = 0
    public var terminatingReplicas = 0
    public var observedGeneration = 0
    /// The ReplicaFailure condition's message while pod creation or deletion fails.
    public var failure: String?
    /// The time the failure condition was last set, kept while it is unchanged.
    public var failureSince: Time?

    public init() {}
}

extension AppsV1.ReplicaSet: ReplicatedWorkload {
    public var desiredReplicas: Int { spec.replicas ?? 1 }
    public var podSelector: LabelSelector { LabelSelector(spec.selector) }
    public var podTemplate: CoreV1.PodTemplateSpec? { spec.template }
    public var minReadySeconds: Int { spec.minReadySeconds ?? 0 }

    public var replicaStatus: ReplicaStatus {
        get {
            var result = ReplicaStatus()
            result.replicas = status.replicas
            result.fullyLabeledReplicas = status.fullyLabeledReplicas ?? 0
            result.readyReplicas = status.readyReplicas ?? 0
            result.availableReplicas = status.availableReplicas ?? 0
            result.terminatingReplicas = status.terminatingReplicas ?? 0
            result.observedGeneration = status.observedGeneration ?? 0
            let failure = status.conditions?.first { $0.type == "ReplicaFailure" && $0.status == "True" }
            result.failure = failure?.message
            result.failureSince = failure?.lastTransitionTime
            return result
        }
        set {
            var status = AppsV1.ReplicaSetStatus(replicas: newValue.replicas)
            status.fullyLabeledReplicas = newValue.fullyLabeledReplicas.nonZero
            status.readyReplicas = newValue.readyReplicas.nonZero
            status.availableReplicas = newValue.availableReplicas.nonZero
            status.terminatingReplicas = newValue.terminatingReplicas.nonZero
            status.observedGeneration = newValue.observedGeneration
            if let message = newValue.failure {
                status.conditions = [AppsV1.ReplicaSetCondition(
                    lastTransitionTime: newValue.failureSince, message: message, reason: "FailedCreate",
                    type: "ReplicaFailure", status: "True")]
            }
            self.status = status
        }
    }
}

extension CoreV1.ReplicationController: ReplicatedWorkload {
    public var desiredReplicas: Int { spec.replicas ?? 1 }
    /// A ReplicationController selects by equality on its map; without one, on its template's labels.
    public var podSelector: LabelSelector {
        guard let labels = spec.selector ?? spec.template?.metadata.labels, !labels.isEmpty else { return .nothing }
        return LabelSelector(validatedLabels: labels)
    }
    public var podTemplate: CoreV1.PodTemplateSpec? { spec.template }
    public var minReadySeconds: Int { spec.minReadySeconds ?? 0 }

    public var replicaStatus: ReplicaStatus {
        get {
            var result = ReplicaStatus()
            result.replicas = status.replicas
            result.fullyLabeledReplicas = status.fullyLabeledReplicas ?? 0
            result.readyReplicas = status.readyReplicas ?? 0
            result.availableReplicas = status.availableReplicas ?? 0
            result.observedGeneration = status.observedGeneration ?? 0
            let failure = status.conditions?.first { $0.type == "ReplicaFailure" && $0.status == "True" }
            result.failure = failure?.message
            result.failureSince = failure?.lastTransitionTime
            return result
        }
        set {
            var status = CoreV1.ReplicationControllerStatus(replicas: newValue.replicas)
            status.fullyLabeledReplicas = newValue.fullyLabeledReplicas.nonZero
            status.readyReplicas = newValue.readyReplicas.nonZero
            status.availableReplicas = newValue.availableReplicas.nonZero
            status.observedGeneration = newValue.observedGeneration
            if let message = newValue.failure {
                status.conditions = [CoreV1.ReplicationControllerCondition(
                    lastTransitionTime: newValue.failureSince, message: message, reason: "FailedCreate",
                    type: "ReplicaFailure", status: "True")]
            }
            self.status = status
        }
    }
}

extension Int {
    /// nil for zero: status counters are omitted from JSON when zero, as upstream writes them.
    var nonZero: Int? { self == 0 ? nil : self }
}
