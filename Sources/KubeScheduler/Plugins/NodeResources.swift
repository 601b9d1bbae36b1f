import Foundation
import KubeModel

/// A resource a scoring strategy looks at, and its weight.
public struct ResourceWeight: Sendable, Hashable {
    public var name: String
    public var weight: Int64

    public init(_ name: String, weight: Int64 = 1) {
        self.name = name
        self.weight = weight
    }

    /// CPU and memory, weight 1 each (upstream's default).
    public static let defaults = [ResourceWeight(Resource.cpu), ResourceWeight(Resource.memoryName)]
}

/// How NodeResourcesFit scores nodes.
public struct ScoringStrategy: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// Prefer nodes with the most room left (spreads pods).
        case leastAllocated = "LeastAllocated"
        /// Prefer nodes already most used (packs pods).
        case mostAllocated = "MostAllocated"
    }

    public var kind: Kind
    public var resources: [ResourceWeight]

    public init(_ kind: Kind = .leastAllocated, resources: [ResourceWeight] = ResourceWeight.defaults) {
        self.kind = kind
        self.resources = resources
    }
}

/// Filters nodes without room for the pod's requests and pod count; scores by allocation.
public struct NodeResourcesFit: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
    public static let pluginName = "NodeResourcesFit"
    public var name: String { Self.pluginName }
    public let strategy: ScoringStrategy

    public init(strategy: ScoringStrategy = ScoringStrategy()) { self.strategy = strategy }

    struct FilterState: Sendable {
        var requests: Resource
    }

    public func preFilter(state: inout CycleState, pod: PodInfo, snapshot: Snapshot) -> (PreFilterResult, Status) {
        state.write(FilterState(requests: pod.requests))
        return (.allNodes, .success)
    }

    public func filter(state: CycleState, pod: PodInfo, node: NodeInfo) -> Status {
        let requests = state.read(FilterState.self)?.requests ?? pod.requests
        let insufficient = Self.insufficientResources(requests, node: node)
        if insufficient.isEmpty { return .success }
        let code: Status.Code = insufficient.contains(where: \.unresolvable) ? .unschedulableAndUnresolvable : .unschedulable
        return Status(code, insufficient.map(\.reason))
    }

    /// A resource the node lacks for the pod; unresolvable when even an empty node could not
    /// hold the request.
    public struct InsufficientResource: Sendable, Hashable {
        public var resourceName: String
        public var reason: String
        public var requested: Int64
        public var used: Int64
        public var capacity: Int64
        public var unresolvable: Bool
    }

    /// Upstream's fitsRequest: the pod count first, then CPU, memory, ephemeral storage and
    /// scalar resources (in name order).
    public static func insufficientResources(_ requests: Resource, node: NodeInfo) -> [InsufficientResource] {
        var result: [InsufficientResource] = []
        let allowedPods = node.allocatable.allowedPodNumber
        if node.pods.count + 1 > allowedPods {
            result.append(InsufficientResource(resourceName: Resource.pods, reason: "Too many pods", requested: 1,
                                               used: Int64(node.pods.count), capacity: Int64(allowedPods),
                                               unresolvable: false))
        }
        if requests.isZero { return result }
        let allocatable = node.allocatable
        let requested = node.requested
        func check(_ name: String, _ want: Int64, _ capacity: Int64, _ used: Int64) {
            guard want > 0, want > capacity - used else { return }
            result.append(InsufficientResource(resourceName: name, reason: "Insufficient \(name)", requested: want,
                                               used: used, capacity: capacity, unresolvable: want > capacity))
        }
        check(Resource.cpu, requests.milliCPU, allocatable.milliCPU, requested.milliCPU)
        check(Resource.memoryName, requests.memory, allocatable.memory, requested.memory)
        check(Resource.ephemeralStorageName, requests.ephemeralStorage, allocatable.ephemeralStorage,
              requested.ephemeralStorage)
        for name in requests.scalarResources.keys.sorted() {
            check(name, requests.scalarResources[name]!, allocatable.scalarResources[name] ?? 0,
                  requested.scalarResources[name] ?? 0)
        }
        return result
    }

    struct ScoreState: Sendable {
        var podRequests: [Int64]
    }

    public func preScore(state: inout CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: Snapshot) -> Status {
        state.write(ScoreState(podRequests: strategy.resources.map { pod.nonZeroRequests.amount(of: $0.name) }))
        return .success
    }

    public func score(state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64 {
        let podRequests = state.read(ScoreState.self)?.podRequests
            ?? strategy.resources.map { pod.nonZeroRequests.amount(of: $0.name) }
        let (requested, allocatable) = ResourceAllocation.amounts(
            resources: strategy.resources.map(\.name), podRequests: podRequests, node: node, useRequested: false)
        var total: Int64 = 0
        var weights: Int64 = 0
        for (index, resource) in strategy.resources.enumerated() where allocatable[index] != 0 {
            let capacity = allocatable[index]
            var used = requested[index]
            let score: Int64
            switch strategy.kind {
            case .leastAllocated:
                score = used > capacity ? 0 : (capacity - used) * maxNodeScore / capacity
            case .mostAllocated:
                used = min(used, capacity)
                score = used * maxNodeScore / capacity
            }
            total += score * resource.weight
            weights += resource.weight
        }
        return weights == 0 ? 0 : total / weights
    }

    public var events: [ClusterEvent] {
        [
            ClusterEvent(.assignedPod, [.delete, .updatePodScaleDown]),
            ClusterEvent(.node, [.add, .updateNodeAllocatable]),
            ClusterEvent(.unscheduledPod, .updatePodScaleDown),
        ]
    }
}

