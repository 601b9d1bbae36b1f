import KubeClient
import KubeModel
import Logging

/// The heart of a controller (upstream's workqueue pattern): event handlers only enqueue
/// `namespace/name` keys; workers take keys one at a time, never the same key twice at once,
/// and call `sync`, which re-reads the current state and acts on it. A failing sync is retried
/// with per-key exponential back-off; a successful one resets it.
public struct ReconcileLoop: Sendable {
    public let name: String
    public let queue: WorkQueue<String>
    let workers: Int
    let logger: Logger

    public init(name: String, context: ControllerContext, workers: Int? = nil) {
        self.name = name
        queue = WorkQueue(name: name, clock: context.clock)
        self.workers = workers ?? context.settings.workers
        logger = context.logger(for: name)
    }

    public func enqueue(_ key: String) { queue.add(key) }

    public func enqueue<Object: KubeObject>(_ object: Object) { queue.add(ObjectKey.of(object)) }

    public func enqueue(_ key: String, after delay: Duration) { queue.addAfter(key, delay) }

    /// Runs the workers until the task is cancelled.
    public func run(_ sync: @escaping @Sendable (String) async throws -> Void) async {
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for _ in 0..<max(1, workers) {
                    group.addTask { await work(sync) }
                }
            }
        } onCancel: {
            queue.shutDown()
        }
    }

    private func work(_ sync: @Sendable (String) async throws -> Void) async {
        while let key = await queue.get() {
            if queue.isShuttingDown || Task.isCancelled {
                queue.done(key)
                return
            }
            do {
                try await sync(key)
                queue.forget(key)
            } catch is CancellationError {
                queue.done(key)
                return
            } catch {
                logger.debug("sync failed; retrying", metadata: ["key": "\(key)", "error": "\(error)"])
                queue.addRateLimited(key)
            }
            queue.done(key)
        }
    }
}
