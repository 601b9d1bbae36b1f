import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// The scheduler as a running component: informers keep the node cache and the scheduling
/// queue up to date, one loop takes pods from the queue and schedules them against a snapshot,
/// assumes each placement at once and binds it through `pods/binding` in the background, so
/// the next cycle never waits for the API server. Pods that fit nowhere get a FailedScheduling
/// event and a PodScheduled=False condition, and wait for a cluster event that may help.
public final class Scheduler: Sendable {
    let client: APIClient
    let pods: Informer<CoreV1.Pod>
    let nodes: Informer<CoreV1.Node>
    let events: EventRecorder
    let framework: Framework
    let queue: SchedulingQueue
    let cache = Mutex(NodeCache())
    let clock: any ClientClock
    let logger: Logger
    /// Informer notifications, applied in order to the queue (an actor) by `run()`.
    let changes: (stream: AsyncStream<Change>, continuation: AsyncStream<Change>.Continuation)

    enum Change: Sendable {
        case podAdded(CoreV1.Pod)
        case podUpdated(old: CoreV1.Pod, new: CoreV1.Pod)
        case podDeleted(CoreV1.Pod)
        case clusterEvent(ClusterEvent)
    }

    public init(client: APIClient, informers: SharedInformerFactory, events: EventRecorder,
                profile: Profile = .default, clock: any ClientClock = KubeClient.SystemClock(),
                logger: Logger = Logger(label: "skiff.scheduler")) throws {
        self.client = client
        self.events = events
        self.clock = clock
        self.logger = logger
        framework = try Framework(profile: profile, handle: .informed(by: informers))
        queue = SchedulingQueue(framework: framework)
        pods = informers.informer(CoreV1.Pod.self)
        nodes = informers.informer(CoreV1.Node.self)
        changes = AsyncStream.makeStream(of: Change.self)
        registerHandlers()
        registerVolumeHandlers(informers)
    }

    var schedulerName: String { framework.profile.schedulerName }

    /// Whether this scheduler places `pod`: unbound, ours, not finished or being deleted.
    func isOurs(_ pod: CoreV1.Pod) -> Bool {
        (pod.spec.nodeName ?? "").isEmpty && (pod.spec.schedulerName ?? "default-scheduler") == schedulerName
            && pod.metadata.deletionTimestamp == nil && pod.status.phase != "Succeeded" && pod.status.phase != "Failed"
    }

    static func isBound(_ pod: CoreV1.Pod) -> Bool { !(pod.spec.nodeName ?? "").isEmpty }

    private func registerHandlers() {
        let continuation = changes.continuation
        nodes.addEventHandler(InformerEventHandler(
            onAdd: { [weak self] node in
                self?.cache.withLock { $0.addNode(node) }
                continuation.yield(.clusterEvent(.nodeAdd))
            },
            onUpdate: { [weak self] old, new in
                self?.cache.withLock { $0.updateNode(new) }
                continuation.yield(.clusterEvent(.nodeUpdate(old: old, new: new)))
            },
            onDelete: { [weak self] node in
                self?.cache.withLock { $0.removeNode(named: node.metadata.name ?? "") }
                continuation.yield(.clusterEvent(.nodeDelete))
            }))
        pods.addEventHandler(InformerEventHandler(
            onAdd: { [weak self] pod in
                if Self.isBound(pod) {
                    self?.cache.withLock { $0.addPod(pod) }
                    continuation.yield(.clusterEvent(.assignedPodAdd))
                } else {
                    continuation.yield(.podAdded(pod))
                }
            },
            onUpdate: { [weak self] old, new in
                if Self.isBound(new) {
                    self?.cache.withLock { cache in
                        if Self.isBound(old) { cache.updatePod(old: old, new: new) } else { cache.addPod(new) }
                    }
                    // Leaving the queue when bound, by us or by someone else.
                    if !Self.isBound(old) { continuation.yield(.podDeleted(old)) }
                    continuation.yield(.clusterEvent(.assignedPodUpdate(old: old, new: new)))
                } else {
                    continuation.yield(.podUpdated(old: old, new: new))
                }
            },
            onDelete: { [weak self] pod in
                if Self.isBound(pod) {
                    self?.cache.withLock { $0.removePod(pod) }
                    continuation.yield(.clusterEvent(.assignedPodDelete))
                } else {
                    continuation.yield(.podDeleted(pod))
                }
            }))
    }

