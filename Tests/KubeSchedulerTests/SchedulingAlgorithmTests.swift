import KubeModel
import Testing

@testable import KubeScheduler

@Suite struct SchedulingAlgorithmTests {
    static let controlPlaneTaint = Make.taint("node-role.kubernetes.io/control-plane")

    static func schedule(_ pod: CoreV1.Pod, nodes: [CoreV1.Node], pods: [CoreV1.Pod] = [], profile: Profile = .default,
                         handle: PluginHandle = PluginHandle(), seed: UInt64 = 1) async -> Result<ScheduleResult, ScheduleError>
    {
        var algorithm = SchedulingAlgorithm(framework: try! Framework(profile: profile, handle: handle))
        var random = SeededRandom(seed: seed)
        do {
            return .success(try await algorithm.schedule(pod: pod, snapshot: Snapshot(nodes: nodes, pods: pods), random: &random))
        } catch {
            return .failure(error)
        }
    }

    struct MessageCase: Sendable, CustomStringConvertible {
        var description: String
        var pod: CoreV1.Pod
        var nodes: [CoreV1.Node]
        var pods: [CoreV1.Pod] = []
        var profile: Profile = .default
        var message: String
    }

    static let noPreemption = Profile(plugins: Profile.default.plugins.filter { $0.name != DefaultPreemption.pluginName })

