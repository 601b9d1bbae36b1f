import Foundation
import KubeModel
import Testing

@testable import KubeScheduler

@Suite struct PreemptionTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var pod: CoreV1.Pod
        var nodes: [CoreV1.Node]
        var pods: [CoreV1.Pod]
        var pdbs: [PolicyV1.PodDisruptionBudget] = []
        var node: String?
        var victims: [String]
    }

    static func started(_ seconds: Double) -> (inout CoreV1.Pod) -> Void {
        { $0.status.startTime = Time(Date(timeIntervalSince1970: seconds)) }
    }

    static func pdb(_ labels: [String: String], allowed: Int) -> PolicyV1.PodDisruptionBudget {
        var budget = PolicyV1.PodDisruptionBudget()
        budget.metadata.name = "pdb"
        budget.metadata.namespace = "default"
        budget.spec.selector = Make.selector(labels)
        budget.status.disruptionsAllowed = allowed
        return budget
    }

    static let twoNodes = [Make.node("n1", cpu: "4"), Make.node("n2", cpu: "4")]

    static let cases: [Case] = [
        Case(description: "the node whose most important victim is least important",
             pod: Make.pod("p", cpu: "2", priority: 10), nodes: twoNodes,
             pods: [Make.pod("low", cpu: "3", node: "n1", priority: 1), Make.pod("mid", cpu: "3", node: "n2", priority: 5)],
             node: "n1", victims: ["low"]),
        Case(description: "smallest sum of priorities",
             pod: Make.pod("p", cpu: "3", priority: 10), nodes: twoNodes,
             pods: [Make.pod("a", cpu: "2", node: "n1", priority: 1), Make.pod("b", cpu: "2", node: "n1", priority: 1),
                    Make.pod("c", cpu: "3", node: "n2", priority: 1)],
             node: "n2", victims: ["c"]),
        Case(description: "only as many victims as needed, least important first",
             pod: Make.pod("p", cpu: "2", priority: 10), nodes: [Make.node("n1", cpu: "4")],
             pods: [Make.pod("p1", cpu: "1", node: "n1", priority: 1), Make.pod("p2", cpu: "1", node: "n1", priority: 2),
                    Make.pod("p3", cpu: "1", node: "n1", priority: 3)],
             node: "n1", victims: ["p1"]),
        Case(description: "fewest PDB violations beats lower priority",
             pod: Make.pod("p", cpu: "2", priority: 10), nodes: twoNodes,
             pods: [Make.pod("guarded", cpu: "3", labels: ["app": "db"], node: "n1", priority: 1),
                    Make.pod("free", cpu: "3", labels: ["app": "web"], node: "n2", priority: 5)],
             pdbs: [pdb(["app": "db"], allowed: 0)],
             node: "n2", victims: ["free"]),
        Case(description: "a PDB with disruptions left is no violation",
             pod: Make.pod("p", cpu: "2", priority: 10), nodes: twoNodes,
             pods: [Make.pod("guarded", cpu: "3", labels: ["app": "db"], node: "n1", priority: 1),
                    Make.pod("free", cpu: "3", labels: ["app": "web"], node: "n2", priority: 5)],
             pdbs: [pdb(["app": "db"], allowed: 1)],
             node: "n1", victims: ["guarded"]),
        Case(description: "a full tie goes to the first node",
             pod: Make.pod("p", cpu: "3", priority: 10), nodes: twoNodes,
             pods: [Make.pod("a", cpu: "2", node: "n1", priority: 1), Make.pod("b", cpu: "2", node: "n1", priority: 0),
                    Make.pod("c", cpu: "1500m", node: "n2", priority: 1), Make.pod("d", cpu: "1500m", node: "n2", priority: 0),
                    Make.pod("e", cpu: "1", node: "n2", priority: 20)],
             // n1 must lose both (sum 1+0), n2 must lose c and d (sum 1+0) too; equal sums and counts,
             // so the latest start time of the highest-priority victims decides: none set → first node.
             node: "n1", victims: ["a", "b"]),
        Case(description: "latest start time among highest-priority victims",
             pod: Make.pod("p", cpu: "2", priority: 10), nodes: twoNodes,
             pods: [Make.pod("old", cpu: "3", node: "n1", priority: 1, configure: started(100)),
                    Make.pod("new", cpu: "3", node: "n2", priority: 1, configure: started(200))],
             node: "n2", victims: ["new"]),
        Case(description: "higher-priority pods are never victims",
             pod: Make.pod("p", cpu: "2", priority: 10), nodes: [Make.node("n1", cpu: "4")],
             pods: [Make.pod("vip", cpu: "3", node: "n1", priority: 20)],
             node: nil, victims: []),
        Case(description: "not enough room even after evicting everything lower",
             pod: Make.pod("p", cpu: "3", priority: 10), nodes: [Make.node("n1", cpu: "4")],
             pods: [Make.pod("vip", cpu: "2", node: "n1", priority: 20), Make.pod("low", cpu: "1", node: "n1", priority: 1)],
             node: nil, victims: []),
        Case(description: "anti-affinity: evicting the conflicting pod helps",
             pod: Make.pod("p", priority: 10, configure: InterPodAffinityTests.affinity(anti: [
                 Make.term(["app": "web"], topologyKey: "kubernetes.io/hostname"),
             ])),
             nodes: [Make.node("n1")],
             pods: [Make.pod("web", labels: ["app": "web"], node: "n1", priority: 1), Make.pod("other", node: "n1", priority: 1)],
             node: "n1", victims: ["web"]),
    ]

    @Test(arguments: cases)
    func preemption(_ testCase: Case) async {
        let pdbs = testCase.pdbs
        let handle = PluginHandle(podDisruptionBudgets: { pdbs })
        let result = await SchedulingAlgorithmTests.schedule(testCase.pod, nodes: testCase.nodes, pods: testCase.pods,
                                                             handle: handle)
        guard case .failure(.unschedulable(let fitError)) = result else {
            Issue.record("expected the pod not to fit, got \(result)")
            return
        }
        #expect(fitError.nominatedNodeName == testCase.node)
        #expect(fitError.victims.map(\.name) == testCase.victims)
        if testCase.node != nil { #expect(fitError.diagnosis.postFilterMessage == "") }
    }

    @Test func entryPointReportsPDBViolations() throws {
        let nodes = [Make.node("n1", cpu: "4")]
        let pods = [Make.pod("guarded", cpu: "3", labels: ["app": "db"], node: "n1", priority: 1)]
        let snapshot = Snapshot(nodes: nodes, pods: pods)
        let framework = try Framework()
        let pod = PodInfo(Make.pod("p", cpu: "2", priority: 10))
        var state = CycleState()
        _ = framework.runPreFilter(state: &state, pod: pod, snapshot: snapshot)
        let statuses = NodeToStatus(["n1": framework.runFilter(state: state, pod: pod, node: snapshot.nodes[0])])
        let result = Preemption.preempt(pod: pod, snapshot: snapshot, framework: framework, state: state,
                                        statuses: statuses, podDisruptionBudgets: [Self.pdb(["app": "db"], allowed: 0)])
        #expect(result.nominatedNodeName == "n1")
        #expect(result.victims.map(\.name) == ["guarded"])
        #expect(result.pdbViolations == 1)
        #expect(result.status.isSuccess)
    }
}
