import KubeModel
import Testing

@testable import KubeScheduler

/// Multi-node filter cases for the plugins that look across nodes.
struct ClusterFilterCase: Sendable, CustomStringConvertible {
    var description: String
    var pod: CoreV1.Pod
    var nodes: [CoreV1.Node]
    var existing: [CoreV1.Pod]
    /// Expected summary per node ("ok" or the reasons).
    var expected: [String: String]
}

@Suite struct PodTopologySpreadTests {
    static let zoneNodes = [
        Make.node("a1", labels: ["zone": "a"]), Make.node("a2", labels: ["zone": "a"]),
        Make.node("b1", labels: ["zone": "b"]), Make.node("b2", labels: ["zone": "b"]),
    ]

    static func spread(_ key: String, maxSkew: Int = 1, when: String = "DoNotSchedule", minDomains: Int? = nil,
                       nodeAffinityPolicy: String? = nil, nodeTaintsPolicy: String? = nil,
                       matchLabelKeys: [String]? = nil, selector: [String: String] = ["app": "web"])
        -> CoreV1.TopologySpreadConstraint
    {
        CoreV1.TopologySpreadConstraint(
            labelSelector: Make.selector(selector), matchLabelKeys: matchLabelKeys, maxSkew: maxSkew,
            minDomains: minDomains, nodeAffinityPolicy: nodeAffinityPolicy, nodeTaintsPolicy: nodeTaintsPolicy,
            topologyKey: key, whenUnsatisfiable: when)
    }

    static func webPod(_ name: String, _ constraints: [CoreV1.TopologySpreadConstraint], labels: [String: String] = ["app": "web"],
                       configure: @escaping (inout CoreV1.Pod) -> Void = { _ in }) -> CoreV1.Pod
    {
        Make.pod(name, labels: labels) {
            $0.spec.topologySpreadConstraints = constraints
            configure(&$0)
        }
    }

    static let skew = PodTopologySpread.reason
    static let missing = PodTopologySpread.missingLabelReason

