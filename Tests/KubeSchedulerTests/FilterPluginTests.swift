import KubeModel
import Testing

@testable import KubeScheduler

/// One filter case: a pod against one node (named "n1") with existing pods; the expected
/// status summary ("ok" or the joined reasons) and code.
struct FilterCase: Sendable, CustomStringConvertible {
    var description: String
    var plugin: String
    var pod: CoreV1.Pod
    var node: CoreV1.Node
    var existing: [CoreV1.Pod] = []
    var expected: String
    var code: Status.Code = .success

    func run() -> Status {
        Run.filter(plugin, pod: pod, nodes: [node], pods: existing)[node.metadata.name!]!
    }
}

@Suite struct FilterPluginTests {
    static let n1 = Make.node("n1", labels: ["zone": "a", "disk": "ssd", "cores": "8"])

    static func withTolerations(_ tolerations: [CoreV1.Toleration]) -> (inout CoreV1.Pod) -> Void {
        { $0.spec.tolerations = tolerations }
    }

    static let nodeUnschedulable: [FilterCase] = [
        FilterCase(description: "schedulable node", plugin: NodeUnschedulable.pluginName, pod: Make.pod("p"),
                   node: n1, expected: "ok"),
        FilterCase(description: "cordoned node", plugin: NodeUnschedulable.pluginName, pod: Make.pod("p"),
                   node: Make.node("n1", unschedulable: true), expected: "node(s) were unschedulable",
                   code: .unschedulableAndUnresolvable),
        FilterCase(description: "cordoned node, pod tolerates unschedulable", plugin: NodeUnschedulable.pluginName,
                   pod: Make.pod("p", configure: withTolerations([
                       Make.toleration("node.kubernetes.io/unschedulable", "Exists", nil, "NoSchedule"),
                   ])),
                   node: Make.node("n1", unschedulable: true), expected: "ok"),
    ]

    static let nodeName: [FilterCase] = [
        FilterCase(description: "no node name", plugin: NodeName.pluginName, pod: Make.pod("p"), node: n1, expected: "ok"),
        FilterCase(description: "matching node name", plugin: NodeName.pluginName,
                   pod: Make.pod("p") { $0.spec.nodeName = "n1" }, node: n1, expected: "ok"),
        FilterCase(description: "other node name", plugin: NodeName.pluginName,
                   pod: Make.pod("p") { $0.spec.nodeName = "n2" }, node: n1,
                   expected: "node(s) didn't match the requested node name", code: .unschedulableAndUnresolvable),
    ]

    static func affinity(_ terms: [CoreV1.NodeSelectorTerm]) -> (inout CoreV1.Pod) -> Void {
        { pod in
            pod.spec.affinity = CoreV1.Affinity(nodeAffinity: CoreV1.NodeAffinity(
                requiredDuringSchedulingIgnoredDuringExecution: CoreV1.NodeSelector(nodeSelectorTerms: terms)))
        }
    }

    static func expressions(_ requirements: CoreV1.NodeSelectorRequirement...) -> CoreV1.NodeSelectorTerm {
        CoreV1.NodeSelectorTerm(matchExpressions: requirements)
    }

    static let mismatch = "node(s) didn't match Pod's node affinity/selector"
    static func affinityCase(_ description: String, _ terms: [CoreV1.NodeSelectorTerm], fits: Bool) -> FilterCase {
        FilterCase(description: description, plugin: NodeAffinity.pluginName, pod: Make.pod("p", configure: affinity(terms)),
                   node: n1, expected: fits ? "ok" : mismatch, code: fits ? .success : .unschedulableAndUnresolvable)
    }

