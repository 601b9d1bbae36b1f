import Logging
import Synchronization

/// Compacts a store by a `CompactionPolicy` in a background task that the store owns: started when the
/// store opens, cancelled and awaited when it closes.
final class AutoCompactor: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Starts compacting `store`. The task holds the store weakly, so a store dropped without `close()`
    /// is not kept alive by it.
    func start<S: Store & AnyObject>(_ policy: CompactionPolicy, for store: S, logger: Logger) {
        let revision: @Sendable () async throws -> Int64 = { [weak store] in
            guard let store else { throw StoreError.closed }
            return try await store.currentRevision()
        }
        let compact: @Sendable (Int64) async throws -> Void = { [weak store] target in
            guard let store else { throw StoreError.closed }
            try await store.compact(revision: target)
        }
        let loop = Task {
            await Self.run(policy: policy, clock: ContinuousClock(), logger: logger, revision: revision, compact: compact)
        }
        let previous = task.withLock { task in
            defer { task = loop }
            return task
        }
        previous?.cancel()
    }

    /// Stops the loop and waits for a compaction in progress to finish.
    func stop() async {
        guard let loop = task.withLock({ $0.take() }) else { return }
        loop.cancel()
        await loop.value
    }

    /// Samples the revision every `interval` and compacts to the one sampled `retention` ago, until
    /// cancelled or the store is gone (`revision`/`compact` throw `.closed`).
    private static func run<C: Clock>(
        policy: CompactionPolicy,
        clock: C,
        logger: Logger,
        revision: @Sendable () async throws -> Int64,
        compact: @Sendable (Int64) async throws -> Void
    ) async where C.Duration == Duration {
        var timeline = RevisionTimeline<C.Instant>()
        while !Task.isCancelled {
            do {
                let now = clock.now
                timeline.record(try await revision(), at: now)
                if let target = timeline.revision(notAfter: now.advanced(by: .zero - policy.retention)) {
                    try await compact(target)
                }
                try await clock.sleep(for: policy.interval)
            } catch is CancellationError {
                return
            } catch StoreError.closed {
                return
            } catch {
                logger.warning("automatic compaction failed; retrying at the next interval", metadata: ["error": "\(error)"])
                try? await clock.sleep(for: policy.interval)
            }
        }
    }
}