/// Prefers nodes whose CPU and memory would be used in similar fractions.
public struct BalancedAllocation: PreScorePlugin, ScorePlugin {
    public static let pluginName = "NodeResourcesBalancedAllocation"
    public var name: String { Self.pluginName }
    public let resources: [ResourceWeight]

    public init(resources: [ResourceWeight] = ResourceWeight.defaults) { self.resources = resources }

    struct ScoreState: Sendable {
        var podRequests: [Int64]
    }

    public func preScore(state: inout CycleState, pod: PodInfo, nodes: [NodeInfo], snapshot: Snapshot) -> Status {
        let requests = resources.map { pod.requests.amount(of: $0.name) }
        // A BestEffort pod would otherwise always be drawn to the same balanced nodes.
        if requests.allSatisfy({ $0 == 0 }) { return .skip }
        state.write(ScoreState(podRequests: requests))
        return .success
    }

    public func score(state: CycleState, pod: PodInfo, node: NodeInfo) -> Int64 {
        let podRequests = state.read(ScoreState.self)?.podRequests ?? resources.map { pod.requests.amount(of: $0.name) }
        let (requested, allocatable) = ResourceAllocation.amounts(
            resources: resources.map(\.name), podRequests: podRequests, node: node, useRequested: true)
        var fractions: [Double] = []
        for index in requested.indices where allocatable[index] != 0 {
            fractions.append(min(Double(requested[index]) / Double(allocatable[index]), 1))
        }
        var deviation = 0.0
        if fractions.count == 2 {
            deviation = abs((fractions[0] - fractions[1]) / 2)
        } else if fractions.count > 2 {
            let mean = fractions.reduce(0, +) / Double(fractions.count)
            let variance = fractions.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(fractions.count)
            deviation = variance.squareRoot()
        }
        return Int64((1 - deviation) * Double(maxNodeScore))
    }
}

/// What the allocation scorers compare (upstream's calculateResourceAllocatableRequest).
enum ResourceAllocation {
    /// Per resource: the node's requested amount plus the pod's, and the node's allocatable.
    /// Scalar resources the pod does not request, and resources the node lacks, are zero.
    static func amounts(resources: [String], podRequests: [Int64], node: NodeInfo, useRequested: Bool)
        -> (requested: [Int64], allocatable: [Int64])
    {
        var requested = [Int64](repeating: 0, count: resources.count)
        var allocatable = [Int64](repeating: 0, count: resources.count)
        let nodeRequested = node.requested
        let nodeNonZero = useRequested ? nodeRequested : node.nonZeroRequested
        for (index, name) in resources.enumerated() {
            let podRequest = podRequests[index]
            let capacity: Int64
            let used: Int64
            switch name {
            case Resource.cpu:
                capacity = node.allocatable.milliCPU
                used = nodeNonZero.milliCPU
            case Resource.memoryName:
                capacity = node.allocatable.memory
                used = nodeNonZero.memory
            case Resource.ephemeralStorageName:
                capacity = node.allocatable.ephemeralStorage
                used = nodeRequested.ephemeralStorage
            default:
                guard Resource.isScalar(name), podRequest != 0 else { continue }
                capacity = node.allocatable.scalarResources[name] ?? 0
                used = nodeRequested.scalarResources[name] ?? 0
            }
            guard capacity != 0 else { continue }
            allocatable[index] = capacity
            requested[index] = used + podRequest
        }
        return (requested, allocatable)
    }
}
