import Foundation
import HollowNode
import KubeClient
import KubeModel
import Testing

/// A quick check that the pool scales: a thousand nodes register, and a few thousand pods bound
/// to them all become Running. Prints the timings.
@Suite struct HollowNodeScaleTests {
    @Test func registersAThousandNodesAndRunsTheirPods() async throws {
        let api = try await TestAPI.make()
        let clock = ManualClock()
        let nodeCount = 1000
        let podCount = 500
        let pool = api.pool(count: nodeCount, prefix: "scale-", clock: clock) {
            $0.podCIDRFallbackDelay = .zero
            $0.clusterCIDR = IPv4Network("10.64.0.0/10")!
        }
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.run() }
            try await pool.waitUntilRegistered()
            let registered = ContinuousClock.now - started
            #expect(try await api.nodes.list().items.count == nodeCount)
            #expect(try await api.leases.list().items.count == nodeCount)
            try await eventually(timeout: .seconds(60), every: .milliseconds(500), "podCIDRs") {
                try await api.nodes.list().items.allSatisfy { $0.spec.podCIDR != nil }
            }
            let cidrsAssigned = ContinuousClock.now - started

            let podsStarted = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { creators in
                for worker in 0..<16 {
                    creators.addTask {
                        for index in stride(from: worker, to: podCount, by: 16) {
                            try await api.createPod("pod-\(index)", node: "scale-\(index % nodeCount)")
                        }
                    }
                }
                try await creators.waitForAll()
            }
            let created = ContinuousClock.now - podsStarted
            try await eventually(timeout: .seconds(120), every: .milliseconds(20), "all pods running") {
                pool.statistics.podStatusWrites >= podCount
            }
            let running = ContinuousClock.now - podsStarted
            let pods = try await api.pods().list().items
            #expect(Set(pods.compactMap(\.status.podIP)).count == podCount)
            #expect(pods.allSatisfy { $0.status.conditions?.first { $0.type == "Ready" }?.status == "True" })
            print("""
                hollow-node scale: \(nodeCount) nodes registered in \(registered), podCIDRs in \(cidrsAssigned); \
                \(podCount) pods created in \(created), all Running in \(running) \
                (\(Int(Double(podCount) / running.timeInterval)) pods/s); \(pool.statistics)
                """)
            group.cancelAll()
        }
    }
}