    /// A claim or volume that appears or changes may make a pod waiting on it schedulable.
    private func registerVolumeHandlers(_ informers: SharedInformerFactory) {
        let continuation = changes.continuation
        func handler<Object: KubeObject>(_ resource: ClusterEvent.Resource, _ type: Object.Type) -> InformerEventHandler<Object> {
            InformerEventHandler(
                onAdd: { _ in continuation.yield(.clusterEvent(ClusterEvent(resource, .add))) },
                onUpdate: { _, _ in continuation.yield(.clusterEvent(ClusterEvent(resource, .updateOther))) },
                onDelete: { _ in continuation.yield(.clusterEvent(ClusterEvent(resource, .delete))) })
        }
        informers.informer(CoreV1.PersistentVolumeClaim.self).addEventHandler(handler(.persistentVolumeClaim, CoreV1.PersistentVolumeClaim.self))
        informers.informer(CoreV1.PersistentVolume.self).addEventHandler(handler(.persistentVolume, CoreV1.PersistentVolume.self))
    }

    /// Schedules until the task is cancelled. The informers must be running (the factory's `run()`).
    public func run() async throws {
        try await pods.waitForSync()
        try await nodes.waitForSync()
        logger.info("scheduler started", metadata: ["schedulerName": "\(schedulerName)"])
        await withDiscardingTaskGroup { group in
            group.addTask { await self.applyChanges() }
            group.addTask { await self.flushPeriodically() }
            await self.scheduleLoop(binders: &group)
            await self.queue.close()
            self.changes.continuation.finish()
            group.cancelAll()
        }
    }

    private func applyChanges() async {
        for await change in changes.stream {
            switch change {
            case .podAdded(let pod):
                if isOurs(pod) { await queue.add(pod) }
            case .podUpdated(let old, let new):
                if isOurs(new) { await queue.update(old: old, new: new) } else { await queue.delete(new) }
            case .podDeleted(let pod):
                await queue.delete(pod)
                await queue.moveAllToActiveOrBackoff(event: .assignedPodDelete)
            case .clusterEvent(let event):
                await queue.moveAllToActiveOrBackoff(event: event)
            }
        }
    }

    /// Back-off expiry every second, leftover unschedulable pods every 30 s, as upstream.
    private func flushPeriodically() async {
        var ticks = 0
        while !Task.isCancelled {
            do { try await Task.sleep(for: .seconds(1)) } catch { return }
            await queue.flushBackoffCompleted()
            ticks += 1
            if ticks % 30 == 0 { await queue.flushUnschedulablePodsLeftover() }
        }
    }

    private func scheduleLoop(binders: inout DiscardingTaskGroup) async {
        var algorithm = SchedulingAlgorithm(framework: framework)
        var random = SystemRandomNumberGenerator()
        while let info = await queue.pop() {
            // The informer may have seen the pod bound, deleted or replaced since it was queued.
            guard let current = pods.store.get(ObjectKey.of(info.pod)), current.metadata.uid == info.pod.metadata.uid, isOurs(current), !cache.withLock({ $0.isAssumed(current) }) else {
                await queue.done(info.key)
                continue
            }
            let snapshot = cache.withLock { $0.snapshot() }
            let nominated = await queue.nominatedPodsByNode()
            do {
                let result = try await algorithm.schedule(pod: current, snapshot: snapshot, nominatedPods: nominated, random: &random)
                let host = result.suggestedHost
                try cache.withLock { cache throws(NodeCacheError) in try cache.assumePod(current, on: host) }
                binders.addTask { await self.bind(current, to: host, info: info) }
            } catch {
                await handleFailure(current, info: info, error: error)
            }
        }
    }

