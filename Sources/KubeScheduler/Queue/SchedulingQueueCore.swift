import Foundation
import KubeModel

/// A pod waiting to be scheduled, with its queueing history (upstream's QueuedPodInfo).
public struct QueuedPodInfo: Sendable {
    public var podInfo: PodInfo
    /// When the pod last entered a queue (its back-off runs from here).
    public var timestamp: Date
    /// Scheduling attempts so far.
    public var attempts: Int
    /// When the pod was first popped.
    public var initialAttemptTimestamp: Date?
    /// Plugins that rejected the pod last time; only their events requeue it.
    public var unschedulablePlugins: Set<String>
    /// Held back by `spec.schedulingGates` until they are removed.
    public var gated: Bool

    public var pod: CoreV1.Pod { podInfo.pod }
    public var key: String { podInfo.key }
}

/// Upstream's PriorityQueue as a pure data structure; every time-dependent operation takes
/// `now`. Three parts:
/// - activeQ: pods to try now, highest priority first, then oldest;
/// - backoffQ: pods waiting out an exponential back-off (1 s doubling up to 10 s by default);
/// - unschedulablePods: pods rejected by plugins, moved back only by a cluster event one of
///   those plugins registered for, or after 5 minutes.
public struct SchedulingQueueCore: Sendable {
    public var initialBackoff: TimeInterval = 1
    public var maxBackoff: TimeInterval = 10
    /// How long a pod may sit in unschedulablePods before it is retried anyway.
    public var maxInUnschedulablePods: TimeInterval = 5 * 60
    /// Pop from backoffQ when activeQ is empty (upstream's SchedulerPopFromBackoffQ).
    public var popFromBackoffQ = true

    private var activeQ = PodHeap()
    private var backoffQ = PodHeap()
    private var unschedulablePods: [String: QueuedPodInfo] = [:]
    /// Pods popped and not yet done, with the cycle they were popped in.
    private var inFlight: [String: Int] = [:]
    private let eventsByPlugin: [String: [ClusterEvent]]
    /// Incremented on every pop.
    public private(set) var schedulingCycle = 0
    /// The cycle in which the last move request happened: a pod whose cycle started before
    /// it goes to backoffQ rather than unschedulablePods, since the event may have helped.
    private var moveRequestCycle = -1
    /// Nominated node per pod key, and the pods nominated there.
    private var nominations: [String: (node: String, pod: PodInfo)] = [:]

    public init(eventsByPlugin: [String: [ClusterEvent]] = [:]) {
        self.eventsByPlugin = eventsByPlugin
    }

    // MARK: Reading

    public var activeCount: Int { activeQ.count }
    public var backoffCount: Int { backoffQ.count }
    public var unschedulableCount: Int { unschedulablePods.count }
    public var isEmpty: Bool { activeQ.isEmpty && backoffQ.isEmpty && unschedulablePods.isEmpty }

    /// Whether `pop` would return a pod now.
    public var hasPoppable: Bool { !activeQ.isEmpty || (popFromBackoffQ && !backoffQ.isEmpty) }

    public enum Location: Sendable, Hashable {
        case active, backoff, unschedulable, inFlight
    }

    public func location(of key: String) -> Location? {
        if activeQ.contains(key) { return .active }
        if backoffQ.contains(key) { return .backoff }
        if unschedulablePods[key] != nil { return .unschedulable }
        if inFlight[key] != nil { return .inFlight }
        return nil
    }

    /// Back-off after `attempts` failures: none before the first attempt, then the initial
    /// back-off doubled per further attempt, capped.
    public func backoffDuration(attempts: Int) -> TimeInterval {
        if attempts == 0 { return 0 }
        var duration = initialBackoff
        for _ in 1..<attempts {
            if duration > maxBackoff - duration { return maxBackoff }
            duration += duration
        }
        return min(duration, maxBackoff)
    }

