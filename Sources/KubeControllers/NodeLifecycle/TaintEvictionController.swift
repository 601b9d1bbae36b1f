import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// Deletes pods from nodes with NoExecute taints they do not tolerate (upstream's taint
/// eviction controller): at once when a taint is not tolerated, after the shortest
/// `tolerationSeconds` otherwise, never when every toleration is unbounded. The wait starts
/// when the controller first sees the pod under the taints; evictions are cancelled when the
/// taints go. Evicted pods get a DisruptionTarget condition before they are deleted.
public final class TaintEvictionController: Controller {
    public let name = "taint-eviction-controller"

    let loop: ReconcileLoop
    let nodes: Informer<CoreV1.Node>
    let pods: Informer<CoreV1.Pod>
    let client: APIClient
    let events: EventRecorder
    let clock: any ClientClock
    /// Pod UID → when its eviction wait started.
    let scheduled = Mutex<[String: Date]>([:])
    let logger: Logger

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context)
        nodes = context.informers.informer(CoreV1.Node.self)
        pods = context.informers.informer(CoreV1.Pod.self)
        PodIndex.indexByNode(pods)
        client = context.client
        events = context.events
        clock = context.clock
        logger = context.logger(for: name)
        let loop = self.loop
        pods.addEventHandler(InformerEventHandler(
            onAdd: { if !($0.spec.nodeName ?? "").isEmpty { loop.enqueue($0) } },
            onUpdate: { old, new in
                if old.spec.nodeName != new.spec.nodeName || old.spec.tolerations != new.spec.tolerations { loop.enqueue(new) }
            },
            onDelete: { [weak self] pod in _ = self?.scheduled.withLock { $0.removeValue(forKey: pod.metadata.uid ?? "") } }))
        nodes.addEventHandler(InformerEventHandler(
            onAdd: { [weak self] node in self?.enqueuePods(on: node) },
            onUpdate: { [weak self] old, new in
                if Self.noExecuteTaints(old) != Self.noExecuteTaints(new) { self?.enqueuePods(on: new) }
            },
            onDelete: { [weak self] node in self?.enqueuePods(on: node) }))
    }

    public func run() async throws {
        await loop.run { [self] key in try await sync(key) }
    }

    static func noExecuteTaints(_ node: CoreV1.Node?) -> [CoreV1.Taint] {
        (node?.spec.taints ?? []).filter { $0.effect == "NoExecute" }
    }

    func enqueuePods(on node: CoreV1.Node) {
        for pod in PodIndex.pods(on: node.metadata.name ?? "", in: pods) { loop.enqueue(pod) }
    }

    func sync(_ key: String) async throws {
        guard let pod = pods.store.get(key), let nodeName = pod.spec.nodeName, !nodeName.isEmpty else { return }
        let uid = pod.metadata.uid ?? ""
        let taints = Self.noExecuteTaints(nodes.store.get(nodeName))
        let now = clock.now()
        if pod.isTerminating || pod.isTerminal || taints.isEmpty {
            cancel(uid, pod: pod, record: taints.isEmpty && !pod.isTerminating)
            return
        }
        switch TolerationMatch.of(pod.spec.tolerations ?? [], for: taints) {
        case .forever:
            cancel(uid, pod: pod, record: true)
        case .untolerated:
            try await evict(pod)
        case .seconds(let seconds):
            let start = scheduled.withLock { scheduled in
                if let start = scheduled[uid] { return start }
                scheduled[uid] = now
                return now
            }
            let due = start.addingTimeInterval(Double(seconds))
            if now >= due {
                try await evict(pod)
            } else {
                loop.enqueue(key, after: .seconds(due.timeIntervalSince(now)))
            }
        }
    }

    private func cancel(_ uid: String, pod: CoreV1.Pod, record: Bool) {
        let wasScheduled = scheduled.withLock { $0.removeValue(forKey: uid) != nil }
        if wasScheduled, record {
            events.record(pod, type: .normal, reason: "TaintManagerEviction",
                          message: "Cancelling deletion of Pod \(ObjectKey.of(pod))")
        }
    }

    /// Marks the pod as disrupted and deletes it (upstream's addConditionAndDeletePod).
    func evict(_ pod: CoreV1.Pod) async throws {
        let resource = client.resource(CoreV1.Pod.self, namespace: pod.metadata.namespace)
        let name = pod.metadata.name ?? ""
        events.record(pod, type: .normal, reason: "TaintManagerEviction", message: "Marking for deletion Pod \(ObjectKey.of(pod))")
        var updated = pod
        var conditions = (pod.status.conditions ?? []).filter { $0.type != "DisruptionTarget" }
        conditions.append(CoreV1.PodCondition(
            lastTransitionTime: Time.wholeSeconds(clock.now()), message: "Taint manager: deleting due to NoExecute taint",
            reason: "DeletionByTaintManager", type: "DisruptionTarget", status: "True"))
        updated.status.conditions = conditions
        do {
            _ = try await resource.updateStatus(updated)
            try await resource.delete(name, options: .with(preconditionUID: pod.metadata.uid))
        } catch let error as APIStatusError where error.isNotFound {
            // Gone already.
        }
        _ = scheduled.withLock { $0.removeValue(forKey: pod.metadata.uid ?? "") }
    }
}