    static let cases: [ClusterFilterCase] = [
        ClusterFilterCase(
            description: "zone skew: the emptier zone only",
            pod: webPod("p", [spread("zone")]), nodes: zoneNodes,
            existing: [Make.pod("e1", labels: ["app": "web"], node: "a1"), Make.pod("e2", labels: ["app": "web"], node: "a2"),
                       Make.pod("e3", labels: ["app": "web"], node: "b1")],
            expected: ["a1": skew, "a2": skew, "b1": "ok", "b2": "ok"]),
        ClusterFilterCase(
            description: "maxSkew 2 allows the fuller zone",
            pod: webPod("p", [spread("zone", maxSkew: 2)]), nodes: zoneNodes,
            existing: [Make.pod("e1", labels: ["app": "web"], node: "a1"), Make.pod("e3", labels: ["app": "web"], node: "b1")],
            expected: ["a1": "ok", "a2": "ok", "b1": "ok", "b2": "ok"]),
        ClusterFilterCase(
            description: "pods of other apps, namespaces and terminating pods do not count",
            pod: webPod("p", [spread("zone")]), nodes: zoneNodes,
            existing: [Make.pod("e1", labels: ["app": "db"], node: "a1"),
                       Make.pod("e2", namespace: "other", labels: ["app": "web"], node: "a1"),
                       Make.pod("e3", labels: ["app": "web"], node: "a2") { $0.metadata.deletionTimestamp = Time.now() }],
            expected: ["a1": "ok", "a2": "ok", "b1": "ok", "b2": "ok"]),
        ClusterFilterCase(
            description: "node without the topology key",
            pod: webPod("p", [spread("zone")]), nodes: zoneNodes + [Make.node("x")], existing: [],
            expected: ["a1": "ok", "a2": "ok", "b1": "ok", "b2": "ok", "x": missing]),
        ClusterFilterCase(
            description: "a pod that does not match its own selector adds no skew",
            pod: webPod("p", [spread("zone")], labels: ["app": "other"]), nodes: zoneNodes,
            existing: [Make.pod("e1", labels: ["app": "web"], node: "a1")],
            expected: ["a1": "ok", "a2": "ok", "b1": "ok", "b2": "ok"]),
        ClusterFilterCase(
            description: "minDomains above the domain count makes the global minimum 0",
            pod: webPod("p", [spread("zone", minDomains: 3)]), nodes: zoneNodes,
            existing: [Make.pod("e1", labels: ["app": "web"], node: "a1"), Make.pod("e2", labels: ["app": "web"], node: "b1")],
            expected: ["a1": skew, "a2": skew, "b1": skew, "b2": skew]),
        ClusterFilterCase(
            description: "nodeAffinityPolicy Honor: excluded nodes' domains do not count",
            pod: webPod("p", [spread("zone")]) { $0.spec.nodeSelector = ["zone": "a"] },
            nodes: zoneNodes,
            existing: [Make.pod("e1", labels: ["app": "web"], node: "a1")],
            expected: ["a1": "ok", "a2": "ok", "b1": "ok", "b2": "ok"]),
        ClusterFilterCase(
            description: "nodeAffinityPolicy Ignore: every domain counts",
            pod: webPod("p", [spread("zone", nodeAffinityPolicy: "Ignore")]) { $0.spec.nodeSelector = ["zone": "a"] },
            nodes: zoneNodes,
            existing: [Make.pod("e1", labels: ["app": "web"], node: "a1")],
            expected: ["a1": skew, "a2": skew, "b1": "ok", "b2": "ok"]),
        ClusterFilterCase(
            description: "nodeTaintsPolicy Honor: tainted zone excluded from the minimum",
            pod: webPod("p", [spread("zone", nodeTaintsPolicy: "Honor")]),
            nodes: [Make.node("a1", labels: ["zone": "a"]),
                    Make.node("b1", labels: ["zone": "b"], taints: [Make.taint("dedicated")])],
            existing: [Make.pod("e1", labels: ["app": "web"], node: "a1")],
            expected: ["a1": "ok", "b1": "ok"]),
        ClusterFilterCase(
            description: "nodeTaintsPolicy Ignore (default): tainted zone counts",
            pod: webPod("p", [spread("zone")]),
            nodes: [Make.node("a1", labels: ["zone": "a"]),
                    Make.node("b1", labels: ["zone": "b"], taints: [Make.taint("dedicated")])],
            existing: [Make.pod("e1", labels: ["app": "web"], node: "a1")],
            expected: ["a1": skew, "b1": "ok"]),
        ClusterFilterCase(
            description: "matchLabelKeys narrows to the pod's revision",
            pod: webPod("p", [spread("zone", matchLabelKeys: ["rev"])], labels: ["app": "web", "rev": "2"]),
            nodes: zoneNodes,
            existing: [Make.pod("e1", labels: ["app": "web", "rev": "1"], node: "a1"),
                       Make.pod("e2", labels: ["app": "web", "rev": "2"], node: "b1")],
            expected: ["a1": "ok", "a2": "ok", "b1": skew, "b2": skew]),
        ClusterFilterCase(
            description: "hostname spread",
            pod: webPod("p", [spread("kubernetes.io/hostname")]), nodes: zoneNodes,
            existing: [Make.pod("e1", labels: ["app": "web"], node: "a1")],
            expected: ["a1": skew, "a2": "ok", "b1": "ok", "b2": "ok"]),
        ClusterFilterCase(
            description: "ScheduleAnyway constraints do not filter",
            pod: webPod("p", [spread("zone", when: "ScheduleAnyway")]), nodes: zoneNodes,
            existing: [Make.pod("e1", labels: ["app": "web"], node: "a1"), Make.pod("e2", labels: ["app": "web"], node: "a2")],
            expected: ["a1": "ok", "a2": "ok", "b1": "ok", "b2": "ok"]),
    ]

    @Test(arguments: cases)
    func filter(_ testCase: ClusterFilterCase) {
        let statuses = Run.filter(PodTopologySpread.pluginName, pod: testCase.pod, nodes: testCase.nodes,
                                  pods: testCase.existing)
        #expect(statuses.mapValues(\.summary) == testCase.expected)
    }

    @Test func scoreFavorsEmptierDomains() {
        let pod = Self.webPod("p", [Self.spread("zone", when: "ScheduleAnyway")])
        let nodes = Self.zoneNodes + [Make.node("x")]
        let existing = [Make.pod("e1", labels: ["app": "web"], node: "a1"), Make.pod("e2", labels: ["app": "web"], node: "a2"),
                        Make.pod("e3", labels: ["app": "web"], node: "b1")]
        let scores = Run.score(PodTopologySpread.pluginName, pod: pod, nodes: nodes, pods: existing)
        // Zone a has 2 matching pods, zone b 1; weight log(2+2): a ≈ 2.77 → 3, b ≈ 1.39 → 1.
        // Normalized: 100 * (3 + 1 - s) / 3. The node without the key scores 0.
        #expect(scores == ["a1": 33, "a2": 33, "b1": 100, "b2": 100, "x": 0])
    }

