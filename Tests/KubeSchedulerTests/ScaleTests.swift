import Foundation
import KubeModel
import Testing

@testable import KubeScheduler

@Suite struct ScaleTests {
    /// 5,000 nodes in 4 zones with 10,000 pods; 1,000 pods scheduled one after another, each
    /// assumed into the cache before the next cycle. Timing is printed, not asserted.
    @Test func thousandPodsOnFiveThousandNodes() async throws {
        var cache = NodeCache()
        for index in 0..<5000 {
            cache.addNode(Make.node("node-\(index)", cpu: "8", memory: "32Gi",
                                    labels: ["topology.kubernetes.io/zone": "zone-\(index % 4)"]))
        }
        for index in 0..<10_000 {
            cache.addPod(Make.pod("existing-\(index)", cpu: "\(100 * (1 + index % 10))m", memory: "\(256 * (1 + index % 4))Mi",
                                  labels: ["app": "svc-\(index % 50)"], node: "node-\((index * 7) % 5000)"))
        }
        var algorithm = SchedulingAlgorithm(framework: try Framework())
        var random = SeededRandom(seed: 42)
        var placed: [String: Int] = [:]
        let clock = ContinuousClock()
        let started = clock.now
        for index in 0..<1000 {
            let pod = Make.pod("new-\(index)", cpu: "500m", memory: "1Gi", labels: ["app": "batch-\(index % 10)"]) { pod in
                if index % 4 == 0 {
                    pod.spec.topologySpreadConstraints = [CoreV1.TopologySpreadConstraint(
                        labelSelector: Make.selector(["app": "batch-\(index % 10)"]), maxSkew: 1,
                        topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule")]
                }
                if index % 4 == 1 {
                    pod.spec.affinity = CoreV1.Affinity(podAntiAffinity: CoreV1.PodAntiAffinity(
                        preferredDuringSchedulingIgnoredDuringExecution: [CoreV1.WeightedPodAffinityTerm(
                            podAffinityTerm: Make.term(["app": "batch-\(index % 10)"], topologyKey: "kubernetes.io/hostname"),
                            weight: 50)]))
                }
            }
            let result = try await algorithm.schedule(pod: pod, snapshot: cache.snapshot(), random: &random)
            try cache.assumePod(pod, on: result.suggestedHost)
            placed[result.suggestedHost, default: 0] += 1
        }
        let elapsed = clock.now - started
        print("scale: scheduled 1000 pods on 5000 nodes with 10000 existing pods in \(elapsed)")
        #expect(placed.values.reduce(0, +) == 1000)
        #expect(placed.count > 900)
        #expect((placed.values.max() ?? 0) <= 2)
        #expect(cache.podCount == 11_000)
    }
}
