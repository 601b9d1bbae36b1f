import Foundation
import KubeModel

/// What a set of hollow nodes looks like and how often it talks to the API server. The periods
/// default to the kubelet's.
public struct HollowNodeConfiguration: Sendable {
    /// Nodes are named `namePrefix` + index, for indices `firstIndex ..< firstIndex + count`.
    public var count: Int
    public var namePrefix: String
    public var firstIndex: Int

    /// Capacity, reported as allocatable too (a hollow node reserves nothing).
    public var cpu: Quantity = "4"
    public var memory: Quantity = "32Gi"
    public var pods: Int = 110
    public var ephemeralStorage: Quantity = "100Gi"

    /// Extra node labels and taints registered with the Node.
    public var labels: [String: String] = [:]
    public var taints: [CoreV1.Taint] = []

    public var kubeletVersion = "v1.36.0-skiff-hollow"

    /// Node InternalIPs are this network's addresses: node index i gets offset i + 1.
    public var nodeAddresses = IPv4Network("10.240.0.0/12")!

    /// The Lease's duration (the node lifecycle controller's grace comes from its own setting)
    /// and how often it is renewed: the kubelet renews every quarter of the duration.
    public var leaseDuration: Duration = .seconds(40)
    public var leaseRenewInterval: Duration = .seconds(10)
    /// How often the node status (conditions' heartbeats) is written when nothing changed.
    public var statusReportInterval: Duration = .seconds(60)
    /// Retry delay after a failed heartbeat.
    public var heartbeatRetryDelay: Duration = .seconds(1)

    /// When set, a node still without a podCIDR this long after registering picks a free
    /// subnet of `clusterCIDR` itself (for clusters without a node IPAM controller).
    public var podCIDRFallbackDelay: Duration?
    public var clusterCIDR = IPv4Network("10.42.0.0/16")!
    public var nodeCIDRMaskSize = 24

    /// A pod being deleted is stopped after its grace period, but never waits longer than this.
    public var maximumTerminationDelay: Duration = .seconds(1)
    public var crashLoop = PodRuntime.Policy()

    /// Concurrent pod status writers and heartbeat writers.
    public var podWorkers = 32
    public var heartbeatWorkers = 8
    /// Concurrent registrations at start.
    public var registrationConcurrency = 32

    public init(count: Int, namePrefix: String = "hollow-node-", firstIndex: Int = 0) {
        self.count = count
        self.namePrefix = namePrefix
        self.firstIndex = firstIndex
    }

    public var nodeNames: [String] { (firstIndex..<firstIndex + count).map { namePrefix + String($0) } }

    var capacity: [String: Quantity] {
        [
            "cpu": cpu,
            "memory": memory,
            "pods": Quantity(value: Int64(pods)),
            "ephemeral-storage": ephemeralStorage,
            "hugepages-1Gi": Quantity(value: 0),
            "hugepages-2Mi": Quantity(value: 0),
        ]
    }

    func internalIP(index: Int) -> String {
        nodeAddresses.address(at: UInt32(truncatingIfNeeded: index + 1))
    }
}
