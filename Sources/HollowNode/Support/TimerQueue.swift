import Foundation
import KubeClient
import Synchronization

/// Deadlines for many keys served by one task: `schedule(key, at:)` keeps the earliest deadline
/// per key, and `run` hands every key whose deadline has passed on the given clock to `fire`.
/// The runner sleeps until the earliest deadline and is woken when an earlier one arrives, so a
/// process with thousands of nodes and pods has one sleeping task, not one per object.
final class TimerQueue<Key: Hashable & Sendable>: Sendable {
    private struct Entry {
        var deadline: Date
        var sequence: UInt64
        var key: Key

        func precedes(_ other: Entry) -> Bool {
            deadline < other.deadline || deadline == other.deadline && sequence < other.sequence
        }
    }

    private struct State {
        /// A binary min-heap; entries whose deadline no longer matches `deadlines` are stale.
        var heap: [Entry] = []
        var deadlines: [Key: Date] = [:]
        var sequence: UInt64 = 0

        mutating func push(_ entry: Entry) {
            heap.append(entry)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[child].precedes(heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        }

        mutating func popFirst() -> Entry? {
            guard !heap.isEmpty else { return nil }
            heap.swapAt(0, heap.count - 1)
            let first = heap.removeLast()
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
                if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
                guard smallest != parent else { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
            return first
        }

        /// Drops stale entries at the top, so `heap.first` is a live deadline.
        mutating func pruneTop() {
            while let first = heap.first, deadlines[first.key] != first.deadline { _ = popFirst() }
        }
    }

    private let clock: any ClientClock
    private let state = Mutex(State())
    private let changes = ChangeSignal()

    init(clock: any ClientClock) { self.clock = clock }

    /// Fires `key` at `deadline`, or earlier if it is already due earlier.
    func schedule(_ key: Key, at deadline: Date) {
        let wake = state.withLock { state -> Bool in
            if let existing = state.deadlines[key], existing <= deadline { return false }
            state.deadlines[key] = deadline
            state.sequence &+= 1
            state.push(Entry(deadline: deadline, sequence: state.sequence, key: key))
            state.pruneTop()
            return state.heap.first?.key == key
        }
        if wake { changes.notify() }
    }

    /// Forgets the deadline of `key`, if any.
    func cancel(_ key: Key) {
        state.withLock { _ = $0.deadlines.removeValue(forKey: key) }
    }

    /// Keys with a pending deadline.
    var count: Int { state.withLock { $0.deadlines.count } }

    /// The deadline of `key`, if one is pending.
    func deadline(of key: Key) -> Date? { state.withLock { $0.deadlines[key] } }

    /// Hands due keys to `fire` until the task is cancelled.
    func run(fire: @Sendable ([Key]) -> Void) async {
        while !Task.isCancelled {
            let generation = changes.generation
            let now = clock.now()
            let (due, next) = state.withLock { state -> ([Key], Date?) in
                var due: [Key] = []
                state.pruneTop()
                while let first = state.heap.first, first.deadline <= now {
                    _ = state.popFirst()
                    state.deadlines.removeValue(forKey: first.key)
                    due.append(first.key)
                    state.pruneTop()
                }
                return (due, state.heap.first?.deadline)
            }
            if !due.isEmpty {
                fire(due)
                continue
            }
            await waitForChange(after: generation, orUntil: next)
        }
    }

    private func waitForChange(after generation: UInt64, orUntil deadline: Date?) async {
        guard let deadline else { return await changes.wait(after: generation) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.changes.wait(after: generation) }
            group.addTask { [clock] in try? await clock.sleep(until: deadline) }
            await group.next()
            group.cancelAll()
        }
    }
}

/// A generation counter that tasks wait on: `wait(after:)` returns once `notify()` has moved
/// the generation past the one given (at once if it already has), or when the task is cancelled.
final class ChangeSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    var generation: UInt64 { state.withLock { $0.generation } }

    func notify() {
        let waiters = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait(after generation: UInt64) async {
        let id = state.withLock { state in
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.generation != generation || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
