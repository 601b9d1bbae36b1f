import Foundation
import KubeClient
import KubeModel
import Synchronization
import Testing

@Suite("Leader election against a real API server")
struct LeaderElectionTests {
    func configuration(_ identity: String, namespace: String, release: Bool = true) -> LeaderElectionConfiguration {
        LeaderElectionConfiguration(
            leaseName: "controller", leaseNamespace: namespace, identity: identity, leaseDuration: .seconds(1),
            renewDeadline: .milliseconds(600), retryPeriod: .milliseconds(100), releaseOnCancel: release)
    }

    /// Who is leading right now, as the candidates' leader work reports it.
    final class Leaders: Sendable {
        private let state = Mutex<(current: Set<String>, overlaps: Int, history: [String])>(([], 0, []))
        func started(_ identity: String) {
            state.withLock { state in
                state.current.insert(identity)
                if state.current.count > 1 { state.overlaps += 1 }
                state.history.append(identity)
            }
        }
        func stopped(_ identity: String) { _ = state.withLock { $0.current.remove(identity) } }
        var current: Set<String> { state.withLock { $0.current } }
        var overlaps: Int { state.withLock { $0.overlaps } }
        var history: [String] { state.withLock { $0.history } }
    }

    /// A candidate whose leader work runs until cancelled.
    func campaign(_ elector: LeaderElector, _ leaders: Leaders,
                  callbacks: LeaderElectionCallbacks = LeaderElectionCallbacks()) -> Task<Void, any Error> {
        let identity = elector.configuration.identity
        return Task {
            try await elector.run(callbacks: callbacks) {
                leaders.started(identity)
                defer { leaders.stopped(identity) }
                try await Task.sleep(for: .seconds(3600))
            }
        }
    }

    @Test("of two candidates one leads at a time; when it stops and releases, the other takes over")
    func twoCandidates() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let leaders = Leaders()
            let newLeaders = Locked<[String]>([])
            let first = LeaderElector(client: cluster.client, configuration: configuration("first", namespace: namespace))
            let second = LeaderElector(client: cluster.client, configuration: configuration("second", namespace: namespace))

            let firstTask = campaign(first, leaders)
            defer { firstTask.cancel() }
            try await eventually("first leads") { leaders.current == ["first"] }
            let secondTask = campaign(second, leaders, callbacks: LeaderElectionCallbacks(onNewLeader: { identity in
                newLeaders.withLock { $0.append(identity) }
            }))
            defer { secondTask.cancel() }
            try await Task.sleep(for: .milliseconds(1500))  // longer than the lease: first keeps renewing it
            #expect(leaders.current == ["first"])
            #expect(first.isLeader)
            #expect(!second.isLeader)
            #expect(second.currentLeader == "first")
            let leases = cluster.client.resource(CoordinationV1.Lease.self, namespace: namespace)
            let held = try await leases.get("controller")
            #expect(held.spec.holderIdentity == "first")
            #expect(held.spec.leaseDurationSeconds == 1)

            firstTask.cancel()
            try await firstTask.value  // stopping is not an error
            #expect(!first.isLeader)
            try await eventually("second takes over", timeout: .seconds(15)) { leaders.current == ["second"] }
            let taken = try await leases.get("controller")
            #expect(taken.spec.holderIdentity == "second")
            #expect((taken.spec.leaseTransitions ?? 0) >= 1)
            #expect(newLeaders.withLock { $0 } == ["first", "second"])

            secondTask.cancel()
            try await secondTask.value
            #expect(leaders.overlaps == 0)
            #expect(leaders.history == ["first", "second"])
        }
    }

    @Test("without release, the other candidate waits for the lease to expire")
    func takeoverAfterExpiry() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let leaders = Leaders()
            let first = LeaderElector(client: cluster.client, configuration: configuration("first", namespace: namespace, release: false))
            let second = LeaderElector(client: cluster.client, configuration: configuration("second", namespace: namespace))
            let firstTask = campaign(first, leaders)
            defer { firstTask.cancel() }
            try await eventually("first leads") { leaders.current == ["first"] }
            let secondTask = campaign(second, leaders)
            defer { secondTask.cancel() }
            try await Task.sleep(for: .milliseconds(300))
            firstTask.cancel()
            try await firstTask.value
            let stopped = ContinuousClock.now
            try await eventually("second takes over", timeout: .seconds(15)) { leaders.current == ["second"] }
            #expect(ContinuousClock.now - stopped > .milliseconds(500), "an unreleased lease is honoured until it expires")
            secondTask.cancel()
            try await secondTask.value
        }
    }

    @Test("a leader that cannot renew within the renew deadline loses leadership and its work is cancelled")
    func losesLeadership() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let leaders = Leaders()
            let stopped = Locked(false)
            let elector = LeaderElector(client: cluster.client, configuration: configuration("holder", namespace: namespace))
            let task = campaign(elector, leaders, callbacks: LeaderElectionCallbacks(onStoppedLeading: { stopped.withLock { $0 = true } }))
            defer { task.cancel() }
            try await eventually("holder leads") { leaders.current == ["holder"] }

            // Someone else takes the lease over and keeps renewing it.
            let leases = cluster.client.resource(CoordinationV1.Lease.self, namespace: namespace)
            let intruder = Task {
                while !Task.isCancelled {
                    if var lease = try? await leases.get("controller") {
                        lease.spec.holderIdentity = "intruder"
                        lease.spec.renewTime = MicroTime(Date())
                        _ = try? await leases.update(lease)
                    }
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            defer { intruder.cancel() }
            let started = ContinuousClock.now
            await #expect(throws: LeaderElectionError.leadershipLost) { try await task.value }
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(leaders.current.isEmpty, "the leader work was cancelled")
            #expect(stopped.withLock { $0 })
            #expect(!elector.isLeader)
        }
    }
}
