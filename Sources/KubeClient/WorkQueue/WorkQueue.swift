import DequeModule
import Foundation
import Synchronization

/// A rate-limited work queue with client-go's workqueue semantics:
/// - adding an item that is already queued does nothing;
/// - an item being processed is never handed to a second worker; adding it meanwhile queues it
///   again once the worker calls `done`;
/// - `addAfter` holds an item back for a delay, `addRateLimited` for its rate limiter's delay;
/// - after `shutDown`, items still queued are handed out, then `get` returns nil.
///
/// There is no background task: the delayed items are promoted by whoever calls `get`.
public final class WorkQueue<Item: Hashable & Sendable>: Sendable {
    private struct State {
        var queue = Deque<Item>()
        /// Items that need processing: queued, or re-added while being processed.
        var dirty = Set<Item>()
        var processing = Set<Item>()
        /// Items held back by `addAfter`, sorted by when they become ready.
        var waiting: [(readyAt: Date, item: Item)] = []
        /// Bumped at every change a waiting worker must look at.
        var generation: UInt64 = 0
        var shuttingDown = false

        mutating func insert(_ item: Item) {
            guard !dirty.contains(item) else { return }
            dirty.insert(item)
            if !processing.contains(item) { queue.append(item) }
        }

        mutating func promoteReady(now: Date) {
            while let first = waiting.first, first.readyAt <= now {
                waiting.removeFirst()
                insert(first.item)
            }
        }

        /// Marks a change for waiting workers; the caller wakes them once the lock is released.
        mutating func noteChange() -> Bool {
            generation &+= 1
            return true
        }
    }

    private enum Step {
        case item(Item)
        case finished
        case wait(until: Date?, generation: UInt64)
    }

    public let name: String
    private let clock: any ClientClock
    private let rateLimiter: any RateLimiter<Item>
    private let state = Mutex(State())
    private let workers = ParkingLot()

    public init(name: String = "", clock: any ClientClock = SystemClock(),
                rateLimiter: (any RateLimiter<Item>)? = nil) {
        self.name = name
        self.clock = clock
        self.rateLimiter = rateLimiter ?? MaxOfRateLimiter<Item>.controllerDefault(clock: clock)
    }

    /// Queues `item` unless it is already queued. Ignored after `shutDown`.
    public func add(_ item: Item) {
        let wake = state.withLock { state in
            guard !state.shuttingDown else { return false }
            state.insert(item)
            return state.noteChange()
        }
        if wake { workers.wakeAll() }
    }

    /// Queues `item` once `delay` has passed; an item already waiting keeps the earlier time.
    public func addAfter(_ item: Item, _ delay: Duration) {
        guard delay > .zero else { return add(item) }
        let readyAt = clock.now().addingTimeInterval(delay.timeInterval)
        let wake = state.withLock { state in
            guard !state.shuttingDown else { return false }
            if let existing = state.waiting.firstIndex(where: { $0.item == item }) {
                guard readyAt < state.waiting[existing].readyAt else { return false }
                state.waiting.remove(at: existing)
            }
            let position = state.waiting.firstIndex { $0.readyAt > readyAt } ?? state.waiting.endIndex
            state.waiting.insert((readyAt, item), at: position)
            // Sleeping workers recompute their wake-up time.
            return state.noteChange()
        }
        if wake { workers.wakeAll() }
    }

    /// Queues `item` after the rate limiter's delay for it (one more failure).
    public func addRateLimited(_ item: Item) {
        addAfter(item, rateLimiter.when(item))
    }

    /// Clears the failure history of `item`; call when it was processed successfully.
    public func forget(_ item: Item) { rateLimiter.forget(item) }

    /// Failures recorded for `item` since it was last forgotten.
    public func numRequeues(_ item: Item) -> Int { rateLimiter.numRequeues(item) }

    /// The next item to process, waiting for one; nil once shut down and drained, or when the
    /// calling task is cancelled. Call `done` when finished with it.
    public func get() async -> Item? {
        while !Task.isCancelled {
            let now = clock.now()
            let step = state.withLock { state -> Step in
                state.promoteReady(now: now)
                if let item = state.queue.popFirst() {
                    state.processing.insert(item)
                    state.dirty.remove(item)
                    return .item(item)
                }
                if state.shuttingDown { return .finished }
                return .wait(until: state.waiting.first?.readyAt, generation: state.generation)
            }
            switch step {
            case .item(let item): return item
            case .finished: return nil
            case .wait(let deadline, let generation): await waitForChange(after: generation, orUntil: deadline)
            }
        }
        return nil
    }

    /// Marks `item` as processed; if it was added again meanwhile it is queued now.
    public func done(_ item: Item) {
        let wake = state.withLock { state in
            state.processing.remove(item)
            guard state.dirty.contains(item) else { return false }
            state.queue.append(item)
            return state.noteChange()
        }
        if wake { workers.wakeAll() }
    }

    /// Stops accepting items and wakes every waiting worker; delayed items are dropped.
    public func shutDown() {
        state.withLock { state in
            state.shuttingDown = true
            state.waiting.removeAll()
            _ = state.noteChange()
        }
        workers.wakeAll()
    }

    public var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Items queued and ready (not counting delayed or in-progress ones).
    public var count: Int { state.withLock { $0.queue.count } }

    /// Items held back by `addAfter` / `addRateLimited`.
    public var delayedCount: Int { state.withLock { $0.waiting.count } }

    // MARK: - Waiting

    private func waitForChange(after generation: UInt64, orUntil deadline: Date?) async {
        guard let deadline else { return await waitForSignal(after: generation) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForSignal(after: generation) }
            group.addTask { try? await self.clock.sleep(until: deadline) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns at the next change after `generation` (or when cancelled).
    private func waitForSignal(after generation: UInt64) async {
        try? await workers.wait { state.withLock { $0.generation != generation } }
    }
}
