import KubeClient
import Synchronization

/// Wraps a transport so a test can cut every open watch and refuse new ones for a while, and
/// counts the requests that start a full sync (lists and watch-lists).
final class GatedTransport: HTTPTransport {
    private struct State {
        var blocked = false
        /// Bumped by every `block`, so a watch that was in flight across one is cut too.
        var blocks = 0
        var open: [Int: (continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation, task: Task<Void, Never>)] = [:]
        var nextID = 0
        var fullSyncs = 0
        var watches = 0
    }

    let inner: any HTTPTransport
    private let state = Mutex(State())

    init(_ inner: any HTTPTransport) { self.inner = inner }

    var fullSyncs: Int { state.withLock { $0.fullSyncs } }
    var watches: Int { state.withLock { $0.watches } }

    func send(_ request: ClientRequest) async throws -> ClientResponse {
        if request.method == "GET", request.queryValue("watch") == nil, request.path.hasSuffix("/configmaps") {
            state.withLock { $0.fullSyncs += 1 }
        }
        return try await inner.send(request)
    }

    func stream(_ request: ClientRequest) async throws -> StreamingClientResponse {
        let blocksAtStart = try state.withLock { state in
            if state.blocked { throw TestFailure("watches are blocked") }
            state.watches += 1
            if request.queryValue("sendInitialEvents") == "true" { state.fullSyncs += 1 }
            return state.blocks
        }
        let response = try await inner.stream(request)
        let (body, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let forward = Task {
            do {
                for try await chunk in response.body { continuation.yield(chunk) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        // A watch that was starting while `block` ran is cut as well.
        let id: Int? = state.withLock { state in
            guard !state.blocked, state.blocks == blocksAtStart else { return nil }
            state.nextID += 1
            state.open[state.nextID] = (continuation, forward)
            return state.nextID
        }
        guard let id else {
            forward.cancel()
            throw TestFailure("watches are blocked")
        }
        continuation.onTermination = { [weak self] _ in
            forward.cancel()
            _ = self?.state.withLock { $0.open.removeValue(forKey: id) }
        }
        return StreamingClientResponse(status: response.status, headers: response.headers, body: body)
    }

    /// Ends every open watch with an error and refuses new ones until `unblock`.
    func block() {
        let open = state.withLock { state in
            state.blocked = true
            state.blocks += 1
            defer { state.open = [:] }
            return Array(state.open.values)
        }
        for (continuation, task) in open {
            continuation.finish(throwing: TestFailure("connection cut"))
            task.cancel()
        }
    }

    func unblock() { state.withLock { $0.blocked = false } }
}