    static let nodeAffinity: [FilterCase] = [
        FilterCase(description: "nodeSelector matches", plugin: NodeAffinity.pluginName,
                   pod: Make.pod("p") { $0.spec.nodeSelector = ["zone": "a"] }, node: n1, expected: "ok"),
        FilterCase(description: "nodeSelector mismatches", plugin: NodeAffinity.pluginName,
                   pod: Make.pod("p") { $0.spec.nodeSelector = ["zone": "b"] }, node: n1, expected: mismatch,
                   code: .unschedulableAndUnresolvable),
        affinityCase("In matches", [expressions(Make.requirement("zone", "In", ["a", "b"]))], fits: true),
        affinityCase("In mismatches", [expressions(Make.requirement("zone", "In", ["b"]))], fits: false),
        affinityCase("NotIn", [expressions(Make.requirement("zone", "NotIn", ["b"]))], fits: true),
        affinityCase("NotIn on a missing label", [expressions(Make.requirement("gpu", "NotIn", ["x"]))], fits: true),
        affinityCase("Exists", [expressions(Make.requirement("disk", "Exists"))], fits: true),
        affinityCase("DoesNotExist", [expressions(Make.requirement("disk", "DoesNotExist"))], fits: false),
        affinityCase("Gt", [expressions(Make.requirement("cores", "Gt", ["4"]))], fits: true),
        affinityCase("Lt", [expressions(Make.requirement("cores", "Lt", ["4"]))], fits: false),
        affinityCase("Gt with a non-numeric label", [expressions(Make.requirement("zone", "Gt", ["1"]))], fits: false),
        affinityCase("expressions are ANDed",
                     [expressions(Make.requirement("zone", "In", ["a"]), Make.requirement("disk", "In", ["hdd"]))], fits: false),
        affinityCase("terms are ORed",
                     [expressions(Make.requirement("zone", "In", ["b"])), expressions(Make.requirement("disk", "In", ["ssd"]))],
                     fits: true),
        affinityCase("an empty term matches nothing", [CoreV1.NodeSelectorTerm()], fits: false),
        affinityCase("matchFields metadata.name",
                     [CoreV1.NodeSelectorTerm(matchFields: [Make.requirement("metadata.name", "In", ["n1"])])], fits: true),
        affinityCase("matchFields NotIn this name",
                     [CoreV1.NodeSelectorTerm(matchFields: [Make.requirement("metadata.name", "NotIn", ["n1"])])], fits: false),
    ]

    static let taints: [FilterCase] = [
        FilterCase(description: "untolerated NoSchedule", plugin: TaintToleration.pluginName, pod: Make.pod("p"),
                   node: Make.node("n1", taints: [Make.taint("dedicated", "db")]),
                   expected: "node(s) had untolerated taint {dedicated: db}", code: .unschedulableAndUnresolvable),
        FilterCase(description: "untolerated NoExecute", plugin: TaintToleration.pluginName, pod: Make.pod("p"),
                   node: Make.node("n1", taints: [Make.taint("node.kubernetes.io/not-ready", nil, "NoExecute")]),
                   expected: "node(s) had untolerated taint {node.kubernetes.io/not-ready: }", code: .unschedulableAndUnresolvable),
        FilterCase(description: "PreferNoSchedule does not filter", plugin: TaintToleration.pluginName, pod: Make.pod("p"),
                   node: Make.node("n1", taints: [Make.taint("soft", nil, "PreferNoSchedule")]), expected: "ok"),
        FilterCase(description: "Equal toleration", plugin: TaintToleration.pluginName,
                   pod: Make.pod("p", configure: withTolerations([Make.toleration("dedicated", "Equal", "db", "NoSchedule")])),
                   node: Make.node("n1", taints: [Make.taint("dedicated", "db")]), expected: "ok"),
        FilterCase(description: "Equal toleration with another value", plugin: TaintToleration.pluginName,
                   pod: Make.pod("p", configure: withTolerations([Make.toleration("dedicated", "Equal", "web")])),
                   node: Make.node("n1", taints: [Make.taint("dedicated", "db")]),
                   expected: "node(s) had untolerated taint {dedicated: db}", code: .unschedulableAndUnresolvable),
        FilterCase(description: "Exists with empty key tolerates everything", plugin: TaintToleration.pluginName,
                   pod: Make.pod("p", configure: withTolerations([Make.toleration(nil, "Exists")])),
                   node: Make.node("n1", taints: [Make.taint("a", "1"), Make.taint("b", nil, "NoExecute")]), expected: "ok"),
        FilterCase(description: "toleration for another effect", plugin: TaintToleration.pluginName,
                   pod: Make.pod("p", configure: withTolerations([Make.toleration("dedicated", "Exists", nil, "NoExecute")])),
                   node: Make.node("n1", taints: [Make.taint("dedicated", "db")]),
                   expected: "node(s) had untolerated taint {dedicated: db}", code: .unschedulableAndUnresolvable),
    ]

