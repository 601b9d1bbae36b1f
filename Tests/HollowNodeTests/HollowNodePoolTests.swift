import Foundation
@testable import HollowNode
import KubeAPIServer
import KubeClient
import KubeModel
import Testing

/// The suites that run API servers and pools go one test at a time: the whole test run shares
/// the machine's cores, and timing-sensitive suites elsewhere must not starve.
@Suite(.serialized) struct HollowNodeIntegrationTests {}

extension HollowNodeIntegrationTests {
    /// Hollow nodes against a real in-process API server, with a manual clock where time matters.
    @Suite struct HollowNodePoolTests {
        @Test func registersNodesWithKubeletFieldsAndLeases() async throws {
            try await runPool(count: 2, configure: { $0.cpu = "8"; $0.memory = "16Gi"; $0.pods = 50 }) { api, clock, pool in
                let node = try await api.nodes.get("hollow-1")
                #expect(node.metadata.labels?["kubernetes.io/hostname"] == "hollow-1")
                #expect(node.metadata.labels?["kubernetes.io/os"] == "linux")
                #expect(node.metadata.labels?["kubernetes.io/arch"] == "amd64")
                #expect(node.metadata.labels?["node.kubernetes.io/instance-type"] == "hollow")
                for resources in [node.status.capacity, node.status.allocatable] {
                    #expect(resources?["cpu"] == "8")
                    #expect(resources?["memory"] == "16Gi")
                    #expect(resources?["pods"] == "50")
                    #expect(resources?["ephemeral-storage"] != nil)
                }
                #expect(node.status.addresses?.map(\.type) == ["InternalIP", "Hostname"])
                #expect(node.status.addresses?.first?.address == "10.240.0.2")
                #expect(node.status.nodeInfo?.kubeletVersion.hasPrefix("v1.36.0-skiff-hollow") == true)
                #expect(node.status.nodeInfo?.operatingSystem == "linux")
                let conditions = Dictionary(uniqueKeysWithValues: (node.status.conditions ?? []).map { ($0.type, $0) })
                #expect(conditions["Ready"]?.status == "True")
                #expect(conditions["Ready"]?.reason == "KubeletReady")
                for type in ["MemoryPressure", "DiskPressure", "PIDPressure"] { #expect(conditions[type]?.status == "False") }

                let lease = try await api.leases.get("hollow-1")
                #expect(lease.spec.holderIdentity == "hollow-1")
                #expect(lease.spec.leaseDurationSeconds == 40)
                #expect(lease.spec.renewTime?.date == clock.now())
                #expect(lease.metadata.ownerReferences?.first?.uid == node.metadata.uid)
                #expect(lease.metadata.ownerReferences?.first?.kind == "Node")
            }
        }

        @Test func renewsLeasesEveryTenSecondsAndStopsWhenTold() async throws {
            try await runPool(count: 2) { api, clock, pool in
                let start = clock.now()
                clock.advance(by: .seconds(10))
                try await eventually("lease renewed at +10s") {
                    try await api.leases.get("hollow-0").spec.renewTime?.date == start.addingTimeInterval(10)
                }
                pool.stop(nodes: ["hollow-0"])
                clock.advance(by: .seconds(10))
                try await eventually("lease of the running node renewed at +20s") {
                    try await api.leases.get("hollow-1").spec.renewTime?.date == start.addingTimeInterval(20)
                }
                #expect(try await api.leases.get("hollow-0").spec.renewTime?.date == start.addingTimeInterval(10))

                pool.resume(nodes: ["hollow-0"])
                try await eventually("lease renewed on resume") {
                    try await api.leases.get("hollow-0").spec.renewTime?.date == start.addingTimeInterval(20)
                }
            }
        }

        @Test func reportsNodeStatusEveryMinuteAndCorrectsUnknownAtOnce() async throws {
            try await runPool(count: 1) { api, clock, pool in
                let start = clock.now()
                func heartbeat() async throws -> Date? {
                    try await api.nodes.get("hollow-0").status.conditions?.first { $0.type == "Ready" }?.lastHeartbeatTime?.date
                }
                #expect(try await heartbeat() == Time(start).date)
                clock.advance(by: .seconds(60))
                try await eventually("status reported at +60s") { try await heartbeat() == Time(start.addingTimeInterval(60)).date }

                // The node lifecycle controller's verdict is overwritten by the next report, at once.
                var node = try await api.nodes.get("hollow-0")
                let index = node.status.conditions!.firstIndex { $0.type == "Ready" }!
                node.status.conditions![index].status = "Unknown"
                node.status.conditions![index].reason = "NodeStatusUnknown"
                _ = try await api.nodes.updateStatus(node)
                try await eventually("Ready=True again") {
                    try await api.nodes.get("hollow-0").status.conditions?.first { $0.type == "Ready" }?.status == "True"
                }
            }
        }

        @Test func boundPodBecomesRunningAndReadyWithAnAddressFromThePodCIDR() async throws {
            try await runPool(count: 1) { api, clock, pool in
                try await api.assignPodCIDR("hollow-0", "10.42.7.0/24")
                let created = try await api.createPod("web", node: "hollow-0")
                let pod = try await api.waitForPod("web") { $0.status.phase == "Running" }
                #expect(pod.status.podIP == "10.42.7.2")
                #expect(pod.status.podIPs?.map(\.ip) == ["10.42.7.2"])
                #expect(pod.status.hostIP == "10.240.0.1")
                #expect(pod.status.hostIPs?.map(\.ip) == ["10.240.0.1"])
                #expect(pod.status.startTime == Time(clock.now()))
                #expect(pod.status.qosClass == "BestEffort")
                #expect(pod.status.observedGeneration == created.metadata.generation)
                #expect(pod.status.conditions?.map(\.type) == ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"])
                #expect(pod.status.conditions?.allSatisfy { $0.status == "True" } == true)
                let container = try #require(pod.mainStatus)
                #expect(container.name == "main")
                #expect(container.ready && container.started == true)
                #expect(container.restartCount == 0)
                #expect(container.image == "busybox:1.36")
                #expect(container.imageID.hasPrefix("busybox@sha256:"))
                #expect(container.containerID?.hasPrefix("hollow://") == true)
                #expect(container.state?.running?.startedAt == Time(clock.now()))

                // A second pod gets the next address.
                try await api.createPod("web-2", node: "hollow-0")
                let second = try await api.waitForPod("web-2") { $0.status.phase == "Running" }
                #expect(second.status.podIP == "10.42.7.3")
            }
        }

        @Test func podsWaitForThePodCIDR() async throws {
            try await runPool(count: 1) { api, clock, pool in
                try await api.createPod("early", node: "hollow-0")
                let waiting = try await api.waitForPod("early") { $0.mainStatus?.state?.waiting?.reason == "ContainerCreating" }
                #expect(waiting.status.phase == "Pending")
                #expect(waiting.status.podIP == nil)
                #expect(waiting.condition("PodReadyToStartContainers")?.status == "False")
                try await api.assignPodCIDR("hollow-0", "10.42.9.0/24")
                let running = try await api.waitForPod("early") { $0.status.phase == "Running" }
                #expect(running.status.podIP == "10.42.9.2")
            }
        }

        @Test func aPodCIDRSetWhileRegisteringIsAdopted() async throws {
            let api = try await TestAPI.make()
            let poolBox = Locked<HollowNodePool?>(nil)
            let transport = IPAMRacingTransport(
                inner: InProcessTransport(router: api.core.router, user: UserInfo(name: "test", groups: ["system:masters"])),
                admin: api.client, cidr: "10.42.7.0/24",
                seen: { poolBox.withLock { $0 }?.nodeInformer.store.get("hollow-0")?.spec.podCIDR != nil })
            let pool = HollowNodePool(client: APIClient(transport: transport), configuration: HollowNodeConfiguration(count: 1, namePrefix: "hollow-"),
                                      clock: ManualClock())
            poolBox.withLock { $0 = pool }
            try await api.with(pool) { _ in
                try await api.createPod("p", node: "hollow-0")
                let pod = try await api.waitForPod("p") { $0.status.phase == "Running" }
                #expect(pod.status.podIP == "10.42.7.2")
            }
        }

        @Test func fallbackAssignsAPodCIDRWithoutIPAM() async throws {
            try await runPool(count: 2, configure: { $0.podCIDRFallbackDelay = .seconds(3) }) { api, clock, pool in
                clock.advance(by: .seconds(3))
                try await eventually("both nodes have podCIDRs") {
                    let cidrs = try await api.nodes.list().items.compactMap(\.spec.podCIDR)
                    return Set(cidrs) == ["10.42.0.0/24", "10.42.1.0/24"]
                }
                try await api.createPod("p", node: "hollow-1")
                let pod = try await api.waitForPod("p") { $0.status.phase == "Running" }
                let cidr = try await api.nodes.get("hollow-1").spec.podCIDR
                #expect(pod.status.podIP == cidr?.replacingOccurrences(of: ".0/24", with: ".2"))
            }
        }

        @Test(arguments: [
            (["sh", "-c", "exit 0"], "Never", "Succeeded", 0, "Completed"),
            (["sh", "-c", "exit 3"], "Never", "Failed", 3, "Error"),
            (["/bin/sh", "-c", "exit 0"], "OnFailure", "Succeeded", 0, "Completed"),
            (["false"], "Never", "Failed", 1, "Error"),
        ] as [([String], String, String, Int, String)])
        func completionCommandsFinishThePod(command: [String], restartPolicy: String, phase: String, exitCode: Int, reason: String) async throws {
            try await runPool(count: 1) { api, clock, pool in
                // A /30 has room for one pod only.
                try await api.assignPodCIDR("hollow-0", "10.42.1.0/30")
                try await api.createPod("job", node: "hollow-0", command: command, restartPolicy: restartPolicy)
                let pod = try await api.waitForPod("job") { $0.status.phase == phase }
                let terminated = try #require(pod.mainStatus?.state?.terminated)
                #expect(terminated.exitCode == exitCode)
                #expect(terminated.reason == reason)
                #expect(terminated.containerID?.hasPrefix("hollow://") == true)
                #expect(pod.mainStatus?.restartCount == 0)
                #expect(pod.condition("Ready")?.status == "False")
                #expect(pod.condition("Ready")?.reason == (phase == "Succeeded" ? "PodCompleted" : "PodFailed"))
                #expect(pod.condition("PodReadyToStartContainers")?.status == "False")
                #expect(pod.status.podIP == "10.42.1.2")
                // The finished pod's address is free again (it keeps showing it, as upstream).
                try await api.createPod("next", node: "hollow-0")
                let next = try await api.waitForPod("next") { $0.status.phase == "Running" }
                #expect(next.status.podIP == "10.42.1.2")
            }
        }

        @Test func statusWritesThatLoseARaceAreRetriedOnTheFreshPod() async throws {
            let api = try await TestAPI.make()
            let clock = ManualClock()
            let races = Locked(2)
            let transport = RacingTransport(
                inner: InProcessTransport(router: api.core.router, user: UserInfo(name: "test", groups: ["system:masters"])),
                admin: api.client, races: races)
            var configuration = HollowNodeConfiguration(count: 1, namePrefix: "hollow-")
            configuration.podWorkers = 2
            let pool = HollowNodePool(client: APIClient(transport: transport), configuration: configuration, clock: clock)
            try await api.with(pool) { pool in
                try await api.assignPodCIDR("hollow-0", "10.42.3.0/24")
                try await api.createPod("raced", node: "hollow-0")
                let pod = try await api.waitForPod("raced") { $0.status.phase == "Running" }
                #expect(pod.metadata.labels?["raced"] != nil)
                #expect(pod.condition("Ready")?.status == "True")
                #expect(races.withLock { $0 } <= 0)
                #expect(pool.statistics.conflicts >= 2)
                #expect(pool.statistics.failures == 0)
            }
        }

        @Test func failingContainersRestartWithBackOff() async throws {
            try await runPool(count: 1) { api, clock, pool in
                try await api.assignPodCIDR("hollow-0", "10.42.1.0/24")
                try await api.createPod("flaky", node: "hollow-0", command: ["sh", "-c", "exit 2"], restartPolicy: "OnFailure")
                let first = try await api.waitForPod("flaky") { $0.mainStatus?.restartCount == 1 }
                #expect(first.status.phase == "Running")
                #expect(first.mainStatus?.state?.waiting?.reason == "CrashLoopBackOff")
                #expect(first.mainStatus?.lastState?.terminated?.exitCode == 2)
                #expect(first.condition("Ready")?.status == "False")
                clock.advance(by: .seconds(10))
                let second = try await api.waitForPod("flaky") { $0.mainStatus?.restartCount == 2 }
                #expect(second.mainStatus?.state?.waiting?.message?.hasPrefix("back-off 20s restarting failed container=main") == true)

                // Always restarts a container that succeeds, too.
                try await api.createPod("loop", node: "hollow-0", command: ["true"], restartPolicy: "Always")
                let looping = try await api.waitForPod("loop") { $0.mainStatus?.restartCount == 1 }
                #expect(looping.status.phase == "Running")
                #expect(looping.mainStatus?.lastState?.terminated?.reason == "Completed")
            }
        }

        @Test func deletedPodsAreStoppedAndRemovedAfterAtMostASecond() async throws {
            try await runPool(count: 1) { api, clock, pool in
                try await api.assignPodCIDR("hollow-0", "10.42.1.0/24")
                // A finalizer keeps the pod visible after the kubelet's final delete.
                try await api.createPod("web", node: "hollow-0") { $0.metadata.finalizers = ["test.skiff.dev/hold"] }
                try await api.createPod("plain", node: "hollow-0")
                _ = try await api.waitForPod("web") { $0.status.phase == "Running" }
                _ = try await api.waitForPod("plain") { $0.status.phase == "Running" }

                try await api.pods().delete("web")
                try await api.pods().delete("plain")
                let terminating = try await api.pods().get("plain")
                #expect(terminating.metadata.deletionTimestamp != nil)
                #expect(terminating.metadata.deletionGracePeriodSeconds == 30)
                // Nothing happens before the (capped) grace period passes.
                try await eventually("terminations scheduled") {
                    pool.timers.deadline(of: .pod("default/plain")) != nil && pool.timers.deadline(of: .pod("default/web")) != nil
                }
                #expect(try await api.pods().get("plain").status.phase == "Running")

                clock.advance(by: .seconds(1))
                try await eventually("plain deleted") {
                    do { _ = try await api.pods().get("plain"); return false } catch let error as APIStatusError where error.isNotFound { return true }
                }
                // The kubelet's final delete (grace period 0) went out for both.
                try await eventually("both pods deleted by the kubelet") { pool.statistics.podDeletions == 2 }
                let stopped = try await api.pods().get("web")
                #expect(stopped.status.phase == "Failed")
                let terminated = try #require(stopped.mainStatus?.state?.terminated)
                #expect(terminated.exitCode == 137)
                #expect(stopped.mainStatus?.ready == false)

                var released = stopped
                released.metadata.finalizers = nil
                _ = try await api.pods().update(released)
                try await eventually("web gone once its finalizer is") { (try? await api.pods().get("web")) == nil }
            }
        }

        @Test func addressesOfFinishedPodsAreReusedAndPodsWaitWhenNoneIsFree() async throws {
            try await runPool(count: 1) { api, clock, pool in
                // A /29 leaves five addresses for pods.
                try await api.assignPodCIDR("hollow-0", "10.42.5.0/29")
                for index in 0..<5 { try await api.createPod("p\(index)", node: "hollow-0") }
                var addresses: Set<String> = []
                for index in 0..<5 {
                    let pod = try await api.waitForPod("p\(index)") { $0.status.phase == "Running" }
                    addresses.insert(pod.status.podIP ?? "")
                }
                #expect(addresses == ["10.42.5.2", "10.42.5.3", "10.42.5.4", "10.42.5.5", "10.42.5.6"])
                try await api.createPod("extra", node: "hollow-0")
                let waiting = try await api.waitForPod("extra") { $0.mainStatus?.state?.waiting?.reason == "ContainerCreating" }
                #expect(waiting.status.podIP == nil)

                let freed = try await api.pods().get("p3").status.podIP
                try await api.pods().delete("p3", options: .with(gracePeriodSeconds: 0))
                let extra = try await api.waitForPod("extra") { $0.status.phase == "Running" }
                #expect(extra.status.podIP == freed)
            }
        }

        @Test func podsOfOtherNodesAndStoppedNodesAreLeftAlone() async throws {
            try await runPool(count: 2, configure: { $0.podCIDRFallbackDelay = .zero }) { api, clock, pool in
                try await eventually("podCIDRs assigned") { try await api.nodes.list().items.allSatisfy { $0.spec.podCIDR != nil } }
                pool.stop(nodes: ["hollow-1"])
                try await api.createPod("elsewhere", node: "real-node")
                try await api.createPod("on-stopped", node: "hollow-1")
                try await api.createPod("on-running", node: "hollow-0")
                _ = try await api.waitForPod("on-running") { $0.status.phase == "Running" }
                try await Task.sleep(for: .milliseconds(100))
                #expect(try await api.pods().get("elsewhere").status.conditions == nil)
                #expect(try await api.pods().get("on-stopped").status.conditions == nil)
                pool.resume(nodes: ["hollow-1"])
                _ = try await api.waitForPod("on-stopped") { $0.status.phase == "Running" }
            }
        }

        @Test func aRestartedPoolAdoptsItsRunningPods() async throws {
            let api = try await TestAPI.make()
            let clock = ManualClock()
            let written = try await api.with(api.pool(count: 1, clock: clock)) { _ in
                try await api.assignPodCIDR("hollow-0", "10.42.1.0/24")
                try await api.createPod("kept", node: "hollow-0")
                return try await api.waitForPod("kept") { $0.status.phase == "Running" }
            }
            clock.advance(by: .seconds(30))
            let pool = api.pool(count: 1, clock: clock)
            try await api.with(pool) { pool in
                try await api.createPod("new", node: "hollow-0")
                let new = try await api.waitForPod("new") { $0.status.phase == "Running" }
                #expect(new.status.podIP == "10.42.1.3")
                // Only the new pod's status was written: the adopted one was already right.
                try await eventually("the new pod's write counted") { pool.statistics.podStatusWrites == 1 }
                let kept = try await api.pods().get("kept")
                #expect(kept.metadata.resourceVersion == written.metadata.resourceVersion)
                #expect(kept.status.podIP == written.status.podIP)
                #expect(pool.statistics.podStatusWrites == 1)
            }
        }

        @Test func aDeletedNodeIsNotRegisteredAgain() async throws {
            try await runPool(count: 1) { api, clock, pool in
                try await api.nodes.delete("hollow-0")
                try await eventually("deletion observed") {
                    let node = try? await api.nodes.get("hollow-0")
                    return node == nil
                }
                try await Task.sleep(for: .milliseconds(100))
                let renewals = pool.statistics.leaseRenewals
                clock.advance(by: .seconds(60))
                try await Task.sleep(for: .milliseconds(200))
                let node = try? await api.nodes.get("hollow-0")
                #expect(node == nil)
                #expect(pool.statistics.leaseRenewals == renewals)
            }
        }
    }
}