    private func bind(_ pod: CoreV1.Pod, to host: String, info: QueuedPodInfo) async {
        var binding = CoreV1.Binding()
        binding.metadata.name = pod.metadata.name
        binding.metadata.namespace = pod.metadata.namespace
        binding.metadata.uid = pod.metadata.uid
        binding.target = CoreV1.ObjectReference(kind: "Node", name: host)
        do {
            try await client.resource(CoreV1.Pod.self, namespace: pod.metadata.namespace)
                .create(pod.metadata.name ?? "", subresource: "binding", body: binding)
            events.record(pod, type: .normal, reason: "Scheduled",
                          message: "Successfully assigned \(ObjectKey.of(pod)) to \(host)")
            await queue.done(info.key)
        } catch {
            cache.withLock { $0.forgetPod(pod) }
            logger.debug("binding failed", metadata: ["pod": "\(info.key)", "node": "\(host)", "error": "\(error)"])
            if let status = error as? APIStatusError, status.isNotFound || status.isConflict {
                await queue.done(info.key)  // deleted, or bound by someone else
                return
            }
            await queue.addUnschedulableIfNotPresent(info, unschedulablePlugins: [], podSchedulingCycle: info.attempts)
            await queue.done(info.key)
        }
    }

    private func handleFailure(_ pod: CoreV1.Pod, info: QueuedPodInfo, error: any Error) async {
        var plugins: Set<String> = []
        let message: String
        switch error {
        case ScheduleError.unschedulable(let fit):
            message = fit.message
            plugins = fit.diagnosis.unschedulablePlugins
            if let node = fit.nominatedNodeName { await preempt(for: pod, on: node, victims: fit.victims) }
        case ScheduleError.noNodesAvailable:
            message = "no nodes available to schedule pods"
        default:
            message = "\(error)"
        }
        events.record(pod, type: .warning, reason: "FailedScheduling", message: message)
        await markUnschedulable(pod, message: message)
        await queue.addUnschedulableIfNotPresent(info, unschedulablePlugins: plugins, podSchedulingCycle: info.attempts)
        await queue.done(info.key)
    }

    /// PodScheduled=False (reason Unschedulable), as `kubectl describe` shows it.
    private func markUnschedulable(_ pod: CoreV1.Pod, message: String) async {
        if let condition = pod.status.conditions?.first(where: { $0.type == "PodScheduled" }),
           condition.status == "False", condition.message == message { return }
        let time = JSONValue.string(RFC3339.format(Date(timeIntervalSince1970: clock.now().timeIntervalSince1970.rounded(.down)), fractionalDigits: 0))
        let patch: JSONValue = ["status": ["conditions": [[
            "type": "PodScheduled", "status": "False", "reason": "Unschedulable",
            "message": .string(message), "lastTransitionTime": time, "lastProbeTime": .null,
        ]]]]
        _ = try? await client.resource(CoreV1.Pod.self, namespace: pod.metadata.namespace)
            .patch(pod.metadata.name ?? "", type: .strategicMerge, body: patch, subresource: "status")
    }

    /// Preemption: nominate the node for the pod and delete the lower-priority victims there.
    private func preempt(for pod: CoreV1.Pod, on node: String, victims: [PodInfo]) async {
        await queue.nominate(PodInfo(pod), on: node)
        let patch: JSONValue = ["status": ["nominatedNodeName": .string(node)]]
        _ = try? await client.resource(CoreV1.Pod.self, namespace: pod.metadata.namespace)
            .patch(pod.metadata.name ?? "", type: .strategicMerge, body: patch, subresource: "status")
        for victim in victims {
            let target = victim.pod
            events.record(target, type: .normal, reason: "Preempted",
                          message: "Preempted by pod \(pod.metadata.uid ?? "") on node \(node)")
            try? await client.resource(CoreV1.Pod.self, namespace: target.metadata.namespace).delete(target.metadata.name ?? "")
        }
    }
}