    public func backoffExpiry(_ info: QueuedPodInfo) -> Date {
        info.timestamp.addingTimeInterval(backoffDuration(attempts: info.attempts))
    }

    public func isBackingOff(_ info: QueuedPodInfo, now: Date) -> Bool { backoffExpiry(info) > now }

    /// Pods nominated to `node` by preemption.
    public func nominatedPods(on node: String) -> [PodInfo] {
        nominations.values.filter { $0.node == node }.map(\.pod)
    }

    /// Every nomination by node, as `SchedulingAlgorithm.schedule` takes them.
    public var nominatedPodsByNode: [String: [PodInfo]] {
        var result: [String: [PodInfo]] = [:]
        for (node, pod) in nominations.values { result[node, default: []].append(pod) }
        return result
    }

    // MARK: Pods arriving and leaving

    /// A new unscheduled pod.
    public mutating func add(_ pod: CoreV1.Pod, now: Date) {
        let info = PodInfo(pod)
        let gated = !(pod.spec.schedulingGates ?? []).isEmpty
        let queued = QueuedPodInfo(podInfo: info, timestamp: now, attempts: 0, initialAttemptTimestamp: nil,
                                   unschedulablePlugins: gated ? ["SchedulingGates"] : [], gated: gated)
        removeEverywhere(info.key)
        updateNomination(info)
        if gated {
            unschedulablePods[info.key] = queued
        } else {
            pushActive(queued)
        }
    }

    /// An unscheduled pod changed.
    public mutating func update(old: CoreV1.Pod, new: CoreV1.Pod, now: Date) {
        let info = PodInfo(new)
        updateNomination(info)
        if var queued = activeQ.get(info.key) {
            queued.podInfo = info
            pushActive(queued)
        } else if var queued = backoffQ.get(info.key) {
            queued.podInfo = info
            pushBackoff(queued)
        } else if var queued = unschedulablePods[info.key] {
            queued.podInfo = info
            if queued.gated {
                if (new.spec.schedulingGates ?? []).isEmpty {
                    queued.gated = false
                    queued.unschedulablePlugins = []
                    unschedulablePods[info.key] = nil
                    pushActive(queued)
                } else {
                    unschedulablePods[info.key] = queued
                }
            } else if Self.specChanged(old, new) {
                unschedulablePods[info.key] = nil
                moveToActiveOrBackoff(queued, now: now)
            } else {
                unschedulablePods[info.key] = queued
            }
        } else if inFlight[info.key] == nil {
            add(new, now: now)
        }
    }

    /// The pod was deleted or got bound.
    public mutating func delete(_ pod: CoreV1.Pod) {
        let key = PodInfo(pod).key
        removeEverywhere(key)
        inFlight[key] = nil
        nominations[key] = nil
    }

    // MARK: Scheduling cycle

    /// The next pod to schedule: activeQ's head, or (when allowed) backoffQ's when activeQ
    /// is empty. Starts a scheduling cycle.
    public mutating func pop(now: Date) -> QueuedPodInfo? {
        guard var queued = activeQ.popFirst() ?? (popFromBackoffQ ? backoffQ.popFirst() : nil) else { return nil }
        schedulingCycle += 1
        queued.attempts += 1
        if queued.initialAttemptTimestamp == nil { queued.initialAttemptTimestamp = now }
        inFlight[queued.key] = schedulingCycle
        return queued
    }

    /// The popped pod's cycle ended (bound, or handed back through
    /// `addUnschedulableIfNotPresent`).
    public mutating func done(_ key: String) {
        inFlight[key] = nil
    }

