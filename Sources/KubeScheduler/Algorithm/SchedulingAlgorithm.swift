import Foundation
import KubeModel

/// Where a pod should go (upstream's ScheduleResult).
public struct ScheduleResult: Sendable {
    public var suggestedHost: String
    /// Nodes Filter looked at.
    public var evaluatedNodes: Int
    /// Nodes that passed Filter (at most the number asked for).
    public var feasibleNodes: Int
    /// Every scored node's scores, when scoring ran.
    public var scores: [NodePluginScores]
}

/// Why no node was chosen.
public enum ScheduleError: Error, Sendable, CustomStringConvertible {
    /// No node fits; the FitError carries the message and any preemption nomination.
    case unschedulable(FitError)
    /// The cluster has no nodes.
    case noNodesAvailable
    /// A plugin failed.
    case failed(Status)

    public var description: String {
        switch self {
        case .unschedulable(let error): return error.message
        case .noNodesAvailable: return "no nodes available to schedule pods"
        case .failed(let status): return status.message
        }
    }
}

/// Upstream's scheduling algorithm as a value: PreFilter, Filter over (a rotating sample of)
/// the nodes, PostFilter when nothing fits, then PreScore and Score over the feasible nodes
/// and a random pick among the best. Its only state is where the next cycle starts looking.
public struct SchedulingAlgorithm: Sendable {
    public let framework: Framework
    /// Where the next cycle starts filtering, so every node gets its turn.
    public var nextStartNodeIndex = 0
    /// At and above this many nodes to filter, Filter runs in parallel chunks.
    public var parallelFilterThreshold = 256
    public var parallelism: Int

    public static let minFeasibleNodesToFind = 100
    public static let minFeasibleNodesPercentageToFind = 5

    public init(framework: Framework, parallelism: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.framework = framework
        self.parallelism = max(1, parallelism)
    }

    /// How many feasible nodes to look for before scoring (upstream's numFeasibleNodesToFind):
    /// every node below 100; otherwise the profile's percentage, or adaptively 50% minus one
    /// percent per 125 nodes, never under 5%, and never fewer than 100 nodes.
    public static func numFeasibleNodesToFind(percentage: Int?, numAllNodes: Int) -> Int {
        if numAllNodes < minFeasibleNodesToFind { return numAllNodes }
        var percent = percentage ?? 0
        if percent == 0 {
            percent = max(50 - numAllNodes / 125, minFeasibleNodesPercentageToFind)
        }
        let count = numAllNodes * percent / 100
        return max(count, minFeasibleNodesToFind)
    }

    /// Schedules one pod against `snapshot`. `nominatedPods` maps node names to pods waiting
    /// for room there after preemption; `random` breaks ties between the best nodes.
    public mutating func schedule<Random: RandomNumberGenerator>(
        pod: CoreV1.Pod, snapshot: Snapshot, nominatedPods: [String: [PodInfo]] = [:], random: inout Random
    ) async throws(ScheduleError) -> ScheduleResult {
        let podInfo = PodInfo(pod)
        let allNodes = snapshot.nodes
        if allNodes.isEmpty { throw .noNodesAvailable }
        var state = CycleState()
        var diagnosis = Diagnosis()

        let (preFilterResult, preFilterStatus, rejectors) = framework.runPreFilter(state: &state, pod: podInfo, snapshot: snapshot)
        if !preFilterStatus.isSuccess {
            guard preFilterStatus.isRejected else { throw .failed(preFilterStatus) }
            diagnosis.nodeToStatus.absentStatus = preFilterStatus
            diagnosis.preFilterMessage = preFilterStatus.message
            diagnosis.unschedulablePlugins = rejectors
            throw .unschedulable(runPostFilter(state: state, pod: podInfo, snapshot: snapshot, diagnosis: diagnosis))
        }

        // A pod nominated by an earlier preemption tries its nominated node first.
        if let nominated = pod.status.nominatedNodeName, !nominated.isEmpty, let node = snapshot.node(named: nominated),
            framework.runFilterWithNominatedPods(state: state, pod: podInfo, node: node,
                                                 nominated: nominatedPods[nominated] ?? []).isSuccess
        {
            return ScheduleResult(suggestedHost: nominated, evaluatedNodes: 1, feasibleNodes: 1, scores: [])
        }

        var candidates = allNodes
        if let names = preFilterResult.nodeNames {
            candidates = allNodes.filter { names.contains($0.name) }
            diagnosis.nodeToStatus.absentStatus = Status(
                .unschedulableAndUnresolvable, "node(s) didn't satisfy plugin(s) \(rejectors.sorted())")
        }
        let (feasible, processed) = await findFeasibleNodes(
            pod: podInfo, state: state, nodes: candidates, nominatedPods: nominatedPods, diagnosis: &diagnosis)
        if !candidates.isEmpty { nextStartNodeIndex = (nextStartNodeIndex + processed) % candidates.count }
        diagnosis.unschedulablePlugins.formUnion(rejectors)

        if feasible.isEmpty {
            throw .unschedulable(runPostFilter(state: state, pod: podInfo, snapshot: snapshot, diagnosis: diagnosis))
        }
        if feasible.count == 1 || !framework.hasScorePlugins {
            return ScheduleResult(suggestedHost: feasible[0].name, evaluatedNodes: processed,
                                  feasibleNodes: feasible.count, scores: [])
        }
        let preScoreStatus = framework.runPreScore(state: &state, pod: podInfo, nodes: feasible, snapshot: snapshot)
        if !preScoreStatus.isSuccess { throw .failed(preScoreStatus) }
        let scores = framework.runScore(state: state, pod: podInfo, nodes: feasible)
        let host = Self.selectHost(scores, random: &random)
        return ScheduleResult(suggestedHost: host, evaluatedNodes: processed, feasibleNodes: feasible.count, scores: scores)
    }

