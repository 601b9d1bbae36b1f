import Foundation
import KubeModel

/// Preemption by priority as a PostFilter: when the pod fits nowhere, find the node where
/// evicting the fewest, least important lower-priority pods makes it fit.
public struct DefaultPreemption: PostFilterPlugin {
    public static let pluginName = "DefaultPreemption"
    public var name: String { Self.pluginName }
    public let podDisruptionBudgets: @Sendable () -> [PolicyV1.PodDisruptionBudget]
    public let minCandidateNodesPercentage: Int
    public let minCandidateNodesAbsolute: Int

    public init(podDisruptionBudgets: @escaping @Sendable () -> [PolicyV1.PodDisruptionBudget] = { [] },
                minCandidateNodesPercentage: Int = 10, minCandidateNodesAbsolute: Int = 100) {
        self.podDisruptionBudgets = podDisruptionBudgets
        self.minCandidateNodesPercentage = minCandidateNodesPercentage
        self.minCandidateNodesAbsolute = minCandidateNodesAbsolute
    }

    public func postFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot, statuses: NodeToStatus,
                           framework: Framework) -> (PostFilterResult, Status)
    {
        let outcome = Preemption.preempt(
            pod: pod, snapshot: snapshot, framework: framework, state: state, statuses: statuses,
            podDisruptionBudgets: podDisruptionBudgets(), minCandidateNodesPercentage: minCandidateNodesPercentage,
            minCandidateNodesAbsolute: minCandidateNodesAbsolute)
        var status = outcome.status
        if !status.reasons.isEmpty { status.reasons = ["preemption: " + status.message] }
        return (PostFilterResult(nominatedNodeName: outcome.nominatedNodeName, victims: outcome.victims), status)
    }
}

/// The outcome of a preemption attempt.
public struct PreemptionResult: Sendable {
    /// The node the pod is nominated to (it schedules there once the victims are gone);
    /// nil when preemption cannot help.
    public var nominatedNodeName: String?
    /// The pods to evict, most important first.
    public var victims: [PodInfo]
    /// How many victims are covered by a PodDisruptionBudget with no disruptions left.
    public var pdbViolations: Int
    /// Success with a nomination; otherwise Unschedulable with upstream's message
    /// (without the "preemption: " prefix the plugin adds).
    public var status: Status
}

/// Upstream's preemption Evaluator and DefaultPreemption logic, as pure functions.
public enum Preemption {
    public static let notHelpfulReason = "Preemption is not helpful for scheduling"
    public static let noVictimsReason = "No preemption victims found for incoming pod"

    /// Finds victims and a node for `pod`, which failed Filter everywhere with `statuses`.
    /// `state` is the cycle state after PreFilter. Nodes are tried from the start of the
    /// snapshot until enough candidates are found (upstream starts at a random offset).
    public static func preempt(
        pod: PodInfo, snapshot: Snapshot, framework: Framework, state: CycleState, statuses: NodeToStatus,
        podDisruptionBudgets: [PolicyV1.PodDisruptionBudget], nominatedPods: [String: [PodInfo]] = [:],
        minCandidateNodesPercentage: Int = 10, minCandidateNodesAbsolute: Int = 100
    ) -> PreemptionResult {
        if let reason = ineligibility(of: pod, snapshot: snapshot, statuses: statuses) {
            return PreemptionResult(nominatedNodeName: nil, victims: [], pdbViolations: 0, status: .unschedulable(reason))
        }
        let potential = snapshot.nodes.filter { statuses[$0.name]?.code == .unschedulable }
        var nodeStatuses = NodeToStatus()
        var candidates: [Candidate] = []
        if !potential.isEmpty {
            let numCandidates = min(max(potential.count * minCandidateNodesPercentage / 100, minCandidateNodesAbsolute),
                                    potential.count)
            var nonViolating = 0
            for node in potential {
                switch selectVictims(pod: pod, node: node, framework: framework, state: state,
                                     pdbs: podDisruptionBudgets, nominated: nominatedPods[node.name] ?? []) {
                case .success(let victims, let violations):
                    candidates.append(Candidate(nodeName: node.name, victims: victims, pdbViolations: violations))
                    if violations == 0 { nonViolating += 1 }
                    if nonViolating > 0 && candidates.count >= numCandidates { break }
                case .failure(let status):
                    nodeStatuses[node.name] = status
                }
                if nonViolating > 0 && candidates.count >= numCandidates { break }
            }
        }
        guard let best = pickCandidate(candidates) else {
            nodeStatuses.absentStatus = Status(.unschedulableAndUnresolvable, notHelpfulReason)
            let fitError = FitError(podKey: pod.key, numAllNodes: snapshot.nodes.count,
                                    diagnosis: Diagnosis(nodeToStatus: nodeStatuses))
            return PreemptionResult(nominatedNodeName: nil, victims: [], pdbViolations: 0,
                                    status: .unschedulable(fitError.message))
        }
        return PreemptionResult(nominatedNodeName: best.nodeName, victims: best.victims,
                                pdbViolations: best.pdbViolations, status: .success)
    }

    /// Why the pod may not preempt, if it may not (upstream's PodEligibleToPreemptOthers).
    static func ineligibility(of pod: PodInfo, snapshot: Snapshot, statuses: NodeToStatus) -> String? {
        if pod.preemptionPolicy == "Never" { return "not eligible due to preemptionPolicy=Never." }
        guard let nominated = pod.pod.status.nominatedNodeName, !nominated.isEmpty else { return nil }
        if statuses[nominated]?.code == .unschedulableAndUnresolvable { return nil }
        if let node = snapshot.node(named: nominated),
            node.pods.contains(where: { $0.priority < pod.priority && terminatingByPreemption($0) })
        {
            return "not eligible due to a terminating pod on the nominated node."
        }
        return nil
    }

