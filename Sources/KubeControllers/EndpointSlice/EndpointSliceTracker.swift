import KubeClient
import KubeModel
import Synchronization

/// What the EndpointSlice controller wrote and has not yet seen in its cache (upstream's
/// endpointSliceTracker). Slices are created with generated names, so acting on a cache that
/// has not caught up would create duplicates: a sync waits until the cache shows every slice
/// it wrote at least at the version written, and none it deleted.
final class EndpointSliceTracker: Sendable {
    enum Expected: Equatable {
        case atLeast(Int)
        case deleted
    }

    private let state = Mutex<[String: [String: Expected]]>([:])

    func wrote(_ slice: DiscoveryV1.EndpointSlice, service: String) {
        guard let name = slice.metadata.name else { return }
        let version = Int(slice.metadata.resourceVersion ?? "") ?? 0
        state.withLock { $0[service, default: [:]][name] = .atLeast(version) }
    }

    func deleted(_ name: String, service: String) {
        state.withLock { $0[service, default: [:]][name] = .deleted }
    }

    func forget(service: String) {
        state.withLock { _ = $0.removeValue(forKey: service) }
    }

    /// True when `cached` (the service's slices in the cache) lags behind the writes; entries
    /// the cache has caught up with are dropped.
    func isStale(service: String, cached: [DiscoveryV1.EndpointSlice]) -> Bool {
        let byName = Dictionary(cached.map { ($0.metadata.name ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        return state.withLock { state in
            guard var expected = state[service] else { return false }
            for (name, expectation) in expected {
                let slice = byName[name]
                switch expectation {
                case .atLeast(let version):
                    if let slice, (Int(slice.metadata.resourceVersion ?? "") ?? 0) >= version { expected[name] = nil }
                case .deleted:
                    if slice == nil { expected[name] = nil }
                }
            }
            state[service] = expected.isEmpty ? nil : expected
            return !expected.isEmpty
        }
    }
}