    @Test func scoreWithHostnameCountsPerNode() {
        let pod = Self.webPod("p", [Self.spread("kubernetes.io/hostname", when: "ScheduleAnyway")])
        let existing = [Make.pod("e1", labels: ["app": "web"], node: "a1"), Make.pod("e2", labels: ["app": "web"], node: "a1")]
        let scores = Run.score(PodTopologySpread.pluginName, pod: pod, nodes: Self.zoneNodes, pods: existing)
        #expect(scores["a1"]! < scores["a2"]!)
        #expect(scores["a2"] == 100)
        #expect(scores["b1"] == 100)
    }
}

@Suite struct InterPodAffinityTests {
    static let nodes = [
        Make.node("a1", labels: ["zone": "a"]), Make.node("a2", labels: ["zone": "a"]),
        Make.node("b1", labels: ["zone": "b"]),
    ]

    static func affinity(required: [CoreV1.PodAffinityTerm] = [], anti: [CoreV1.PodAffinityTerm] = [],
                         preferred: [CoreV1.WeightedPodAffinityTerm] = [],
                         preferredAnti: [CoreV1.WeightedPodAffinityTerm] = []) -> (inout CoreV1.Pod) -> Void
    {
        { pod in
            pod.spec.affinity = CoreV1.Affinity(
                podAffinity: required.isEmpty && preferred.isEmpty ? nil : CoreV1.PodAffinity(
                    preferredDuringSchedulingIgnoredDuringExecution: preferred.isEmpty ? nil : preferred,
                    requiredDuringSchedulingIgnoredDuringExecution: required.isEmpty ? nil : required),
                podAntiAffinity: anti.isEmpty && preferredAnti.isEmpty ? nil : CoreV1.PodAntiAffinity(
                    preferredDuringSchedulingIgnoredDuringExecution: preferredAnti.isEmpty ? nil : preferredAnti,
                    requiredDuringSchedulingIgnoredDuringExecution: anti.isEmpty ? nil : anti))
        }
    }

    static let affinityReason = InterPodAffinity.affinityReason
    static let antiReason = InterPodAffinity.antiAffinityReason
    static let existingReason = InterPodAffinity.existingAntiAffinityReason
    static let web = ["app": "web"]
    static let db = ["app": "db"]

    static let cases: [ClusterFilterCase] = [
        ClusterFilterCase(
            description: "required affinity to a zone with a db pod",
            pod: Make.pod("p", configure: affinity(required: [Make.term(db, topologyKey: "zone")])), nodes: nodes,
            existing: [Make.pod("d", labels: db, node: "a1")],
            expected: ["a1": "ok", "a2": "ok", "b1": affinityReason]),
        ClusterFilterCase(
            description: "required affinity, no matching pod anywhere, pod does not match itself",
            pod: Make.pod("p", configure: affinity(required: [Make.term(db, topologyKey: "zone")])), nodes: nodes,
            existing: [],
            expected: ["a1": affinityReason, "a2": affinityReason, "b1": affinityReason]),
        ClusterFilterCase(
            description: "required affinity, first pod of a group matching itself",
            pod: Make.pod("p", labels: db, configure: affinity(required: [Make.term(db, topologyKey: "zone")])), nodes: nodes,
            existing: [],
            expected: ["a1": "ok", "a2": "ok", "b1": "ok"]),
        ClusterFilterCase(
            description: "required affinity only looks in the pod's namespace by default",
            pod: Make.pod("p", configure: affinity(required: [Make.term(db, topologyKey: "zone")])), nodes: nodes,
            existing: [Make.pod("d", namespace: "other", labels: db, node: "a1")],
            expected: ["a1": affinityReason, "a2": affinityReason, "b1": affinityReason]),
        ClusterFilterCase(
            description: "required affinity with explicit namespaces",
            pod: Make.pod("p", configure: affinity(required: [Make.term(db, topologyKey: "zone", namespaces: ["other"])])),
            nodes: nodes, existing: [Make.pod("d", namespace: "other", labels: db, node: "b1")],
            expected: ["a1": affinityReason, "a2": affinityReason, "b1": "ok"]),
        ClusterFilterCase(
            description: "required affinity with a namespace selector",
            pod: Make.pod("p", configure: affinity(required: [
                Make.term(db, topologyKey: "zone", namespaceSelector: Make.selector(["team": "data"])),
            ])),
            nodes: nodes, existing: [Make.pod("d", namespace: "data", labels: db, node: "b1"),
                                     Make.pod("d2", namespace: "misc", labels: db, node: "a1")],
            expected: ["a1": affinityReason, "a2": affinityReason, "b1": "ok"]),
        ClusterFilterCase(
            description: "an empty namespace selector reaches every namespace",
            pod: Make.pod("p", configure: affinity(anti: [
                Make.term(web, topologyKey: "zone", namespaceSelector: MetaV1.LabelSelector()),
            ])),
            nodes: nodes, existing: [Make.pod("w", namespace: "unlabeled", labels: web, node: "b1")],
            expected: ["a1": "ok", "a2": "ok", "b1": antiReason]),
        ClusterFilterCase(
            description: "node missing the topology key fails affinity",
            pod: Make.pod("p", configure: affinity(required: [Make.term(db, topologyKey: "rack")])), nodes: nodes,
            existing: [Make.pod("d", labels: db, node: "a1")],
            expected: ["a1": affinityReason, "a2": affinityReason, "b1": affinityReason]),
        ClusterFilterCase(
            description: "required anti-affinity keeps away from the zone",
            pod: Make.pod("p", configure: affinity(anti: [Make.term(web, topologyKey: "zone")])), nodes: nodes,
            existing: [Make.pod("w", labels: web, node: "a2")],
            expected: ["a1": antiReason, "a2": antiReason, "b1": "ok"]),
        ClusterFilterCase(
            description: "required anti-affinity per hostname",
            pod: Make.pod("p", configure: affinity(anti: [Make.term(web, topologyKey: "kubernetes.io/hostname")])),
            nodes: nodes, existing: [Make.pod("w", labels: web, node: "a2")],
            expected: ["a1": "ok", "a2": antiReason, "b1": "ok"]),
        ClusterFilterCase(
            description: "existing pod's anti-affinity rejects the incoming pod",
            pod: Make.pod("p", labels: web), nodes: nodes,
            existing: [Make.pod("w", labels: ["app": "solo"], node: "b1",
                                configure: affinity(anti: [Make.term(web, topologyKey: "zone")]))],
            expected: ["a1": "ok", "a2": "ok", "b1": existingReason]),
        ClusterFilterCase(
            description: "existing pod's anti-affinity in another namespace does not apply",
            pod: Make.pod("p", labels: web), nodes: nodes,
            existing: [Make.pod("w", namespace: "other", labels: ["app": "solo"], node: "b1",
                                configure: affinity(anti: [Make.term(web, topologyKey: "zone")]))],
            expected: ["a1": "ok", "a2": "ok", "b1": "ok"]),
    ]

