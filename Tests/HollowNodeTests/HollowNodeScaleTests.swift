import Foundation
import HollowNode
import KubeClient
import KubeModel
import KubeStore
import Testing

extension HollowNodeIntegrationTests {
    /// A quick check that the pool scales: a thousand nodes register, renew their Leases
    /// together, and pods bound to some of them all become Running. Prints the timings. Kept
    /// light (it runs beside the other suites): the benchmark is where throughput is measured.
    @Suite struct HollowNodeScaleTests {
        @Test func registersAThousandNodesRenewsTheirLeasesAndRunsPods() async throws {
            // The SQLite store, as `skiff server` runs: the in-memory one scans every key on a list,
            // which admission does on each namespaced create.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hollow-scale-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let store = try SQLiteStore(path: directory + "/state.db")
            let api = try await TestAPI.make(store: store)
            let clock = ManualClock()
            let nodeCount = 1000
            let podNodes = 50
            let podCount = 200
            // Few writers at a time: the other suites run beside this one on the same two cores.
            let pool = api.pool(count: nodeCount, prefix: "scale-", clock: clock) {
                $0.registrationConcurrency = 1
                $0.heartbeatWorkers = 2
                $0.podWorkers = 2
            }
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pool.run() }
                try await pool.waitUntilRegistered()
                let registered = ContinuousClock.now - started
                // Spot checks: listing a thousand objects would hold a core for long in a debug build.
                let samples = ["scale-0", "scale-499", "scale-999"]
                for name in samples {
                    #expect(try await api.nodes.get(name).status.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true)
                }

                let renewalsStarted = ContinuousClock.now
                clock.advance(by: .seconds(10))
                try await eventually(timeout: .seconds(60), every: .milliseconds(20), "every lease renewed") {
                    pool.statistics.leaseRenewals >= nodeCount
                }
                let renewed = ContinuousClock.now - renewalsStarted
                let expected = clock.now()
                for name in samples { #expect(try await api.leases.get(name).spec.renewTime?.date == expected) }

                for index in 0..<podNodes { try await api.assignPodCIDR("scale-\(index)", "10.42.\(index).0/24") }
                let podsStarted = ContinuousClock.now
                try await withThrowingTaskGroup(of: Void.self) { creators in
                    for worker in 0..<2 {
                        creators.addTask {
                            for index in stride(from: worker, to: podCount, by: 2) {
                                try await api.createPod("pod-\(index)", node: "scale-\(index % podNodes)")
                            }
                        }
                    }
                    try await creators.waitForAll()
                }
                try await eventually(timeout: .seconds(60), every: .milliseconds(20), "all pods running") {
                    pool.statistics.podStatusWrites >= podCount
                }
                let running = ContinuousClock.now - podsStarted
                let pods = try await api.pods().list().items
                #expect(pods.allSatisfy { $0.status.phase == "Running" && $0.condition("Ready")?.status == "True" })
                #expect(Set(pods.compactMap(\.status.podIP)).count == podCount)
                print("""
                    hollow-node scale: \(nodeCount) nodes registered (Node + Lease) in \(registered), \
                    \(nodeCount) leases renewed in \(renewed), \(podCount) pods created and Running in \(running); \
                    \(pool.statistics)
                    """)
                group.cancelAll()
            }
            await store.close()
        }
    }
}
