import Synchronization

/// In-memory fan-out of committed writes to watchers, shared by every backend.
///
/// The backend calls `publish` after each commit, from one writer at a time, in revision order. A new
/// watcher is registered for live events *before* its history is read: live events that arrive while
/// the replay runs are parked, and once the replay has reached the revision that was live at
/// registration the parked events (all newer) are flushed. So a watcher sees every revision once, in
/// order, with no gap.
///
/// Each watcher's stream buffers without bound, so a slow consumer costs memory but never blocks the
/// writer (the writer only appends to buffers under a short lock).
final class WatchHub: Sendable {
    /// History is replayed in pages so a watch from far back does not read the whole log in one go.
    static let replayPageSize = 512

    private typealias Continuation = AsyncThrowingStream<StoreWatchEvent, Error>.Continuation

    private struct Watcher {
        let prefix: String
        /// Events at or below this revision are not wanted (the watch started after them).
        let floor: Int64
        let continuation: Continuation
        /// Live events parked while the history replay runs; nil once the watcher is live.
        var parked: [StoreWatchEvent]? = []
        var replay: Task<Void, Never>?

        func wants(_ event: StoreWatchEvent) -> Bool {
            event.revision > floor && event.kv.key.utf8.starts(with: prefix.utf8)
        }

        mutating func deliver(_ events: [StoreWatchEvent]) {
            for event in events where wants(event) {
                if parked != nil {
                    parked!.append(event)
                } else {
                    continuation.yield(event)
                }
            }
        }
    }

    private struct State {
        var watchers: [UInt64: Watcher] = [:]
        var nextID: UInt64 = 0
        var lastPublished: Int64
        var isClosed = false
    }

    private let state: Mutex<State>

    /// `revision` is the store's committed revision: history covers everything up to it.
    init(revision: Int64) {
        state = Mutex(State(lastPublished: revision))
    }

    var watcherCount: Int { state.withLock { $0.watchers.count } }

    /// Hands committed events (ascending revisions) to every interested watcher.
    func publish(_ events: [StoreWatchEvent]) {
        guard let last = events.last else { return }
        state.withLock { state in
            state.lastPublished = last.revision
            for id in state.watchers.keys {
                state.watchers[id]?.deliver(events)
            }
        }
    }

    func watch(prefix: String, afterRevision: Int64, history: some WatchHistorySource) -> AsyncThrowingStream<StoreWatchEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: StoreWatchEvent.self, throwing: Error.self, bufferingPolicy: .unbounded)
        let after = max(afterRevision, 0)
        guard let (id, liveFrom) = register(Watcher(prefix: prefix, floor: after, continuation: continuation)) else {
            continuation.finish(throwing: StoreError.closed)
            return stream
        }
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        let replay = Task {
            await self.replay(id: id, prefix: prefix, after: after, through: liveFrom, history: history, into: continuation)
        }
        attach(replay, to: id)
        return stream
    }

    /// Ends every watch with `StoreError.closed`; later watches fail at once.
    func close() {
        let watchers = state.withLock { state in
            state.isClosed = true
            defer { state.watchers.removeAll() }
            return Array(state.watchers.values)
        }
        // Finish outside the lock: finishing runs onTermination, which takes the lock again.
        for watcher in watchers {
            watcher.replay?.cancel()
            watcher.continuation.finish(throwing: StoreError.closed)
        }
    }

    /// Registers a watcher and returns its id and the last published revision: history up to there is
    /// read by the replay, everything after arrives live.
    private func register(_ watcher: Watcher) -> (UInt64, Int64)? {
        state.withLock { state in
            guard !state.isClosed else { return nil }
            let id = state.nextID
            state.nextID += 1
            state.watchers[id] = watcher
            return (id, state.lastPublished)
        }
    }

    private func attach(_ replay: Task<Void, Never>, to id: UInt64) {
        let attached = state.withLock { state in
            guard state.watchers[id] != nil else { return false }
            state.watchers[id]?.replay = replay
            return true
        }
        if !attached { replay.cancel() }
    }

    private func remove(_ id: UInt64) {
        let removed = state.withLock { $0.watchers.removeValue(forKey: id) }
        removed?.replay?.cancel()
    }

    private func replay(id: UInt64, prefix: String, after: Int64, through liveFrom: Int64,
                        history: some WatchHistorySource, into continuation: Continuation) async {
        var cursor = after
        do {
            // One read even when nothing is missed, so a watch below the compacted revision always fails.
            repeat {
                try Task.checkCancellation()
                let page = try history.watchHistory(prefix: prefix, after: cursor, through: liveFrom, limit: Self.replayPageSize)
                for event in page { continuation.yield(event) }
                cursor = page.count < Self.replayPageSize ? liveFrom : page[page.count - 1].revision
            } while cursor < liveFrom
            goLive(id)
        } catch is CancellationError {
            // The consumer went away; onTermination already removed the watcher.
        } catch {
            remove(id)
            continuation.finish(throwing: error)
        }
    }

    /// Flushes the events parked during the replay and switches the watcher to direct delivery.
    private func goLive(_ id: UInt64) {
        state.withLock { state in
            guard let parked = state.watchers[id]?.parked else { return }
            for event in parked { state.watchers[id]?.continuation.yield(event) }
            state.watchers[id]?.parked = nil
        }
    }
}