    static let namespaceLabels: @Sendable (String) -> [String: String]? = { ["data": ["team": "data"], "misc": ["team": "misc"]][$0] }

    @Test(arguments: cases)
    func filter(_ testCase: ClusterFilterCase) {
        let statuses = Run.filter(InterPodAffinity.pluginName, pod: testCase.pod, nodes: testCase.nodes,
                                  pods: testCase.existing, handle: PluginHandle(namespaceLabels: Self.namespaceLabels))
        #expect(statuses.mapValues(\.summary) == testCase.expected)
    }

    @Test func preferredAffinityScores() {
        let pod = Make.pod("p", configure: Self.affinity(
            preferred: [CoreV1.WeightedPodAffinityTerm(podAffinityTerm: Make.term(Self.db, topologyKey: "zone"), weight: 10)],
            preferredAnti: [CoreV1.WeightedPodAffinityTerm(podAffinityTerm: Make.term(Self.web, topologyKey: "kubernetes.io/hostname"), weight: 5)]))
        let existing = [Make.pod("d", labels: Self.db, node: "a1"), Make.pod("w", labels: Self.web, node: "a1")]
        let scores = Run.score(InterPodAffinity.pluginName, pod: pod, nodes: Self.nodes, pods: existing)
        // Raw: a1 = 10 - 5 = 5, a2 = 10, b1 = 0 → min-max normalized.
        #expect(scores == ["a1": 50, "a2": 100, "b1": 0])
    }

    @Test func existingPodsTermsScoreTheIncomingPod() {
        let existing = [
            Make.pod("hard", labels: ["x": "1"], node: "b1", configure: Self.affinity(required: [Make.term(Self.web, topologyKey: "zone")])),
            Make.pod("soft", labels: ["x": "2"], node: "a1", configure: Self.affinity(preferredAnti: [
                CoreV1.WeightedPodAffinityTerm(podAffinityTerm: Make.term(Self.web, topologyKey: "zone"), weight: 3),
            ])),
        ]
        let scores = Run.score(InterPodAffinity.pluginName, pod: Make.pod("p", labels: Self.web), nodes: Self.nodes, pods: existing)
        // Raw: zone a = -3, zone b = +1 (hard affinity weight 1).
        #expect(scores == ["a1": 0, "a2": 0, "b1": 100])
    }
}
