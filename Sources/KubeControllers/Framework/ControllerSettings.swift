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
    /// How long a node that never posted status may stay silent (--node-startup-grace-period).
    public var nodeStartupGracePeriod: Duration = .seconds(60)
    /// The cluster's pod network, cut into one /24 per node (--cluster-cidr).
    public var clusterCIDR = "10.42.0.0/16"
    /// Prefix length of each node's pod CIDR (--node-cidr-mask-size).
    public var nodeCIDRMaskSize = 24
    /// Terminated pods kept before pod GC deletes the oldest (--terminated-pod-gc-threshold).
    public var terminatedPodGCThreshold = 12500
    /// How long the Job controller lets pod events and status updates of a Job gather before
    /// it syncs the Job (upstream's syncJobBatchPeriod).
    public var jobSyncBatchPeriod: Duration = .seconds(1)
    /// The zone CronJob schedules without a timeZone are read in: the controller manager's own.
    public var localTimeZone: TimeZone = .current
    /// How often pod GC runs (upstream's gcCheckPeriod).
    public var podGCPeriod: Duration = .seconds(20)
    /// How long a node must be missing before its pods count as orphaned (upstream's quarantineTime).
    public var podGCOrphanQuarantine: Duration = .seconds(40)
    /// Workers of the garbage collector (--concurrent-gc-syncs).
    public var garbageCollectorWorkers = 20
    /// How often the garbage collector looks for new resources to watch (upstream re-reads
    /// discovery every 30 s).
    public var garbageCollectorDiscoveryPeriod: Duration = .seconds(30)
    /// Workers of the namespace controller (--concurrent-namespace-syncs).
    public var namespaceWorkers = 10
    /// How often every quota's usage is recomputed in full (--resource-quota-sync-period).
    public var resourceQuotaSyncPeriod: Duration = .seconds(300)
    /// Endpoints per EndpointSlice (--max-endpoints-per-slice).
    public var maxEndpointsPerSlice = 100
    /// The cluster CA certificate (PEM) published as `kube-root-ca.crt` in every namespace;
    /// nil leaves the root-CA publisher off. `skiff server` fills it from the API server's
    /// ClusterPKI.
    public var rootCAPEM: String?

    public init() {}
}
