import Foundation
import KubeClient
import KubeModel
import Logging

/// Rolls Deployments out through ReplicaSets: finds or creates the ReplicaSet of the current
/// template, moves replicas to it by the RollingUpdate or Recreate strategy, scales
/// proportionally when the Deployment is scaled mid-rollout, keeps revisionHistoryLimit old
/// ReplicaSets and reports status and conditions as `kubectl rollout status` reads them.
public final class DeploymentController: Controller {
    public let name = "deployment"
    let loop: ReconcileLoop
    let deployments: Informer<AppsV1.Deployment>
    let replicaSets: Informer<AppsV1.ReplicaSet>
    let pods: Informer<CoreV1.Pod>
    let client: APIClient
    let events: EventRecorder
    let clock: any ClientClock
    let logger: Logger

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context)
        deployments = context.informers.informer(AppsV1.Deployment.self)
        replicaSets = context.informers.informer(AppsV1.ReplicaSet.self)
        pods = context.informers.informer(CoreV1.Pod.self)
        client = context.client
        events = context.events
        clock = context.clock
        logger = context.logger(for: name)

        let loop = self.loop
        deployments.addEventHandler(InformerEventHandler(onChange: { loop.enqueue($0) }))
        replicaSets.addEventHandler(InformerEventHandler(
            onAdd: { [weak self] in self?.replicaSetChanged($0) },
            onUpdate: { [weak self] old, new in
                self?.replicaSetChanged(new)
                if old.controllerReference?.uid != new.controllerReference?.uid || old.metadata.labels != new.metadata.labels {
                    self?.replicaSetChanged(old)
                }
            },
            onDelete: { [weak self] in self?.replicaSetChanged($0) }))
        // Recreate waits for the old pods to be gone: their deletion may unblock it.
        pods.addEventHandler(InformerEventHandler(onDelete: { [weak self] in self?.podDeleted($0) }))
    }

    public func run() async throws {
        await loop.run { [self] key in try await sync(key) }
    }

    // MARK: - Events

    func owner(of replicaSet: AppsV1.ReplicaSet) -> AppsV1.Deployment? {
        guard let reference = replicaSet.controllerReference, reference.kind == "Deployment",
              let deployment = deployments.store.get(namespace: replicaSet.metadata.namespace, name: reference.name),
              deployment.metadata.uid == reference.uid else { return nil }
        return deployment
    }

    func replicaSetChanged(_ replicaSet: AppsV1.ReplicaSet) {
        if let deployment = owner(of: replicaSet) {
            loop.enqueue(deployment)
        } else if replicaSet.controllerReference == nil, let namespace = replicaSet.metadata.namespace {
            let labels = replicaSet.metadata.labels ?? [:]
            for deployment in deployments.store.list(namespace: namespace) where LabelSelector(deployment.spec.selector).matches(labels) {
                loop.enqueue(deployment)
            }
        }
    }

    func podDeleted(_ pod: CoreV1.Pod) {
        guard let reference = pod.controllerReference, reference.kind == "ReplicaSet",
              let replicaSet = replicaSets.store.get(namespace: pod.metadata.namespace, name: reference.name),
              let deployment = owner(of: replicaSet), !deployment.isRollingUpdate else { return }
        loop.enqueue(deployment)
    }

    // MARK: - Sync

    func sync(_ key: String) async throws {
        guard var deployment = deployments.store.get(key) else { return }
        let selector = LabelSelector(deployment.spec.selector)
        if selector.isEmpty {
            events.record(deployment, type: .warning, reason: "SelectingAll",
                          message: "This deployment is selecting all pods. A non-empty selector is required.")
            return
        }
        var owned = try await claimReplicaSets(of: deployment, selector: selector)
        if deployment.isBeingDeleted {
            try await syncStatusOnly(deployment, owned: owned)
            return
        }
        deployment = try await recordPauseCondition(deployment)
        if deployment.isPaused || isScalingEvent(deployment, owned: owned) {
            try await scaleOnly(&deployment, owned: &owned)
            return
        }
        if deployment.isRollingUpdate {
            try await rollOut(&deployment, owned: &owned)
        } else {
            try await recreate(&deployment, owned: &owned)
        }
    }

    /// ReplicaSets this Deployment owns after adopting matching orphans and releasing owned ones
    /// that stopped matching.
    func claimReplicaSets(of deployment: AppsV1.Deployment, selector: LabelSelector) async throws -> [AppsV1.ReplicaSet] {
        let namespace = deployment.metadata.namespace ?? "default"
        let manager = ControllerRefManager(owner: deployment, selector: selector,
                                           client: client.resource(AppsV1.ReplicaSet.self, namespace: namespace))
        return try await manager.claim(replicaSets.store.list(namespace: namespace))
    }

    /// A scaling event: some active ReplicaSet was sized for a different replica count.
    func isScalingEvent(_ deployment: AppsV1.Deployment, owned: [AppsV1.ReplicaSet]) -> Bool {
        let desired = String(deployment.desiredReplicas)
        return owned.contains { replicaSet in
            (replicaSet.spec.replicas ?? 0) > 0
                && replicaSet.metadata.annotations?[DeploymentAnnotations.desiredReplicas].map { $0 != desired } == true
        }
    }
}