    static func terminatingByPreemption(_ pod: PodInfo) -> Bool {
        guard pod.isTerminating else { return false }
        return (pod.pod.status.conditions ?? []).contains {
            $0.type == "DisruptionTarget" && $0.status == "True" && $0.reason == "PreemptionByScheduler"
        }
    }

    struct Candidate {
        var nodeName: String
        var victims: [PodInfo]
        var pdbViolations: Int
    }

    enum VictimSelection {
        case success(victims: [PodInfo], pdbViolations: Int)
        case failure(Status)
    }

    /// The fewest, least important pods to remove from `node` so the pod fits (upstream's
    /// SelectVictimsOnNode): remove every lower-priority pod, check the pod fits, then add
    /// back as many as possible, most important first, PDB-protected ones before the rest.
    static func selectVictims(pod: PodInfo, node: NodeInfo, framework: Framework, state: CycleState,
                              pdbs: [PolicyV1.PodDisruptionBudget], nominated: [PodInfo]) -> VictimSelection
    {
        var node = node
        var state = state
        var potential: [PodInfo] = []
        for existing in node.pods where existing.priority < pod.priority {
            potential.append(existing)
            node.removePod(key: existing.key)
            framework.runRemovePod(state: &state, pod: pod, removed: existing, node: node)
        }
        if potential.isEmpty { return .failure(Status(.unschedulableAndUnresolvable, noVictimsReason)) }
        let fits = framework.runFilterWithNominatedPods(state: state, pod: pod, node: node, nominated: nominated)
        if !fits.isSuccess { return .failure(fits) }
        potential.sort(by: moreImportant)
        let (violating, nonViolating) = splitByPDBViolation(potential, pdbs: pdbs)
        var victims: [PodInfo] = []
        var violations = 0
        func reprieve(_ candidate: PodInfo) -> Bool {
            node.addPod(candidate)
            framework.runAddPod(state: &state, pod: pod, added: candidate, node: node)
            if framework.runFilterWithNominatedPods(state: state, pod: pod, node: node, nominated: nominated).isSuccess {
                return true
            }
            node.removePod(key: candidate.key)
            framework.runRemovePod(state: &state, pod: pod, removed: candidate, node: node)
            victims.append(candidate)
            return false
        }
        for candidate in violating where !reprieve(candidate) { violations += 1 }
        for candidate in nonViolating { _ = reprieve(candidate) }
        if !violating.isEmpty && !nonViolating.isEmpty { victims.sort(by: moreImportant) }
        return .success(victims: victims, pdbViolations: violations)
    }

    /// Higher priority first; among equals, the pod that started earlier.
    static func moreImportant(_ first: PodInfo, _ second: PodInfo) -> Bool {
        if first.priority != second.priority { return first.priority > second.priority }
        return (first.startTime ?? .distantFuture) < (second.startTime ?? .distantFuture)
    }

    /// Splits pods (keeping order) into those whose eviction would exceed a matching PDB's
    /// allowed disruptions and the rest (upstream's filterPodsWithPDBViolation).
    static func splitByPDBViolation(_ pods: [PodInfo], pdbs: [PolicyV1.PodDisruptionBudget])
        -> (violating: [PodInfo], nonViolating: [PodInfo])
    {
        var allowed = pdbs.map { $0.status.disruptionsAllowed ?? 0 }
        let selectors = pdbs.map { SelectorConversion.selector($0.spec.selector) }
        var violating: [PodInfo] = []
        var nonViolating: [PodInfo] = []
        for pod in pods {
            var violated = false
            if !pod.labels.isEmpty {
                for (index, pdb) in pdbs.enumerated() {
                    guard (pdb.metadata.namespace ?? "default") == pod.namespace, !selectors[index].isEmpty,
                        selectors[index].matches(pod.labels), pdb.status.disruptedPods?[pod.name] == nil
                    else { continue }
                    allowed[index] -= 1
                    if allowed[index] < 0 { violated = true }
                }
            }
            if violated { violating.append(pod) } else { nonViolating.append(pod) }
        }
        return (violating, nonViolating)
    }

    /// Upstream's pickOneNodeForPreemption: fewest PDB violations, then the lowest highest
    /// victim priority, the smallest priority sum, the fewest victims, the latest start among
    /// the highest-priority victims; then the first candidate.
    static func pickCandidate(_ candidates: [Candidate]) -> Candidate? {
        guard !candidates.isEmpty else { return nil }
        let criteria: [(Candidate) -> Int64] = [
            { -Int64($0.pdbViolations) },
            { -Int64($0.victims.first?.priority ?? 0) },
            { -$0.victims.reduce(Int64(0)) { $0 + Int64($1.priority) + Int64(Int32.max) + 1 } },
            { -Int64($0.victims.count) },
            { candidate in
                let highest = candidate.victims.first?.priority ?? 0
                let earliest = candidate.victims.filter { $0.priority == highest }.compactMap(\.startTime).min()
                return earliest.map { Int64($0.timeIntervalSince1970 * 1_000_000_000) } ?? Int64.min
            },
        ]
        var remaining = candidates
        for criterion in criteria where remaining.count > 1 {
            let scores = remaining.map(criterion)
            let best = scores.max()!
            remaining = zip(remaining, scores).filter { $0.1 == best }.map(\.0)
        }
        return remaining.first
    }
}