    /// Hands back a pod whose cycle failed. Rejected by plugins and no move request since its
    /// cycle started: unschedulablePods. Otherwise (or failed with an error, no plugins):
    /// backoffQ.
    public mutating func addUnschedulableIfNotPresent(_ info: QueuedPodInfo, unschedulablePlugins: Set<String>,
                                                      podSchedulingCycle: Int, now: Date) {
        inFlight[info.key] = nil
        guard location(of: info.key) == nil else { return }
        var queued = info
        queued.timestamp = now
        queued.unschedulablePlugins = unschedulablePlugins
        if moveRequestCycle >= podSchedulingCycle || unschedulablePlugins.isEmpty {
            pushBackoff(queued)
        } else {
            unschedulablePods[queued.key] = queued
        }
    }

    /// Records a preemption nomination (the pod waits for its victims to leave).
    public mutating func nominate(_ pod: PodInfo, on node: String) {
        nominations[pod.key] = (node, pod)
    }

    // MARK: Moving pods back

    /// Moves every unschedulable pod that `event` may help back to activeQ, or to backoffQ if
    /// it is still backing off.
    public mutating func moveAllToActiveOrBackoff(event: ClusterEvent, now: Date) {
        let moving = unschedulablePods.values.filter { !$0.gated && isRelevant(event, to: $0) }
        for queued in moving {
            unschedulablePods[queued.key] = nil
            moveToActiveOrBackoff(queued, now: now)
        }
        moveRequestCycle = schedulingCycle
    }

    /// Moves backoffQ pods whose back-off has expired to activeQ.
    public mutating func flushBackoffCompleted(now: Date) {
        while let head = backoffQ.first, head.time <= now {
            let queued = backoffQ.popFirst()!
            pushActive(queued)
        }
    }

    /// Retries pods that have been unschedulable longer than `maxInUnschedulablePods`.
    public mutating func flushUnschedulablePodsLeftover(now: Date) {
        let stale = unschedulablePods.values.filter {
            !$0.gated && now.timeIntervalSince($0.timestamp) > maxInUnschedulablePods
        }
        for queued in stale {
            unschedulablePods[queued.key] = nil
            moveToActiveOrBackoff(queued, now: now)
        }
        if !stale.isEmpty { moveRequestCycle = schedulingCycle }
    }

    /// Whether `event` may make a pod rejected by `queued.unschedulablePlugins` schedulable.
    func isRelevant(_ event: ClusterEvent, to queued: QueuedPodInfo) -> Bool {
        if event.resource == .wildcard || queued.unschedulablePlugins.isEmpty { return true }
        return queued.unschedulablePlugins.contains { plugin in
            // A plugin that registered nothing is requeued by any event.
            guard let registered = eventsByPlugin[plugin] else { return true }
            return registered.contains { event.isCovered(by: $0) }
        }
    }

    // MARK: Internals

    private mutating func moveToActiveOrBackoff(_ queued: QueuedPodInfo, now: Date) {
        if isBackingOff(queued, now: now) { pushBackoff(queued) } else { pushActive(queued) }
    }

    private mutating func pushActive(_ queued: QueuedPodInfo) {
        backoffQ.remove(queued.key)
        activeQ.upsert(PodHeap.Entry(rank: -queued.podInfo.priority, time: queued.timestamp, info: queued))
    }

    private mutating func pushBackoff(_ queued: QueuedPodInfo) {
        activeQ.remove(queued.key)
        backoffQ.upsert(PodHeap.Entry(rank: 0, time: backoffExpiry(queued), info: queued))
    }

    private mutating func removeEverywhere(_ key: String) {
        activeQ.remove(key)
        backoffQ.remove(key)
        unschedulablePods[key] = nil
    }

    private mutating func updateNomination(_ info: PodInfo) {
        if let node = info.pod.status.nominatedNodeName, !node.isEmpty {
            nominations[info.key] = (node, info)
        } else {
            nominations[info.key] = nil
        }
    }

    /// Whether an update can change scheduling: anything but status and bookkeeping metadata.
    static func specChanged(_ old: CoreV1.Pod, _ new: CoreV1.Pod) -> Bool {
        old.spec != new.spec || old.metadata.labels != new.metadata.labels
            || old.metadata.annotations != new.metadata.annotations
    }
}