    static let fit: [FilterCase] = [
        FilterCase(description: "fits", plugin: NodeResourcesFit.pluginName, pod: Make.pod("p", cpu: "1", memory: "1Gi"),
                   node: n1, existing: [Make.pod("e", cpu: "2", memory: "2Gi", node: "n1")], expected: "ok"),
        FilterCase(description: "insufficient cpu", plugin: NodeResourcesFit.pluginName,
                   pod: Make.pod("p", cpu: "3"), node: n1, existing: [Make.pod("e", cpu: "2", node: "n1")],
                   expected: "Insufficient cpu", code: .unschedulable),
        FilterCase(description: "insufficient cpu and memory", plugin: NodeResourcesFit.pluginName,
                   pod: Make.pod("p", cpu: "3", memory: "7Gi"), node: n1,
                   existing: [Make.pod("e", cpu: "2", memory: "2Gi", node: "n1")],
                   expected: "Insufficient cpu, Insufficient memory", code: .unschedulable),
        FilterCase(description: "more than the node has at all", plugin: NodeResourcesFit.pluginName,
                   pod: Make.pod("p", cpu: "5"), node: n1, expected: "Insufficient cpu", code: .unschedulableAndUnresolvable),
        FilterCase(description: "too many pods", plugin: NodeResourcesFit.pluginName, pod: Make.pod("p"),
                   node: Make.node("n1", pods: 1), existing: [Make.pod("e", node: "n1")], expected: "Too many pods",
                   code: .unschedulable),
        FilterCase(description: "best-effort pod fits a full node", plugin: NodeResourcesFit.pluginName, pod: Make.pod("p"),
                   node: n1, existing: [Make.pod("e", cpu: "4", memory: "8Gi", node: "n1")], expected: "ok"),
        FilterCase(description: "extended resource missing", plugin: NodeResourcesFit.pluginName,
                   pod: Make.pod("p") { $0.spec.containers[0].resources = CoreV1.ResourceRequirements(requests: ["example.com/gpu": "1"]) },
                   node: n1, expected: "Insufficient example.com/gpu", code: .unschedulableAndUnresolvable),
        FilterCase(description: "extended resource available", plugin: NodeResourcesFit.pluginName,
                   pod: Make.pod("p") { $0.spec.containers[0].resources = CoreV1.ResourceRequirements(requests: ["example.com/gpu": "1"]) },
                   node: Make.node("n1", extra: ["example.com/gpu": "2"]), expected: "ok"),
        FilterCase(description: "ephemeral storage", plugin: NodeResourcesFit.pluginName,
                   pod: Make.pod("p") { $0.spec.containers[0].resources = CoreV1.ResourceRequirements(requests: ["ephemeral-storage": "60Gi"]) },
                   node: n1,
                   existing: [Make.pod("e", node: "n1") { $0.spec.containers[0].resources = CoreV1.ResourceRequirements(requests: ["ephemeral-storage": "50Gi"]) }],
                   expected: "Insufficient ephemeral-storage", code: .unschedulable),
        FilterCase(description: "init container counts", plugin: NodeResourcesFit.pluginName,
                   pod: Make.pod("p", cpu: "100m") { $0.spec.initContainers = [Make.container("i", cpu: "3")] },
                   node: n1, existing: [Make.pod("e", cpu: "2", node: "n1")], expected: "Insufficient cpu", code: .unschedulable),
    ]

    static func hostPort(_ port: Int, protocol: String? = nil, ip: String? = nil) -> (inout CoreV1.Pod) -> Void {
        { $0.spec.containers[0].ports = [CoreV1.ContainerPort(containerPort: 80, hostIP: ip, hostPort: port, protocol: `protocol`)] }
    }

