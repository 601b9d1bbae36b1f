import Foundation
import KubeClient
import KubeModel
import Logging

/// Deletes finished Jobs `ttlSecondsAfterFinished` after they finished (upstream's
/// ttlafterfinished controller): each such Job is requeued for the moment its time runs out,
/// checked once more against a fresh read (the TTL may have changed), then deleted with
/// background propagation, on the condition that it is still the same Job.
public final class TTLAfterFinishedController: Controller {
    public let name = "ttl-after-finished"
    let loop: ReconcileLoop
    let jobs: Informer<BatchV1.Job>
    let client: APIClient
    let clock: any ClientClock
    let logger: Logger

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context)
        jobs = context.informers.informer(BatchV1.Job.self)
        client = context.client
        clock = context.clock
        logger = context.logger(for: name)
        jobs.addEventHandler(InformerEventHandler(
            onAdd: { [weak self] job in self?.enqueueIfExpiring(job) },
            onUpdate: { [weak self] _, job in self?.enqueueIfExpiring(job) }))
    }

    public func run() async throws {
        await loop.run { [self] key in try await sync(key) }
    }

    func enqueueIfExpiring(_ job: BatchV1.Job) {
        if Self.needsCleanup(job) { loop.enqueue(job) }
    }

    static func needsCleanup(_ job: BatchV1.Job) -> Bool {
        job.spec.ttlSecondsAfterFinished != nil && job.isFinished
    }

    func sync(_ key: String) async throws {
        guard let cached = jobs.store.get(key), try expired(cached) else { return }
        // The cache may be stale: decide again on the Job as it is now.
        let resource = client.resource(BatchV1.Job.self, namespace: cached.metadata.namespace)
        let fresh: BatchV1.Job
        do {
            fresh = try await resource.get(cached.metadata.name ?? "")
        } catch let error as APIStatusError where error.isNotFound {
            return
        }
        guard try expired(fresh) else { return }
        logger.debug("cleaning up job", metadata: ["job": "\(key)"])
        let options = MetaV1.DeleteOptions(preconditions: MetaV1.Preconditions(uid: fresh.metadata.uid),
                                           propagationPolicy: PropagationPolicy.background)
        do {
            try await resource.delete(fresh.metadata.name ?? "", options: options)
        } catch let error as APIStatusError where error.isNotFound {
            return
        }
    }

    /// True when the Job's time is up; otherwise requeues it for when it will be.
    func expired(_ job: BatchV1.Job) throws -> Bool {
        guard !job.isBeingDeleted, Self.needsCleanup(job), let ttl = job.spec.ttlSecondsAfterFinished else { return false }
        guard let finishedAt = job.finishedCondition?.lastTransitionTime?.date else {
            throw TTLError.noFinishTime(ObjectKey.of(job))
        }
        let now = clock.now()
        if finishedAt > now {
            logger.info("Job finished in the future (clock skew?); cleanup deferred", metadata: ["job": "\(ObjectKey.of(job))"])
        }
        let remaining = finishedAt.addingTimeInterval(Double(ttl)).timeIntervalSince(now)
        if remaining <= 0 { return true }
        loop.enqueue(ObjectKey.of(job), after: .milliseconds(Int64((remaining * 1000).rounded(.up))))
        return false
    }
}

enum TTLError: Error, CustomStringConvertible {
    case noFinishTime(String)

    var description: String {
        switch self {
        case .noFinishTime(let job): return "unable to find the time when the Job \(job) finished"
        }
    }
}
