import Foundation
import KubeClient
import KubeModel
import Logging

/// Empties namespaces being deleted (upstream's namespace controller): every namespaced
/// resource discovery lists is deleted in the namespace, the status conditions report what
/// remains, and once nothing does the `kubernetes` finalizer is removed through
/// `namespaces/finalize`, which lets the API server delete the namespace.
public final class NamespaceController: Controller {
    public let name = "namespace"
    static let finalizer = "kubernetes"

    let loop: ReconcileLoop
    let namespaces: Informer<CoreV1.Namespace>
    let client: APIClient
    let clock: any ClientClock
    let deleter: NamespacedContentDeleter
    let logger: Logger

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context, workers: context.settings.namespaceWorkers)
        namespaces = context.informers.informer(CoreV1.Namespace.self)
        client = context.client
        clock = context.clock
        deleter = NamespacedContentDeleter(client: context.client, clock: context.clock)
        logger = context.logger(for: name)
        let loop = self.loop
        namespaces.addEventHandler(InformerEventHandler(
            onAdd: { if $0.isBeingDeleted { loop.enqueue($0) } },
            onUpdate: { _, new in if new.isBeingDeleted { loop.enqueue(new) } }))
    }

    public func run() async throws {
        await loop.run { [self] key in try await sync(key) }
    }

    func sync(_ key: String) async throws {
        guard let cached = namespaces.store.get(key), cached.isBeingDeleted,
              (cached.spec.finalizers ?? []).contains(Self.finalizer) else { return }
        // The cache may lag; act on the namespace as the server has it.
        let resource = client.resource(CoreV1.Namespace.self)
        var namespace: CoreV1.Namespace
        do { namespace = try await resource.get(key) } catch let error as APIStatusError where error.isNotFound { return }
        guard namespace.isBeingDeleted, namespace.metadata.uid == cached.metadata.uid,
              (namespace.spec.finalizers ?? []).contains(Self.finalizer) else { return }

        let outcome = await deleter.deleteContent(of: namespace)
        var status = namespace.status
        status.phase = "Terminating"
        if outcome.conditions.apply(to: &status, now: clock.now()) || namespace.status.phase != "Terminating" {
            namespace.status = status
            do {
                namespace = try await resource.updateStatus(namespace)
            } catch let error as APIStatusError where error.isNotFound {
                return
            } catch let error as APIStatusError where error.isConflict {
                // Someone else changed it; the next pass writes the conditions.
            }
        }
        if let failure = outcome.failure { throw failure }
        if outcome.remaining {
            let wait = outcome.estimateSeconds / 2 + 1
            logger.debug("content remaining in namespace", metadata: ["namespace": "\(key)", "waitSeconds": "\(wait)"])
            loop.enqueue(key, after: .seconds(wait))
            return
        }
        try await finalize(key)
    }

    /// Removes this controller's finalizer from spec.finalizers; the API server deletes the
    /// namespace once none remain.
    func finalize(_ name: String) async throws {
        let resource = client.resource(CoreV1.Namespace.self)
        for attempt in 1...5 {
            var namespace: CoreV1.Namespace
            do { namespace = try await resource.get(name) } catch let error as APIStatusError where error.isNotFound { return }
            guard let finalizers = namespace.spec.finalizers, finalizers.contains(Self.finalizer) else { return }
            namespace.spec.finalizers = finalizers.filter { $0 != Self.finalizer }
            do {
                _ = try await resource.update(namespace, subresource: "finalize")
                logger.debug("namespace finalized", metadata: ["namespace": "\(name)"])
                return
            } catch let error as APIStatusError where error.isNotFound {
                return
            } catch let error as APIStatusError where error.isConflict && attempt < 5 {
                continue
            }
        }
    }
}
