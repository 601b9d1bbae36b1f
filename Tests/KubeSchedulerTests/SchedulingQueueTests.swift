import Foundation
import KubeModel
import Testing

@testable import KubeScheduler

@Suite struct SchedulingQueueTests {
    static let start = Date(timeIntervalSince1970: 1_000_000)

    static func queue() -> SchedulingQueueCore {
        SchedulingQueueCore(eventsByPlugin: try! Framework().eventsByPlugin)
    }

    @Test func activeQOrdersByPriorityThenArrival() {
        var queue = Self.queue()
        queue.add(Make.pod("low-early", priority: 1), now: Self.start)
        queue.add(Make.pod("high", priority: 100), now: Self.start.addingTimeInterval(1))
        queue.add(Make.pod("low-late", priority: 1), now: Self.start.addingTimeInterval(2))
        queue.add(Make.pod("mid", priority: 50), now: Self.start.addingTimeInterval(3))
        queue.add(Make.pod("low-middle", priority: 1), now: Self.start.addingTimeInterval(1.5))
        var order: [String] = []
        while let next = queue.pop(now: Self.start.addingTimeInterval(10)) { order.append(next.podInfo.name) }
        #expect(order == ["high", "mid", "low-early", "low-middle", "low-late"])
    }

    @Test(arguments: [(0, 0.0), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 10.0), (6, 10.0), (40, 10.0)])
    func backoffDoublesUpToTheMaximum(_ attempts: Int, _ seconds: Double) {
        #expect(Self.queue().backoffDuration(attempts: attempts) == seconds)
    }

    /// Pops a pod and hands it back as rejected by `plugins`.
    static func fail(_ queue: inout SchedulingQueueCore, plugins: Set<String>, at now: Date) -> QueuedPodInfo {
        let popped = queue.pop(now: now)!
        queue.addUnschedulableIfNotPresent(popped, unschedulablePlugins: plugins,
                                           podSchedulingCycle: queue.schedulingCycle, now: now)
        return popped
    }

    @Test func unschedulablePodWaitsForARelevantEvent() {
        var queue = Self.queue()
        queue.add(Make.pod("p", cpu: "1"), now: Self.start)
        let popped = Self.fail(&queue, plugins: [NodeResourcesFit.pluginName], at: Self.start)
        #expect(queue.location(of: popped.key) == .unschedulable)

        // A node label change cannot give the pod more room.
        queue.moveAllToActiveOrBackoff(event: ClusterEvent(.node, .updateNodeLabel), now: Self.start.addingTimeInterval(0.5))
        #expect(queue.location(of: popped.key) == .unschedulable)

        // An assigned pod deleted can; the pod is still backing off (1 s after its first attempt).
        queue.moveAllToActiveOrBackoff(event: .assignedPodDelete, now: Self.start.addingTimeInterval(0.5))
        #expect(queue.location(of: popped.key) == .backoff)
        #expect(queue.pop(now: Self.start.addingTimeInterval(0.6)) != nil)  // popping from backoffQ when idle
    }

    @Test func eventAfterBackoffGoesStraightToActive() {
        var queue = Self.queue()
        queue.popFromBackoffQ = false
        queue.add(Make.pod("p") { $0.spec.nodeSelector = ["disk": "ssd"] }, now: Self.start)
        let popped = Self.fail(&queue, plugins: [NodeAffinity.pluginName], at: Self.start)
        queue.moveAllToActiveOrBackoff(event: .nodeAdd, now: Self.start.addingTimeInterval(2))
        #expect(queue.location(of: popped.key) == .active)
        #expect(queue.pop(now: Self.start.addingTimeInterval(2))?.attempts == 2)
    }

    @Test func backoffCompletesWithTheClock() {
        var queue = Self.queue()
        queue.popFromBackoffQ = false
        queue.add(Make.pod("p"), now: Self.start)
        var now = Self.start
        // Failures with no plugin (errors) go to backoffQ; each back-off is longer.
        for expected in [1.0, 2.0, 4.0, 8.0, 10.0] {
            let popped = queue.pop(now: now)!
            queue.addUnschedulableIfNotPresent(popped, unschedulablePlugins: [], podSchedulingCycle: queue.schedulingCycle,
                                               now: now)
            #expect(queue.location(of: popped.key) == .backoff)
            queue.flushBackoffCompleted(now: now.addingTimeInterval(expected - 0.01))
            #expect(queue.location(of: popped.key) == .backoff)
            #expect(queue.pop(now: now) == nil)
            now = now.addingTimeInterval(expected)
            queue.flushBackoffCompleted(now: now)
            #expect(queue.location(of: popped.key) == .active)
        }
    }

    @Test func moveRequestDuringTheCycleSendsThePodToBackoff() {
        var queue = Self.queue()
        queue.add(Make.pod("p"), now: Self.start)
        let popped = queue.pop(now: Self.start)!
        let cycle = queue.schedulingCycle
        queue.moveAllToActiveOrBackoff(event: .nodeAdd, now: Self.start)
        queue.addUnschedulableIfNotPresent(popped, unschedulablePlugins: [NodeAffinity.pluginName],
                                           podSchedulingCycle: cycle, now: Self.start)
        #expect(queue.location(of: popped.key) == .backoff)
    }

    @Test func leftoverUnschedulablePodsAreFlushedAfterFiveMinutes() {
        var queue = Self.queue()
        queue.add(Make.pod("p"), now: Self.start)
        let popped = Self.fail(&queue, plugins: [VolumeBinding.pluginName], at: Self.start)
        queue.flushUnschedulablePodsLeftover(now: Self.start.addingTimeInterval(299))
        #expect(queue.location(of: popped.key) == .unschedulable)
        queue.flushUnschedulablePodsLeftover(now: Self.start.addingTimeInterval(301))
        #expect(queue.location(of: popped.key) == .active)
    }

    @Test func schedulingGatesHoldThePod() {
        var queue = Self.queue()
        let gated = Make.pod("p") { $0.spec.schedulingGates = [CoreV1.PodSchedulingGate(name: "wait")] }
        queue.add(gated, now: Self.start)
        #expect(queue.location(of: PodInfo(gated).key) == .unschedulable)
        queue.moveAllToActiveOrBackoff(event: .forceActivate, now: Self.start)
        #expect(queue.location(of: PodInfo(gated).key) == .unschedulable)
        var released = gated
        released.spec.schedulingGates = nil
        queue.update(old: gated, new: released, now: Self.start)
        #expect(queue.location(of: PodInfo(gated).key) == .active)
    }

    @Test func updatingAnUnschedulablePodRequeuesIt() {
        var queue = Self.queue()
        let pod = Make.pod("p", cpu: "64")
        queue.add(pod, now: Self.start)
        _ = Self.fail(&queue, plugins: [NodeResourcesFit.pluginName], at: Self.start)
        var statusOnly = pod
        statusOnly.status.message = "x"
        queue.update(old: pod, new: statusOnly, now: Self.start.addingTimeInterval(5))
        #expect(queue.location(of: PodInfo(pod).key) == .unschedulable)
        var smaller = pod
        smaller.spec.containers[0].resources = CoreV1.ResourceRequirements(requests: ["cpu": "1"])
        queue.update(old: pod, new: smaller, now: Self.start.addingTimeInterval(5))
        #expect(queue.location(of: PodInfo(pod).key) == .active)
        queue.delete(smaller)
        #expect(queue.location(of: PodInfo(pod).key) == nil)
        #expect(queue.isEmpty)
    }

    @Test func nominationsAreTracked() {
        var queue = Self.queue()
        queue.add(Make.pod("p") { $0.status.nominatedNodeName = "n1" }, now: Self.start)
        queue.nominate(PodInfo(Make.pod("q")), on: "n2")
        #expect(queue.nominatedPods(on: "n1").map(\.name) == ["p"])
        #expect(Set(queue.nominatedPodsByNode.keys) == ["n1", "n2"])
    }

    @Test func asyncPopWaitsForWork() async {
        let clock = ManualClock()
        let queue = SchedulingQueue(framework: try! Framework(), clock: clock)
        async let next = queue.pop()
        try? await Task.sleep(for: .milliseconds(20))
        await queue.add(Make.pod("p"))
        #expect(await next?.podInfo.name == "p")
    }

    @Test func asyncPopEndsOnClose() async {
        let queue = SchedulingQueue(framework: try! Framework(), clock: ManualClock())
        async let next = queue.pop()
        try? await Task.sleep(for: .milliseconds(20))
        await queue.close()
        #expect(await next == nil)
        #expect(await queue.pop() == nil)
    }

    @Test func asyncPopEndsOnCancellation() async {
        let queue = SchedulingQueue(framework: try! Framework(), clock: ManualClock())
        let task = Task { await queue.pop() }
        try? await Task.sleep(for: .milliseconds(20))
        task.cancel()
        #expect(await task.value == nil)
    }

    @Test func asyncBackoffFollowsTheManualClock() async {
        let clock = ManualClock()
        var core = Self.queue()
        core.popFromBackoffQ = false
        let queue = SchedulingQueue(core: core, clock: clock)
        await queue.add(Make.pod("p"))
        let popped = await queue.pop()!
        await queue.addUnschedulableIfNotPresent(popped, unschedulablePlugins: [], podSchedulingCycle: 1)
        clock.advance(0.5)
        await queue.flushBackoffCompleted()
        #expect(await queue.core.activeCount == 0)
        clock.advance(0.6)
        await queue.flushBackoffCompleted()
        #expect(await queue.core.activeCount == 1)
    }
}
