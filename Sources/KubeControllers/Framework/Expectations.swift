import Foundation
import KubeClient
import Synchronization

/// What a controller has asked the API server for but not yet seen in its informer cache
/// (upstream's ControllerExpectations with UID tracking for deletions). Until the creations
/// and deletions it issued are observed, a controller must not act on the cache again, or it
/// would create or delete twice. Records expire after five minutes so a lost event cannot wedge
/// a controller.
public final class Expectations: Sendable {
    struct Record {
        var pendingCreations: Int
        var pendingDeletions: Set<String>
        var setAt: Date
    }

    private let records = Mutex<[String: Record]>([:])
    private let now: @Sendable () -> Date
    static let timeout: TimeInterval = 5 * 60

    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// Expectations that expire by `clock`.
    public convenience init(clock: any ClientClock) {
        self.init(now: { clock.now() })
    }

    /// True when the controller of `key` may sync: nothing pending, or the record expired.
    public func satisfied(_ key: String) -> Bool {
        records.withLock { records in
            guard let record = records[key] else { return true }
            if record.pendingCreations <= 0, record.pendingDeletions.isEmpty { return true }
            return now().timeIntervalSince(record.setAt) > Self.timeout
        }
    }

    /// Records that `creations` creates and deletes of `deletions` (object keys) are about to be sent.
    public func expect(_ key: String, creations: Int = 0, deletions: Set<String> = []) {
        let time = now()
        records.withLock { $0[key] = Record(pendingCreations: creations, pendingDeletions: deletions, setAt: time) }
    }

    /// A creation was seen in the cache, or failed and will not be seen.
    public func creationObserved(_ key: String) {
        records.withLock { records in records[key]?.pendingCreations -= 1 }
    }

    /// The deletion of `objectKey` was seen, or failed and will not be seen.
    public func deletionObserved(_ key: String, objectKey: String) {
        records.withLock { records in _ = records[key]?.pendingDeletions.remove(objectKey) }
    }

    /// Forgets the controller of `key` (it was deleted).
    public func remove(_ key: String) {
        records.withLock { _ = $0.removeValue(forKey: key) }
    }
}
