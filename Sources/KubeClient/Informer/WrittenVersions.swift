import KubeModel
import Synchronization

/// The resourceVersion of the last write a component made to one object. A sync that reads an
/// older copy from its informer cache would act on state it has already changed (a Job's
/// counters before its own last status update, and so create a pod too many; a kubelet's pod
/// status, and so conflict); it waits instead, since the informer's event for that write
/// queues the object again.
public struct WrittenVersion: Sendable, Equatable {
    /// Nil until a write with an integer resourceVersion is recorded.
    public private(set) var version: Int64?

    public init() {}

    /// Records a write's resourceVersion; a late answer never lowers the mark.
    public mutating func record(_ resourceVersion: String?) {
        guard let written = resourceVersion.flatMap(Int64.init) else { return }
        version = max(version ?? written, written)
    }

    /// Whether a copy at `resourceVersion` predates the last recorded write. Versions that are
    /// not integers are never called stale.
    public func isNewer(than resourceVersion: String?) -> Bool {
        guard let version, let seen = resourceVersion.flatMap(Int64.init) else { return false }
        return seen < version
    }

    /// Whether a copy at `resourceVersion` is exactly the last recorded write.
    public func isExactly(_ resourceVersion: String?) -> Bool {
        version != nil && resourceVersion.flatMap(Int64.init) == version
    }
}

/// `WrittenVersion`s of many objects by key, for controllers whose syncs run on several workers.
public final class WrittenVersions: Sendable {
    private let versions = Mutex<[String: WrittenVersion]>([:])

    public init() {}

    public func record(_ key: String, _ object: some KubeObject) {
        versions.withLock { $0[key, default: WrittenVersion()].record(object.metadata.resourceVersion) }
    }

    /// Whether `cached` is older than the last write recorded for `key`.
    public func isStale(_ key: String, _ cached: some KubeObject) -> Bool {
        versions.withLock { $0[key]?.isNewer(than: cached.metadata.resourceVersion) ?? false }
    }

    public func forget(_ key: String) {
        _ = versions.withLock { $0.removeValue(forKey: key) }
    }
}