    static let portsReason = "node(s) didn't have free ports for the requested pod ports"
    static let ports: [FilterCase] = [
        FilterCase(description: "free port", plugin: NodePorts.pluginName, pod: Make.pod("p", configure: hostPort(8080)),
                   node: n1, existing: [Make.pod("e", node: "n1", configure: hostPort(8081))], expected: "ok"),
        FilterCase(description: "same port", plugin: NodePorts.pluginName, pod: Make.pod("p", configure: hostPort(8080)),
                   node: n1, existing: [Make.pod("e", node: "n1", configure: hostPort(8080))], expected: portsReason,
                   code: .unschedulable),
        FilterCase(description: "same port, other protocol", plugin: NodePorts.pluginName,
                   pod: Make.pod("p", configure: hostPort(53, protocol: "UDP")), node: n1,
                   existing: [Make.pod("e", node: "n1", configure: hostPort(53, protocol: "TCP"))], expected: "ok"),
        FilterCase(description: "same port, different specific IPs", plugin: NodePorts.pluginName,
                   pod: Make.pod("p", configure: hostPort(80, ip: "10.0.0.1")), node: n1,
                   existing: [Make.pod("e", node: "n1", configure: hostPort(80, ip: "10.0.0.2"))], expected: "ok"),
        FilterCase(description: "0.0.0.0 conflicts with a specific IP", plugin: NodePorts.pluginName,
                   pod: Make.pod("p", configure: hostPort(80)), node: n1,
                   existing: [Make.pod("e", node: "n1", configure: hostPort(80, ip: "10.0.0.2"))], expected: portsReason,
                   code: .unschedulable),
        FilterCase(description: "specific IP conflicts with 0.0.0.0", plugin: NodePorts.pluginName,
                   pod: Make.pod("p", configure: hostPort(80, ip: "10.0.0.1")), node: n1,
                   existing: [Make.pod("e", node: "n1", configure: hostPort(80))], expected: portsReason, code: .unschedulable),
    ]

    @Test(arguments: nodeUnschedulable + nodeName + nodeAffinity + taints + fit + ports)
    func filter(_ testCase: FilterCase) {
        let status = testCase.run()
        #expect(status.summary == testCase.expected)
        #expect(status.code == testCase.code)
    }

    @Test func nodeAffinityPinsNodesThroughMatchFields() {
        let pod = Make.pod("p", configure: Self.affinity([
            CoreV1.NodeSelectorTerm(matchFields: [Make.requirement("metadata.name", "In", ["n2"])]),
        ]))
        let statuses = Run.filter(NodeAffinity.pluginName, pod: pod, nodes: [Make.node("n1"), Make.node("n2")])
        #expect(statuses["n2"]?.isSuccess == true)
        #expect(statuses["n1"]?.message == "not in PreFilter result")
    }

    @Test(arguments: [
        ([VolumeConflict](), "ok"),
        ([VolumeConflict.nodeConflict], "node(s) had volume node affinity conflict"),
    ])
    func volumeBinding(_ conflicts: [VolumeConflict], _ expected: String) {
        let checker = VolumeChecker(checkNode: { _, claims, _ in claims == ["data"] ? conflicts : [.bindConflict] })
        let pod = Make.pod("p") {
            $0.spec.volumes = [CoreV1.Volume(name: "v", persistentVolumeClaim: CoreV1.PersistentVolumeClaimVolumeSource(claimName: "data"))]
        }
        let status = Run.filter(VolumeBinding.pluginName, pod: pod, nodes: [Make.node("n1")],
                                handle: PluginHandle(volumeChecker: checker))["n1"]!
        #expect(status.summary == expected)
        #expect(Run.filter(VolumeBinding.pluginName, pod: Make.pod("q"), nodes: [Make.node("n1")],
                           handle: PluginHandle(volumeChecker: checker))["n1"]!.isSuccess)
    }

    @Test func volumeClaimProblemRejectsEveryNode() {
        let checker = VolumeChecker(checkClaims: { _, _ in "persistentvolumeclaim \"data\" not found" },
                                    checkNode: { _, _, _ in [] })
        let pod = Make.pod("p") {
            $0.spec.volumes = [CoreV1.Volume(name: "v", persistentVolumeClaim: CoreV1.PersistentVolumeClaimVolumeSource(claimName: "data"))]
        }
        let statuses = Run.filter(VolumeBinding.pluginName, pod: pod, nodes: [Make.node("n1"), Make.node("n2")],
                                  handle: PluginHandle(volumeChecker: checker))
        #expect(statuses.values.allSatisfy { $0.message == "persistentvolumeclaim \"data\" not found" })
    }

    @Test func persistentVolumeNodeAffinity() {
        var volume = CoreV1.PersistentVolume()
        volume.spec.nodeAffinity = CoreV1.VolumeNodeAffinity(required: CoreV1.NodeSelector(nodeSelectorTerms: [
            Self.expressions(Make.requirement("kubernetes.io/hostname", "In", ["n1"])),
        ]))
        let snapshot = Snapshot(nodes: [Make.node("n1"), Make.node("n2")])
        #expect(VolumeChecker.volume(volume, isReachableFrom: snapshot.node(named: "n1")!))
        #expect(!VolumeChecker.volume(volume, isReachableFrom: snapshot.node(named: "n2")!))
    }
}