    /// The highest total score; ties broken uniformly at random (reservoir sampling).
    public static func selectHost<Random: RandomNumberGenerator>(_ scores: [NodePluginScores], random: inout Random)
        -> String
    {
        var best = scores[0]
        var ties = 1
        for entry in scores.dropFirst() {
            if entry.totalScore > best.totalScore {
                best = entry
                ties = 1
            } else if entry.totalScore == best.totalScore {
                ties += 1
                if Int.random(in: 0..<ties, using: &random) == 0 { best = entry }
            }
        }
        return best.name
    }

    private func runPostFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot, diagnosis: Diagnosis) -> FitError {
        var fitError = FitError(podKey: pod.key, numAllNodes: snapshot.nodes.count, diagnosis: diagnosis)
        guard !framework.postFilterPlugins.isEmpty else { return fitError }
        let (result, status) = framework.runPostFilter(state: state, pod: pod, snapshot: snapshot,
                                                       statuses: diagnosis.nodeToStatus)
        fitError.diagnosis.postFilterMessage = status.message
        fitError.nominatedNodeName = result?.nominatedNodeName
        fitError.victims = result?.victims ?? []
        return fitError
    }

    /// Filters nodes from the rotating start index until enough feasible ones are found.
    /// Returns them in node order and how many nodes were examined; records rejections.
    private func findFeasibleNodes(pod: PodInfo, state: CycleState, nodes: [NodeInfo],
                                   nominatedPods: [String: [PodInfo]], diagnosis: inout Diagnosis) async
        -> (feasible: [NodeInfo], processed: Int)
    {
        let count = nodes.count
        guard count > 0 else { return ([], 0) }
        let wanted = Self.numFeasibleNodesToFind(percentage: framework.profile.percentageOfNodesToScore, numAllNodes: count)
        let start = nextStartNodeIndex % count
        if !framework.hasFilterPlugins {
            let chosen = (0..<wanted).map { nodes[(start + $0) % count] }
            return (chosen, wanted)
        }
        let framework = self.framework
        let check: @Sendable (Int) -> Status = { offset in
            let node = nodes[(start + offset) % count]
            let nominated = nominatedPods[node.name] ?? []
            return nominated.isEmpty
                ? framework.runFilter(state: state, pod: pod, node: node)
                : framework.runFilterWithNominatedPods(state: state, pod: pod, node: node, nominated: nominated)
        }
        var feasible: [NodeInfo] = []
        var examined = 0
        while examined < count && feasible.count < wanted {
            // Look at a round of nodes sized to what is still missing, in parallel chunks when
            // the round is large; results are read back in node order.
            let roundSize = min(count - examined, max(wanted - feasible.count, 64))
            let statuses = await filterRound(from: examined, size: roundSize, check: check)
            for (index, status) in statuses.enumerated() {
                let offset = examined + index
                let node = nodes[(start + offset) % count]
                if status.isSuccess {
                    feasible.append(node)
                    if feasible.count == wanted {
                        examined = offset + 1
                        return (feasible, examined)
                    }
                } else {
                    diagnosis.nodeToStatus[node.name] = status
                    if let plugin = status.plugin { diagnosis.unschedulablePlugins.insert(plugin) }
                }
            }
            examined += roundSize
        }
        return (feasible, examined)
    }

    private func filterRound(from first: Int, size: Int, check: @escaping @Sendable (Int) -> Status) async -> [Status] {
        if size < parallelFilterThreshold || parallelism == 1 {
            return (first..<first + size).map(check)
        }
        let chunkSize = (size + parallelism - 1) / parallelism
        return await withTaskGroup(of: (Int, [Status]).self) { group in
            for chunkStart in stride(from: first, to: first + size, by: chunkSize) {
                let chunkEnd = min(chunkStart + chunkSize, first + size)
                group.addTask { (chunkStart, (chunkStart..<chunkEnd).map(check)) }
            }
            var results = [Status](repeating: .success, count: size)
            for await (chunkStart, statuses) in group {
                results.replaceSubrange(chunkStart - first..<chunkStart - first + statuses.count, with: statuses)
            }
            return results
        }
    }
}
