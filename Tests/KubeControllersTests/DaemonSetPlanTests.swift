import Foundation
import KubeModel
import Testing
@testable import KubeControllers

/// Where daemon pods belong and what one DaemonSet sync does.
@Suite struct DaemonSetPlanTests {
    typealias F = WorkloadFixtures

    struct PlacementCase: Sendable, CustomTestStringConvertible {
        var label: String
        var template: CoreV1.PodSpec = CoreV1.PodSpec(containers: [F.container("agent:1")])
        var node: CoreV1.Node
        var shouldRun: Bool
        var shouldContinueRunning: Bool
        var testDescription: String { label }
    }

    static func spec(_ change: (inout CoreV1.PodSpec) -> Void) -> CoreV1.PodSpec {
        var spec = CoreV1.PodSpec(containers: [F.container("agent:1")])
        change(&spec)
        return spec
    }

    static func affinity(_ expressions: [CoreV1.NodeSelectorRequirement] = [],
                         fields: [CoreV1.NodeSelectorRequirement] = []) -> CoreV1.Affinity {
        CoreV1.Affinity(nodeAffinity: CoreV1.NodeAffinity(requiredDuringSchedulingIgnoredDuringExecution: CoreV1.NodeSelector(
            nodeSelectorTerms: [CoreV1.NodeSelectorTerm(matchExpressions: expressions.isEmpty ? nil : expressions,
                                                        matchFields: fields.isEmpty ? nil : fields)])))
    }

    static func taint(_ key: String, _ effect: String, value: String? = nil) -> CoreV1.Taint {
        CoreV1.Taint(effect: effect, key: key, value: value)
    }

    static let placements: [PlacementCase] = [
        PlacementCase(label: "a plain node", node: F.node("n"), shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "nodeSelector matches", template: spec { $0.nodeSelector = ["disk": "ssd"] },
                      node: F.node("n", labels: ["disk": "ssd"]), shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "nodeSelector does not match", template: spec { $0.nodeSelector = ["disk": "ssd"] },
                      node: F.node("n", labels: ["disk": "hdd"]), shouldRun: false, shouldContinueRunning: false),
        PlacementCase(label: "affinity In", template: spec {
            $0.affinity = affinity([CoreV1.NodeSelectorRequirement(key: "zone", operator: "In", values: ["a", "b"])])
        }, node: F.node("n", labels: ["zone": "b"]), shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "affinity NotIn", template: spec {
            $0.affinity = affinity([CoreV1.NodeSelectorRequirement(key: "zone", operator: "NotIn", values: ["a"])])
        }, node: F.node("n", labels: ["zone": "a"]), shouldRun: false, shouldContinueRunning: false),
        PlacementCase(label: "affinity DoesNotExist", template: spec {
            $0.affinity = affinity([CoreV1.NodeSelectorRequirement(key: "gpu", operator: "DoesNotExist")])
        }, node: F.node("n"), shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "affinity Gt", template: spec {
            $0.affinity = affinity([CoreV1.NodeSelectorRequirement(key: "cores", operator: "Gt", values: ["8"])])
        }, node: F.node("n", labels: ["cores": "4"]), shouldRun: false, shouldContinueRunning: false),
        PlacementCase(label: "affinity on the node name", template: spec {
            $0.affinity = affinity(fields: [CoreV1.NodeSelectorRequirement(key: "metadata.name", operator: "In", values: ["m"])])
        }, node: F.node("n"), shouldRun: false, shouldContinueRunning: false),
        PlacementCase(label: "template nodeName elsewhere", template: spec { $0.nodeName = "m" },
                      node: F.node("n"), shouldRun: false, shouldContinueRunning: false),
        PlacementCase(label: "an untolerated NoSchedule taint keeps new pods off but old ones on",
                      node: F.node("n", taints: [taint("dedicated", "NoSchedule")]), shouldRun: false, shouldContinueRunning: true),
        PlacementCase(label: "an untolerated NoExecute taint evicts",
                      node: F.node("n", taints: [taint("dedicated", "NoExecute")]), shouldRun: false, shouldContinueRunning: false),
        PlacementCase(label: "PreferNoSchedule does not matter",
                      node: F.node("n", taints: [taint("dedicated", "PreferNoSchedule")]), shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "a tolerated taint", template: spec {
            $0.tolerations = [CoreV1.Toleration(effect: "NoExecute", key: "dedicated", operator: "Equal", value: "infra")]
        }, node: F.node("n", taints: [taint("dedicated", "NoExecute", value: "infra")]), shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "a toleration for another value", template: spec {
            $0.tolerations = [CoreV1.Toleration(key: "dedicated", value: "infra")]
        }, node: F.node("n", taints: [taint("dedicated", "NoSchedule", value: "db")]), shouldRun: false, shouldContinueRunning: true),
        PlacementCase(label: "daemon pods tolerate unschedulable and not-ready nodes",
                      node: F.node("n", taints: [taint("node.kubernetes.io/unschedulable", "NoSchedule"),
                                                 taint("node.kubernetes.io/not-ready", "NoExecute")]),
                      shouldRun: true, shouldContinueRunning: true),
        PlacementCase(label: "network-unavailable is tolerated only with host networking",
                      node: F.node("n", taints: [taint("node.kubernetes.io/network-unavailable", "NoSchedule")]),
                      shouldRun: false, shouldContinueRunning: true),
        PlacementCase(label: "host-network pods tolerate network-unavailable", template: spec { $0.hostNetwork = true },
                      node: F.node("n", taints: [taint("node.kubernetes.io/network-unavailable", "NoSchedule")]),
                      shouldRun: true, shouldContinueRunning: true),
    ]

