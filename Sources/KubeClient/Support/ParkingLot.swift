import Synchronization

/// Tasks waiting for a condition on their owner's state. The owner calls `wakeAll()` after each
/// change that may satisfy a waiter. A waiter checks its condition and parks under this lot's
/// lock, and the owner wakes after changing its state, so no change slips between a check and
/// the parking.
final class ParkingLot: Sendable {
    private struct State {
        var parked: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Tasks parked right now.
    var count: Int { state.withLock { $0.parked.count } }

    /// Returns once `isReady` holds (it is checked now and after every wake-up); throws
    /// `CancellationError` if the task is cancelled first.
    func wait(until isReady: () -> Bool) async throws {
        while try await parkUnlessReady(isReady) {}
    }

    /// Resumes every parked task so it checks its condition again.
    func wakeAll() {
        let parked = state.withLock { state in
            defer { state.parked.removeAll() }
            return Array(state.parked.values)
        }
        for continuation in parked { continuation.resume() }
    }

    /// Parks until woken; returns false without parking when already ready.
    private func parkUnlessReady(_ isReady: () -> Bool) async throws -> Bool {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        var parked = false
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if isReady() { return .success(()) }
                    state.parked[id] = continuation
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) } else { parked = true }
            }
        } onCancel: {
            state.withLock { $0.parked.removeValue(forKey: id) }?.resume(throwing: CancellationError())
        }
        return parked
    }
}
