import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// Watches node heartbeats (status posts and Leases in kube-node-lease) and acts when they stop
/// (upstream's node lifecycle controller): every `nodeMonitorPeriod` a node whose last heartbeat
/// is older than `nodeMonitorGracePeriod` gets its Ready and pressure conditions set to Unknown
/// and its ready pods marked not ready; a per-node reconcile keeps the controller's taints in
/// line with the conditions — `unreachable`/`not-ready` NoExecute from Ready, NoSchedule ones
/// from every condition and `spec.unschedulable`. Evicting pods is the taint eviction
/// controller's part.
public final class NodeLifecycleController: Controller {
    public let name = "node-lifecycle"
    static let leaseNamespace = "kube-node-lease"

    let loop: ReconcileLoop
    let nodes: Informer<CoreV1.Node>
    let leases: Informer<CoordinationV1.Lease>
    let pods: Informer<CoreV1.Pod>
    let client: APIClient
    let events: EventRecorder
    let clock: any ClientClock
    let gracePeriod: Duration
    let startupGracePeriod: Duration
    let monitorPeriod: Duration
    let health = Mutex<[String: NodeHealth]>([:])
    let logger: Logger

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context)
        nodes = context.informers.informer(CoreV1.Node.self)
        leases = context.informers.informer(CoordinationV1.Lease.self)
        pods = context.informers.informer(CoreV1.Pod.self)
        PodIndex.indexByNode(pods)
        client = context.client
        events = context.events
        clock = context.clock
        gracePeriod = context.settings.nodeMonitorGracePeriod
        startupGracePeriod = context.settings.nodeStartupGracePeriod
        monitorPeriod = context.settings.nodeMonitorPeriod
        logger = context.logger(for: name)
        let loop = self.loop
        nodes.addEventHandler(InformerEventHandler(
            onAdd: { loop.enqueue($0) },
            onUpdate: { old, new in
                if old.status.conditions != new.status.conditions || old.spec.taints != new.spec.taints
                    || old.spec.unschedulable != new.spec.unschedulable { loop.enqueue(new) }
            },
            onDelete: { [weak self] node in
                _ = self?.health.withLock { $0.removeValue(forKey: node.metadata.name ?? "") }
            }))
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.loop.run { key in try await self.syncTaints(key) } }
            group.addTask { await self.monitorPeriodically() }
        }
    }

    // MARK: - Health monitoring

    private func monitorPeriodically() async {
        while !Task.isCancelled {
            await monitorNodeHealth()
            do { try await clock.sleep(for: monitorPeriod) } catch { return }
        }
    }

    /// One pass over every node (upstream's monitorNodeHealth).
    func monitorNodeHealth() async {
        let now = clock.now()
        for node in nodes.store.list() {
            let name = node.metadata.name ?? ""
            let lease = leases.store.get(namespace: Self.leaseNamespace, name: name)
            let probe = health.withLock { health in
                var record = health[name] ?? NodeHealth.initial(node, lease: lease, now: now)
                if health[name] != nil { record.observe(node, lease: lease, now: now) }
                health[name] = record
                return record.probeTimestamp
            }
            // A node that never posted Ready gets the longer startup grace period.
            let hasReady = node.status.conditions?.contains { $0.type == "Ready" } ?? false
            let grace = hasReady ? gracePeriod : max(gracePeriod, startupGracePeriod)
            guard now.timeIntervalSince(probe) > grace.timeInterval else { continue }
            do {
                try await markUnknown(name)
            } catch {
                logger.warning("cannot mark node status unknown", metadata: ["node": "\(name)", "error": "\(error)"])
            }
        }
    }

    /// Sets the node's conditions to Unknown; when it was Ready, its pods are marked not ready.
    func markUnknown(_ name: String) async throws {
        let resource = client.resource(CoreV1.Node.self)
        for attempt in 1...5 {
            var node: CoreV1.Node
            do { node = try await resource.get(name) } catch let error as APIStatusError where error.isNotFound { return }
            let wasReady = node.status.conditions?.first { $0.type == "Ready" }?.status == "True"
            guard let conditions = NodeHealth.unknownConditions(of: node, now: clock.now()) else { return }
            node.status.conditions = conditions
            do {
                _ = try await resource.updateStatus(node)
            } catch let error as APIStatusError where error.isConflict && attempt < 5 {
                continue
            }
            logger.info("node stopped posting status", metadata: ["node": "\(name)"])
            if wasReady {
                events.record(node, type: .normal, reason: "NodeNotReady", message: "Node \(name) status is now: NodeNotReady")
                try await markPodsNotReady(on: name)
            }
            return
        }
    }

    /// Upstream's MarkPodsNotReady: the Ready condition of every pod on the node turns False.
    func markPodsNotReady(on node: String) async throws {
        let now = Time.wholeSeconds(clock.now())
        for pod in PodIndex.pods(on: node, in: pods) where pod.isReady {
            var updated = pod
            updated.status.conditions = pod.status.conditions?.map { condition in
                guard condition.type == "Ready" else { return condition }
                var condition = condition
                condition.status = "False"
                condition.lastTransitionTime = now
                return condition
            }
            do {
                _ = try await client.resource(CoreV1.Pod.self, namespace: pod.metadata.namespace).updateStatus(updated)
            } catch let error as APIStatusError where error.isNotFound || error.isConflict {
                // Gone, or changed by its kubelet meanwhile.
            }
        }
    }

    // MARK: - Taints

    /// Brings the controller's taints on the node in line with its conditions.
    func syncTaints(_ name: String) async throws {
        guard let cached = nodes.store.get(name), let desired = Optional(NodeTaints.desired(for: cached)),
              NodeTaints.reconciled(cached.spec.taints ?? [], desired: desired, now: clock.now()) != nil else { return }
        let resource = client.resource(CoreV1.Node.self)
        for attempt in 1...5 {
            var node: CoreV1.Node
            do { node = try await resource.get(name) } catch let error as APIStatusError where error.isNotFound { return }
            guard let taints = NodeTaints.reconciled(node.spec.taints ?? [], desired: NodeTaints.desired(for: node), now: clock.now()) else {
                return
            }
            node.spec.taints = taints.isEmpty ? nil : taints
            do {
                _ = try await resource.update(node)
                return
            } catch let error as APIStatusError where error.isConflict && attempt < 5 {
                continue
            } catch let error as APIStatusError where error.isNotFound {
                return
            }
        }
    }
}
