import KubeModel
import Synchronization

/// The resourceVersion of the last write a controller made to each of its objects. A sync that
/// reads an older copy from the informer cache would act on state the controller has already
/// changed (a Job's counters before its own last status update, and so create a pod too many);
/// it waits instead, since the informer's event for that write queues the key again.
final class WrittenVersions: Sendable {
    private let versions = Mutex<[String: Int64]>([:])

    func record(_ key: String, _ object: some KubeObject) {
        guard let version = object.metadata.resourceVersion.flatMap(Int64.init) else { return }
        versions.withLock { $0[key] = max($0[key] ?? 0, version) }
    }

    /// Whether `cached` is older than the last write recorded for `key`. Versions that are not
    /// integers are never called stale.
    func isStale(_ key: String, _ cached: some KubeObject) -> Bool {
        guard let seen = cached.metadata.resourceVersion.flatMap(Int64.init) else { return false }
        return versions.withLock { ($0[key] ?? 0) > seen }
    }

    func forget(_ key: String) {
        _ = versions.withLock { $0.removeValue(forKey: key) }
    }
}
