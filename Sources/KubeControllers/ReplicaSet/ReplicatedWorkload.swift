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
        get { ReplicaStatus(status) }
        set { newValue.write(to: &status) }
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
        get { ReplicaStatus(status) }
        set { newValue.write(to: &status) }
    }
}

/// The status types of both kinds, which share their fields and differ in their condition type.
protocol ReplicaCountingStatus {
    associatedtype Condition: ReplicaFailureCondition
    init()
    var replicas: Int { get set }
    var fullyLabeledReplicas: Int? { get set }
    var readyReplicas: Int? { get set }
    var availableReplicas: Int? { get set }
    var terminatingReplicas: Int? { get set }
    var observedGeneration: Int? { get set }
    var conditions: [Condition]? { get set }
}

protocol ReplicaFailureCondition {
    init(lastTransitionTime: Time?, message: String?, reason: String?, type: String, status: String)
    var type: String { get }
    var status: String { get }
    var message: String? { get }
    var lastTransitionTime: Time? { get }
}

extension AppsV1.ReplicaSetStatus: ReplicaCountingStatus {}
extension AppsV1.ReplicaSetCondition: ReplicaFailureCondition {}
extension CoreV1.ReplicationControllerCondition: ReplicaFailureCondition {}
extension CoreV1.ReplicationControllerStatus: ReplicaCountingStatus {
    /// ReplicationControllers do not report terminating replicas.
    var terminatingReplicas: Int? {
        get { nil }
        set {}
    }
}

extension ReplicaStatus {
    init(_ status: some ReplicaCountingStatus) {
        self.init()
        replicas = status.replicas
        fullyLabeledReplicas = status.fullyLabeledReplicas ?? 0
        readyReplicas = status.readyReplicas ?? 0
        availableReplicas = status.availableReplicas ?? 0
        terminatingReplicas = status.terminatingReplicas ?? 0
        observedGeneration = status.observedGeneration ?? 0
        let failure = status.conditions?.first { $0.type == "ReplicaFailure" && $0.status == "True" }
        self.failure = failure?.message
        failureSince = failure?.lastTransitionTime
    }

    /// Replaces `status` with these counts (zero counters omitted, as upstream writes them).
    func write<Status: ReplicaCountingStatus>(to status: inout Status) {
        var written = Status()
        written.replicas = replicas
        written.fullyLabeledReplicas = fullyLabeledReplicas.nonZero
        written.readyReplicas = readyReplicas.nonZero
        written.availableReplicas = availableReplicas.nonZero
        written.terminatingReplicas = terminatingReplicas.nonZero
        written.observedGeneration = observedGeneration
        if let failure {
            written.conditions = [Status.Condition(lastTransitionTime: failureSince, message: failure, reason: "FailedCreate",
                                                   type: "ReplicaFailure", status: "True")]
        }
        status = written
    }
}

extension Int {
    /// nil for zero: status counters are omitted from JSON when zero, as upstream writes them.
    var nonZero: Int? { self == 0 ? nil : self }
}
