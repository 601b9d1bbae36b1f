import Foundation
import KubeModel

/// The time source of the queue; tests inject a manual one.
public protocol SchedulerClock: Sendable {
    func now() -> Date
}

/// Wall-clock time.
public struct SystemClock: SchedulerClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// The scheduling queue shared by informer handlers and the scheduling loop: a
/// `SchedulingQueueCore` behind an actor, with an async `pop()` that waits for work.
/// The wiring calls `flushBackoffCompleted()` about every second and
/// `flushUnschedulablePodsLeftover()` about every 30 seconds, as upstream's goroutines do.
public actor SchedulingQueue {
    public private(set) var core: SchedulingQueueCore
    private let clock: any SchedulerClock
    private var waiters: [(id: Int, continuation: CheckedContinuation<QueuedPodInfo?, Never>)] = []
    private var nextWaiterID = 0
    private var closed = false

    public init(core: SchedulingQueueCore = SchedulingQueueCore(), clock: any SchedulerClock = SystemClock()) {
        self.core = core
        self.clock = clock
    }

    public init(framework: Framework, clock: any SchedulerClock = SystemClock()) {
        self.init(core: SchedulingQueueCore(eventsByPlugin: framework.eventsByPlugin), clock: clock)
    }

    // MARK: Producers

    public func add(_ pod: CoreV1.Pod) {
        core.add(pod, now: clock.now())
        serveWaiters()
    }

    public func update(old: CoreV1.Pod, new: CoreV1.Pod) {
        core.update(old: old, new: new, now: clock.now())
        serveWaiters()
    }

    public func delete(_ pod: CoreV1.Pod) { core.delete(pod) }

    public func done(_ key: String) { core.done(key) }

    public func addUnschedulableIfNotPresent(_ info: QueuedPodInfo, unschedulablePlugins: Set<String>,
                                             podSchedulingCycle: Int) {
        core.addUnschedulableIfNotPresent(info, unschedulablePlugins: unschedulablePlugins,
                                          podSchedulingCycle: podSchedulingCycle, now: clock.now())
        serveWaiters()
    }

    public func nominate(_ pod: PodInfo, on node: String) { core.nominate(pod, on: node) }

    public func nominatedPodsByNode() -> [String: [PodInfo]] { core.nominatedPodsByNode }

    public func moveAllToActiveOrBackoff(event: ClusterEvent) {
        core.moveAllToActiveOrBackoff(event: event, now: clock.now())
        serveWaiters()
    }

    public func flushBackoffCompleted() {
        core.flushBackoffCompleted(now: clock.now())
        serveWaiters()
    }

    public func flushUnschedulablePodsLeftover() {
        core.flushUnschedulablePodsLeftover(now: clock.now())
        serveWaiters()
    }

    // MARK: Consumer

    /// The next pod to schedule; waits while there is none. Returns nil once the queue is
    /// closed or the calling task is cancelled.
    public func pop() async -> QueuedPodInfo? {
        if closed || Task.isCancelled { return nil }
        if core.hasPoppable { return core.pop(now: clock.now()) }
        let id = nextWaiterID
        nextWaiterID += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled || closed {
                    continuation.resume(returning: nil)
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Wakes every waiting `pop()` with nil; later pops return nil at once.
    public func close() {
        closed = true
        let pending = waiters
        waiters.removeAll()
        for waiter in pending { waiter.continuation.resume(returning: nil) }
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: nil)
    }

    private func serveWaiters() {
        while !waiters.isEmpty, core.hasPoppable, let next = core.pop(now: clock.now()) {
            waiters.removeFirst().continuation.resume(returning: next)
        }
    }
}
