import Synchronization

/// The pods (by UID) whose tracking finalizer a Job's controller removed but has not yet seen
/// removed in its cache (upstream's uidTrackingExpectations). Until then those pods are already
/// counted and must not be counted again.
final class FinalizerExpectations: Sendable {
    private let pending = Mutex<[String: Set<String>]>([:])

    func expectRemoval(_ key: String, uids: some Sequence<String>) {
        pending.withLock { $0[key, default: []].formUnion(uids) }
    }

    func removalObserved(_ key: String, uid: String) {
        pending.withLock { pending in
            pending[key]?.remove(uid)
            if pending[key]?.isEmpty == true { pending[key] = nil }
        }
    }

    func expected(_ key: String) -> Set<String> { pending.withLock { $0[key] ?? [] } }

    func remove(_ key: String) { pending.withLock { _ = $0.removeValue(forKey: key) } }
}
