import Foundation

/// Periods and sizes of the controllers, upstream's kube-controller-manager defaults unless
/// configured otherwise (tests shorten them).
public struct ControllerSettings: Sendable {
    /// Workers per controller (upstream's --concurrent-*-syncs; 5 for ReplicaSets and Deployments).
    public var workers = 5
    /// How long a node may miss heartbeats before it is Unknown (--node-monitor-grace-period).
    public var nodeMonitorGracePeriod: Duration = .seconds(40)
    /// How often node health is checked (--node-monitor-period).
    public var nodeMonitorPeriod: Duration = .seconds(5)
    /// The cluster's pod network, cut into one /24 per node (--cluster-cidr).
    public var clusterCIDR = "10.42.0.0/16"
    /// Terminated pods kept before pod GC deletes the oldest (--terminated-pod-gc-threshold).
    public var terminatedPodGCThreshold = 12500
    /// How long the Job controller lets pod events and status updates of a Job gather before
    /// it syncs the Job (upstream's syncJobBatchPeriod).
    public var jobSyncBatchPeriod: Duration = .seconds(1)
    /// The zone CronJob schedules without a timeZone are read in: the controller manager's own.
    public var localTimeZone: TimeZone = .current

    public init() {}
}
