import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// Deletes pods nobody else will (upstream's pod garbage collector), every `podGCPeriod`:
/// terminated pods beyond `terminatedPodGCThreshold` (oldest first, evicted ones before
/// others); pods bound to nodes that no longer exist, once the node has been missing for the
/// quarantine period and the API server confirms it is gone; unscheduled pods being deleted;
/// and terminating pods on not-ready nodes tainted out-of-service. Pods that had not finished
/// are marked Failed with a DisruptionTarget condition before they are force-deleted.
public final class PodGCController: Controller {
    public let name = "pod-garbage-collector"
    static let outOfServiceTaint = "node.kubernetes.io/out-of-service"

    let pods: Informer<CoreV1.Pod>
    let nodes: Informer<CoreV1.Node>
    let client: APIClient
    let clock: any ClientClock
    let period: Duration
    let quarantine: Duration
    let threshold: Int
    /// Node name → when pods were first seen bound to it while it was missing.
    let missingSince = Mutex<[String: Date]>([:])
    let logger: Logger

    public init(context: ControllerContext) {
        pods = context.informers.informer(CoreV1.Pod.self)
        nodes = context.informers.informer(CoreV1.Node.self)
        client = context.client
        clock = context.clock
        period = context.settings.podGCPeriod
        quarantine = context.settings.podGCOrphanQuarantine
        threshold = context.settings.terminatedPodGCThreshold
        logger = context.logger(for: name)
    }

    public func run() async throws {
        while !Task.isCancelled {
            do { try await clock.sleep(for: period) } catch { return }
            await collect()
        }
    }

    /// One pass.
    func collect() async {
        let all = pods.store.list()
        if threshold > 0 { await collectTerminated(all) }
        await collectTerminatingOutOfService(all)
        await collectOrphaned(all)
        await collectUnscheduledTerminating(all)
    }

    func collectTerminated(_ all: [CoreV1.Pod]) async {
        let terminated = all.filter { $0.isTerminal && !$0.isTerminating }
        let excess = terminated.count - threshold
        guard excess > 0 else { return }
        let victims = terminated.sorted { a, b in
            let aEvicted = a.status.reason == "Evicted", bEvicted = b.status.reason == "Evicted"
            if aEvicted != bEvicted { return aEvicted }
            let aCreated = a.metadata.creationTimestamp?.date ?? .distantPast
            let bCreated = b.metadata.creationTimestamp?.date ?? .distantPast
            if aCreated != bCreated { return aCreated < bCreated }
            return ObjectKey.of(a) < ObjectKey.of(b)
        }.prefix(excess)
        logger.info("garbage collecting terminated pods", metadata: ["count": "\(victims.count)", "threshold": "\(threshold)"])
        for pod in victims { await delete(pod, condition: nil) }
    }

    func collectOrphaned(_ all: [CoreV1.Pod]) async {
        let now = clock.now()
        let bound = Set(all.compactMap { pod -> String? in
            guard let node = pod.spec.nodeName, !node.isEmpty else { return nil }
            return node
        })
        var confirmable: [String] = []
        missingSince.withLock { missing in
            for node in bound where nodes.store.get(node) == nil {
                let since = missing[node] ?? now
                missing[node] = since
                if now.timeIntervalSince(since) >= quarantine.timeInterval { confirmable.append(node) }
            }
            // Nodes that came back, or have no pods any more, are forgotten.
            for node in Array(missing.keys) where nodes.store.get(node) != nil || !bound.contains(node) { missing[node] = nil }
        }
        for node in confirmable.sorted() {
            do {
                _ = try await client.resource(CoreV1.Node.self).get(node)
                missingSince.withLock { $0[node] = nil }
                continue
            } catch let error as APIStatusError where error.isNotFound {
                // Confirmed gone.
            } catch {
                logger.warning("cannot check node", metadata: ["node": "\(node)", "error": "\(error)"])
                continue
            }
            for pod in all where pod.spec.nodeName == node {
                logger.info("deleting orphaned pod", metadata: ["pod": "\(ObjectKey.of(pod))", "node": "\(node)"])
                await delete(pod, condition: CoreV1.PodCondition(
                    message: "PodGC: node no longer exists", reason: "DeletionByPodGC", type: "DisruptionTarget", status: "True"))
            }
            missingSince.withLock { $0[node] = nil }
        }
    }

    func collectUnscheduledTerminating(_ all: [CoreV1.Pod]) async {
        for pod in all where pod.isTerminating && (pod.spec.nodeName ?? "").isEmpty {
            await delete(pod, condition: nil)
        }
    }

    /// Terminating pods on nodes that are not ready and carry the out-of-service taint.
    func collectTerminatingOutOfService(_ all: [CoreV1.Pod]) async {
        for pod in all where pod.isTerminating {
            guard let nodeName = pod.spec.nodeName, let node = nodes.store.get(nodeName),
                  node.status.conditions?.first(where: { $0.type == "Ready" })?.status != "True",
                  (node.spec.taints ?? []).contains(where: { $0.key == Self.outOfServiceTaint && $0.effect == "NoExecute" }) else { continue }
            await delete(pod, condition: CoreV1.PodCondition(
                message: "PodGC: node is out of service", reason: "DeletionByPodGC", type: "DisruptionTarget", status: "True"))
        }
    }

    /// Upstream's markFailedAndDeletePodWithCondition: a pod that has not finished becomes
    /// Failed (with the condition) first; then it is deleted without a grace period.
    func delete(_ pod: CoreV1.Pod, condition: CoreV1.PodCondition?) async {
        let resource = client.resource(CoreV1.Pod.self, namespace: pod.metadata.namespace)
        let name = pod.metadata.name ?? ""
        do {
            if !pod.isTerminal {
                var updated = pod
                updated.status.phase = "Failed"
                if var condition {
                    condition.lastTransitionTime = Time.wholeSeconds(clock.now())
                    updated.status.conditions = (pod.status.conditions ?? []).filter { $0.type != condition.type } + [condition]
                }
                _ = try await resource.updateStatus(updated)
            }
            try await resource.delete(name, options: .with(gracePeriodSeconds: 0, preconditionUID: pod.metadata.uid))
        } catch let error as APIStatusError where error.isNotFound || error.isConflict {
            // Gone, or changed meanwhile: the next pass decides again.
        } catch {
            logger.warning("cannot delete pod", metadata: ["pod": "\(ObjectKey.of(pod))", "error": "\(error)"])
        }
    }
}