    static let messageCases: [MessageCase] = [
        MessageCase(
            description: "the example: unresolvable cpu and control-plane taints",
            pod: Make.pod("p", cpu: "4"),
            nodes: [Make.node("worker", cpu: "2"), Make.node("cp1", taints: [controlPlaneTaint]),
                    Make.node("cp2", taints: [controlPlaneTaint])],
            message: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."),
        MessageCase(
            description: "resolvable shortage without lower-priority pods",
            pod: Make.pod("p", cpu: "3"),
            nodes: [Make.node("a", cpu: "4"), Make.node("b", cpu: "4")],
            pods: [Make.pod("x", cpu: "2", node: "a"), Make.pod("y", cpu: "2", node: "b")],
            message: "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."),
        MessageCase(
            description: "preemptionPolicy Never",
            pod: Make.pod("p", cpu: "3", priority: 100) { $0.spec.preemptionPolicy = "Never" },
            nodes: [Make.node("a", cpu: "4")], pods: [Make.pod("x", cpu: "2", node: "a")],
            message: "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."),
        MessageCase(
            description: "several reasons on one node, counts sorted as strings",
            pod: Make.pod("p", cpu: "3", memory: "10Gi"),
            nodes: (1...10).map { Make.node("t\($0)", taints: [Make.taint("a")]) } + [Make.node("m1", memory: "4Gi"), Make.node("m2", memory: "4Gi")],
            message: "0/12 nodes are available: 10 node(s) had untolerated taint {a: }, 2 Insufficient memory. preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling."),
        MessageCase(
            description: "node selector mismatch",
            pod: Make.pod("p") { $0.spec.nodeSelector = ["disk": "ssd"] },
            nodes: [Make.node("a"), Make.node("b")],
            message: "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."),
        MessageCase(
            description: "without a PostFilter plugin",
            pod: Make.pod("p", cpu: "8"), nodes: [Make.node("a", cpu: "4")], profile: noPreemption,
            message: "0/1 nodes are available: 1 Insufficient cpu."),
        MessageCase(
            description: "a PreFilter rejection",
            pod: Make.pod("p") {
                $0.spec.affinity = CoreV1.Affinity(nodeAffinity: CoreV1.NodeAffinity(
                    requiredDuringSchedulingIgnoredDuringExecution: CoreV1.NodeSelector(nodeSelectorTerms: [
                        CoreV1.NodeSelectorTerm(matchFields: [
                            Make.requirement("metadata.name", "In", ["a"]), Make.requirement("metadata.name", "In", ["b"]),
                        ]),
                    ])))
            },
            nodes: [Make.node("a"), Make.node("b")],
            message: "0/2 nodes are available: pod affinity terms conflict. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."),
        MessageCase(
            description: "too many pods and ports",
            pod: Make.pod("p") { $0.spec.containers[0].ports = [CoreV1.ContainerPort(containerPort: 80, hostPort: 80)] },
            nodes: [Make.node("a", pods: 1), Make.node("b")],
            pods: [Make.pod("x", node: "a"), Make.pod("y", node: "b") { $0.spec.containers[0].ports = [CoreV1.ContainerPort(containerPort: 80, hostPort: 80)] }],
            message: "0/2 nodes are available: 1 Too many pods, 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."),
    ]

    @Test(arguments: messageCases)
    func fitErrorMessage(_ testCase: MessageCase) async {
        let result = await Self.schedule(testCase.pod, nodes: testCase.nodes, pods: testCase.pods, profile: testCase.profile)
        guard case .failure(.unschedulable(let fitError)) = result else {
            Issue.record("expected a FitError, got \(result)")
            return
        }
        #expect(fitError.message == testCase.message)
    }

    @Test func noNodes() async {
        let result = await Self.schedule(Make.pod("p"), nodes: [])
        guard case .failure(.noNodesAvailable) = result else {
            Issue.record("expected noNodesAvailable")
            return
        }
    }

    @Test func picksTheLeastLoadedNode() async throws {
        let nodes = [Make.node("busy"), Make.node("idle"), Make.node("half")]
        let pods = [Make.pod("a", cpu: "3", memory: "6Gi", node: "busy"), Make.pod("b", cpu: "2", memory: "4Gi", node: "half")]
        let result = try await Self.schedule(Make.pod("p", cpu: "500m", memory: "1Gi"), nodes: nodes, pods: pods).get()
        #expect(result.suggestedHost == "idle")
        #expect(result.feasibleNodes == 3)
    }

    @Test func avoidsPreferNoScheduleAndFollowsPreferredAffinity() async throws {
        let nodes = [Make.node("tainted", labels: ["disk": "ssd"], taints: [Make.taint("soft", nil, "PreferNoSchedule")]),
                     Make.node("ssd", labels: ["disk": "ssd"]), Make.node("plain")]
        let pod = ScorePluginTests.preferred([(10, Make.requirement("disk", "In", ["ssd"]))])
        let result = try await Self.schedule(pod, nodes: nodes).get()
        #expect(result.suggestedHost == "ssd")
    }

    @Test func tiesAreBrokenByTheRandomSource() async throws {
        let nodes = (1...8).map { Make.node("n\($0)") }
        var chosen: Set<String> = []
        for seed in 1...20 {
            chosen.insert(try await Self.schedule(Make.pod("p"), nodes: nodes, seed: UInt64(seed)).get().suggestedHost)
        }
        #expect(chosen.count > 1)
        let first = try await Self.schedule(Make.pod("p"), nodes: nodes, seed: 7).get().suggestedHost
        let again = try await Self.schedule(Make.pod("p"), nodes: nodes, seed: 7).get().suggestedHost
        #expect(first == again)
    }

    @Test(arguments: [
        (nil as Int?, 50, 50), (nil, 100, 100), (nil, 1000, 420), (nil, 5000, 500), (nil, 6000, 300),
        (nil, 20000, 1000), (30, 1000, 300), (10, 200, 100),
    ])
    func numFeasibleNodesToFind(_ percentage: Int?, _ nodes: Int, _ expected: Int) {
        #expect(SchedulingAlgorithm.numFeasibleNodesToFind(percentage: percentage, numAllNodes: nodes) == expected)
    }

    @Test func startIndexRotates() async throws {
        let nodes = (0..<300).map { Make.node("n\($0)") }
        var algorithm = SchedulingAlgorithm(framework: try Framework(), parallelism: 2)
        var random = SeededRandom(seed: 3)
        let snapshot = Snapshot(nodes: nodes)
        let first = try await algorithm.schedule(pod: Make.pod("p"), snapshot: snapshot, random: &random)
        // 50% − 300/125 = 48% of 300 nodes.
        #expect(first.evaluatedNodes == 144)
        #expect(algorithm.nextStartNodeIndex == first.evaluatedNodes)
        _ = try await algorithm.schedule(pod: Make.pod("q"), snapshot: snapshot, random: &random)
        #expect(algorithm.nextStartNodeIndex == 2 * first.evaluatedNodes % 300)
    }

    @Test func nominatedNodeIsTriedFirst() async throws {
        let nodes = [Make.node("a"), Make.node("b"), Make.node("c")]
        let pod = Make.pod("p", cpu: "1") { $0.status.nominatedNodeName = "c" }
        let result = try await Self.schedule(pod, nodes: nodes, pods: [Make.pod("x", cpu: "3", node: "c")]).get()
        #expect(result.suggestedHost == "c")
        #expect(result.evaluatedNodes == 1)
    }

    @Test func nominatedPodsKeepTheirRoom() async throws {
        let nodes = [Make.node("a", cpu: "4"), Make.node("b", cpu: "4")]
        let waiting = PodInfo(Make.pod("w", cpu: "3", priority: 10) { $0.status.nominatedNodeName = "a" })
        var algorithm = SchedulingAlgorithm(framework: try Framework())
        var random = SeededRandom(seed: 1)
        let result = try await algorithm.schedule(pod: Make.pod("p", cpu: "2", priority: 5),
                                                  snapshot: Snapshot(nodes: nodes), nominatedPods: ["a": [waiting]],
                                                  random: &random)
        #expect(result.suggestedHost == "b")
    }

    @Test func parallelFilteringMatchesSequential() async throws {
        let nodes = (0..<600).map { Make.node("n\($0)", cpu: $0 % 3 == 0 ? "1" : "4") }
        let snapshot = Snapshot(nodes: nodes)
        var sequential = SchedulingAlgorithm(framework: try Framework(), parallelism: 1)
        var parallel = SchedulingAlgorithm(framework: try Framework(), parallelism: 4)
        parallel.parallelFilterThreshold = 16
        var randomA = SeededRandom(seed: 9)
        var randomB = SeededRandom(seed: 9)
        let pod = Make.pod("p", cpu: "2")
        let a = try await sequential.schedule(pod: pod, snapshot: snapshot, random: &randomA)
        let b = try await parallel.schedule(pod: pod, snapshot: snapshot, random: &randomB)
        #expect(a.suggestedHost == b.suggestedHost)
        #expect(a.evaluatedNodes == b.evaluatedNodes)
        #expect(a.feasibleNodes == b.feasibleNodes)
    }
}
