import KubeModel
import Testing

@testable import KubeScheduler

struct ScoreCase: Sendable, CustomStringConvertible {
    var description: String
    var plugin: String
    var pod: CoreV1.Pod
    var nodes: [CoreV1.Node]
    var existing: [CoreV1.Pod] = []
    var arguments: PluginArguments? = nil
    var expected: [String: Int64]
}

@Suite struct ScorePluginTests {
    // Two nodes as in upstream's least/most allocated tests: 4 cores/10000 bytes and 6 cores/10000 bytes.
    static let small = Make.node("small", cpu: "4", memory: "10000")
    static let large = Make.node("large", cpu: "6", memory: "10000")

    static let fit = NodeResourcesFit.pluginName
    static let balanced = BalancedAllocation.pluginName

    static let cases: [ScoreCase] = [
        ScoreCase(
            description: "least allocated, empty nodes",
            plugin: fit, pod: Make.pod("p", cpu: "0", memory: "0"), nodes: [small, large],
            expected: ["small": 100, "large": 100]),
        ScoreCase(
            // small: cpu (4000-3000)/4000 = 25, memory (10000-5000)/10000 = 50 → 37
            // large: cpu (6000-3000)/6000 = 50, memory 50 → 50
            description: "least allocated prefers room",
            plugin: fit, pod: Make.pod("p", cpu: "3", memory: "5000"), nodes: [small, large],
            expected: ["small": 37, "large": 50]),
        ScoreCase(
            // Best-effort pods count 100m and 200Mi when scoring: memory exceeds 10000 bytes → 0.
            description: "least allocated with the non-zero defaults",
            plugin: fit, pod: Make.pod("p"), nodes: [small], expected: ["small": 48]),
        ScoreCase(
            description: "most allocated prefers packing",
            plugin: fit, pod: Make.pod("p", cpu: "3", memory: "5000"), nodes: [small, large],
            arguments: .nodeResourcesFit(ScoringStrategy(.mostAllocated)),
            expected: ["small": 62, "large": 50]),
        ScoreCase(
            description: "most allocated caps at capacity",
            plugin: fit, pod: Make.pod("p", cpu: "8", memory: "20000"), nodes: [small],
            arguments: .nodeResourcesFit(ScoringStrategy(.mostAllocated)),
            expected: ["small": 100]),
        ScoreCase(
            description: "weighted resources",
            plugin: fit, pod: Make.pod("p", cpu: "3", memory: "5000"), nodes: [small],
            arguments: .nodeResourcesFit(ScoringStrategy(resources: [ResourceWeight("cpu", weight: 3), ResourceWeight("memory", weight: 1)])),
            expected: ["small": 31]),
        ScoreCase(
            // small: cpu 3/4 = .75, memory .5 → std .125 → 87; large: .5 and .5 → 100
            description: "balanced allocation",
            plugin: balanced, pod: Make.pod("p", cpu: "3", memory: "5000"), nodes: [small, large],
            expected: ["small": 87, "large": 100]),
        ScoreCase(
            description: "balanced allocation counts existing pods' real requests",
            plugin: balanced, pod: Make.pod("p", cpu: "1", memory: "1000"), nodes: [small],
            existing: [Make.pod("e", cpu: "1", memory: "4000", node: "small")],
            // cpu 2/4 = .5, memory 5000/10000 = .5 → 100
            expected: ["small": 100]),
        ScoreCase(
            description: "balanced allocation skips best-effort pods",
            plugin: balanced, pod: Make.pod("p"), nodes: [small, large],
            expected: ["small": 0, "large": 0]),
    ]

    static let affinityNodes = [
        Make.node("n1", labels: ["zone": "a", "disk": "ssd"]),
        Make.node("n2", labels: ["zone": "b"]),
        Make.node("n3", labels: ["zone": "a"]),
    ]

    static func preferred(_ terms: [(Int, CoreV1.NodeSelectorRequirement)]) -> CoreV1.Pod {
        Make.pod("p") {
            $0.spec.affinity = CoreV1.Affinity(nodeAffinity: CoreV1.NodeAffinity(
                preferredDuringSchedulingIgnoredDuringExecution: terms.map {
                    CoreV1.PreferredSchedulingTerm(preference: CoreV1.NodeSelectorTerm(matchExpressions: [$0.1]), weight: $0.0)
                }))
        }
    }

    static let nodeAffinityCases: [ScoreCase] = [
        ScoreCase(
            description: "preferred node affinity: weights summed, scaled by the best",
            plugin: NodeAffinity.pluginName,
            pod: preferred([(2, Make.requirement("zone", "In", ["a"])), (6, Make.requirement("disk", "In", ["ssd"]))]),
            nodes: affinityNodes, expected: ["n1": 100, "n2": 0, "n3": 25]),
        ScoreCase(
            description: "no preferred terms: no score",
            plugin: NodeAffinity.pluginName, pod: Make.pod("p"), nodes: affinityNodes,
            expected: ["n1": 0, "n2": 0, "n3": 0]),
    ]

    static let taintCases: [ScoreCase] = [
        ScoreCase(
            description: "fewer untolerated PreferNoSchedule taints is better",
            plugin: TaintToleration.pluginName,
            pod: Make.pod("p") { $0.spec.tolerations = [Make.toleration("tolerated", "Exists", nil, "PreferNoSchedule")] },
            nodes: [
                Make.node("clean"),
                Make.node("one", taints: [Make.taint("x", nil, "PreferNoSchedule"), Make.taint("tolerated", nil, "PreferNoSchedule")]),
                Make.node("two", taints: [Make.taint("x", nil, "PreferNoSchedule"), Make.taint("y", nil, "PreferNoSchedule"),
                                          Make.taint("z", nil, "NoSchedule")]),
            ],
            expected: ["clean": 100, "one": 50, "two": 0]),
        ScoreCase(
            description: "no PreferNoSchedule taints anywhere: all top",
            plugin: TaintToleration.pluginName, pod: Make.pod("p"), nodes: [Make.node("a"), Make.node("b")],
            expected: ["a": 100, "b": 100]),
    ]

    @Test(arguments: cases + nodeAffinityCases + taintCases)
    func score(_ testCase: ScoreCase) {
        let scores = Run.score(testCase.plugin, pod: testCase.pod, nodes: testCase.nodes, pods: testCase.existing,
                               arguments: testCase.arguments)
        #expect(scores == testCase.expected)
    }

    @Test func defaultNormalize() {
        var scores = [NodeScore(name: "a", score: 2), NodeScore(name: "b", score: 4), NodeScore(name: "c", score: 0)]
        defaultNormalizeScores(&scores, reverse: false)
        #expect(scores.map(\.score) == [50, 100, 0])
        defaultNormalizeScores(&scores, reverse: true)
        #expect(scores.map(\.score) == [50, 0, 100])
    }
}