    @Test(arguments: placements)
    func placement(_ test: PlacementCase) {
        var template = CoreV1.PodTemplateSpec()
        template.spec = test.template
        let verdict = DaemonSetPlacement.verdict(template, on: test.node)
        #expect(verdict == DaemonSetPlacement.Verdict(shouldRun: test.shouldRun, shouldContinueRunning: test.shouldContinueRunning))
    }

    @Test func defaultTolerationsReplaceTimedOnes() {
        var spec = Self.spec {
            $0.tolerations = [CoreV1.Toleration(effect: "NoExecute", key: "node.kubernetes.io/not-ready", operator: "Exists",
                                                tolerationSeconds: 300)]
        }
        DaemonSetPlacement.addDefaultTolerations(&spec)
        #expect(spec.tolerations?.map(\.key) == [
            "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "node.kubernetes.io/disk-pressure",
            "node.kubernetes.io/memory-pressure", "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable",
        ])
        #expect(spec.tolerations?.allSatisfy { $0.tolerationSeconds == nil && $0.operator == "Exists" } == true)
    }

    @Test func pinningReplacesRequiredTerms() {
        var spec = Self.spec {
            $0.affinity = Self.affinity([CoreV1.NodeSelectorRequirement(key: "zone", operator: "In", values: ["a"])])
        }
        DaemonSetPlacement.pin(&spec, to: "node-7")
        let terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
        #expect(terms == [CoreV1.NodeSelectorTerm(matchFields: [
            CoreV1.NodeSelectorRequirement(key: "metadata.name", operator: "In", values: ["node-7"]),
        ])])
        var pod = CoreV1.Pod()
        pod.spec = spec
        #expect(DaemonSetPlacement.targetNode(of: pod) == "node-7")
        pod.spec.nodeName = "node-8"
        #expect(DaemonSetPlacement.targetNode(of: pod) == "node-8")
    }

    // MARK: - Plans

    func input(_ set: AppsV1.DaemonSet = F.daemonSet(), nodes: [String], pods: [CoreV1.Pod], hash: String = "new") -> DaemonSetPlan.Input {
        DaemonSetPlan.Input(set: set, nodes: nodes.map { F.node($0) },
                            podsByNode: DaemonSetController.podsByNode(pods), hash: hash, now: F.now)
    }

    @Test func manageCreatesMissingAndRemovesSurplus() {
        let pods = [
            F.daemonPod("a-1", node: "a", hash: "new", age: 60), F.daemonPod("a-2", node: "a", hash: "new", age: 30),
            F.daemonPod("gone-1", node: "gone", hash: "new"),
            F.daemonPod("c-1", node: "c", hash: "new", phase: "Succeeded"),
        ]
        let plan = DaemonSetPlan.manage(input(nodes: ["a", "b", "c"], pods: pods))
        #expect(plan.nodesNeedingPods == ["b"])
        #expect(Set(plan.podsToDelete.map(\.name)) == ["a-2", "gone-1", "c-1"])
    }

    @Test func manageReportsFailedPods() {
        let plan = DaemonSetPlan.manage(input(nodes: ["a"], pods: [F.daemonPod("a-1", node: "a", hash: "new", phase: "Failed")]))
        #expect(plan.failedPods.map(\.pod.name) == ["a-1"])
        #expect(plan.nodesNeedingPods.isEmpty && plan.podsToDelete.isEmpty)
    }

    @Test func rollingUpdateWithinMaxUnavailable() {
        let pods = ["a", "b", "c"].map { F.daemonPod("\($0)-old", node: $0, hash: "old") }
        #expect(DaemonSetPlan.rollingUpdate(input(nodes: ["a", "b", "c"], pods: pods)).podsToDelete.map(\.name) == ["a-old"])
        let two = F.daemonSet(maxUnavailable: "50%")
        #expect(DaemonSetPlan.rollingUpdate(input(two, nodes: ["a", "b", "c"], pods: pods)).podsToDelete.map(\.name) == ["a-old", "b-old"])
        // A node whose new pod is not available yet uses up the budget.
        let waiting = [F.daemonPod("a-new", node: "a", hash: "new", ready: false)] + pods.dropFirst()
        #expect(DaemonSetPlan.rollingUpdate(input(nodes: ["a", "b", "c"], pods: waiting)).podsToDelete.isEmpty)
        // Unavailable old pods are replaced regardless.
        let broken = [F.daemonPod("a-new", node: "a", hash: "new", ready: false), F.daemonPod("b-old", node: "b", hash: "old", ready: false)]
        #expect(DaemonSetPlan.rollingUpdate(input(nodes: ["a", "b"], pods: broken)).podsToDelete.map(\.name) == ["b-old"])
    }

    @Test func rollingUpdateWithSurge() {
        let set = F.daemonSet(maxUnavailable: 0, maxSurge: 1)
        let pods = ["a", "b"].map { F.daemonPod("\($0)-old", node: $0, hash: "old") }
        let start = DaemonSetPlan.rollingUpdate(input(set, nodes: ["a", "b"], pods: pods))
        #expect(start.nodesNeedingPods == ["a"] && start.podsToDelete.isEmpty)
        let surging = pods + [F.daemonPod("a-new", node: "a", hash: "new", ready: false)]
        let waiting = DaemonSetPlan.rollingUpdate(input(set, nodes: ["a", "b"], pods: surging))
        #expect(waiting.nodesNeedingPods.isEmpty && waiting.podsToDelete.isEmpty)
        let ready = pods + [F.daemonPod("a-new", node: "a", hash: "new")]
        let swap = DaemonSetPlan.rollingUpdate(input(set, nodes: ["a", "b"], pods: ready))
        #expect(swap.podsToDelete.map(\.name) == ["a-old"])
        #expect(swap.nodesNeedingPods == ["b"])
        // manage keeps both pods of a surging node while the new one is not available.
        #expect(DaemonSetPlan.manage(input(set, nodes: ["a", "b"], pods: surging)).podsToDelete.isEmpty)
        #expect(DaemonSetPlan.manage(input(set, nodes: ["a", "b"], pods: ready)).podsToDelete.map(\.name) == ["a-old"])
    }

    @Test func statusCounts() {
        var set = F.daemonSet()
        set.spec.template.spec?.nodeSelector = ["role": "worker"]
        let nodes = [F.node("a", labels: ["role": "worker"]), F.node("b", labels: ["role": "worker"]),
                     F.node("c", labels: ["role": "worker"]), F.node("d")]
        let pods = [F.daemonPod("a-1", node: "a", hash: "new"), F.daemonPod("b-1", node: "b", hash: "old", ready: false),
                    F.daemonPod("d-1", node: "d", hash: "new")]
        let status = DaemonSetPlan.status(DaemonSetPlan.Input(set: set, nodes: nodes, podsByNode: DaemonSetController.podsByNode(pods),
                                                              hash: "new", now: F.now))
        #expect(status.desiredNumberScheduled == 3)
        #expect(status.currentNumberScheduled == 2)
        #expect(status.numberMisscheduled == 1)
        #expect(status.numberReady == 1)
        #expect(status.numberAvailable == 1)
        #expect(status.numberUnavailable == 2)
        #expect(status.updatedNumberScheduled == 1)
    }
}
