import Foundation
import KubeModel

/// Decides whether an event is new or a repeat, as client-go's EventLogger: a repeat of the
/// same object, type, reason, message and source within the window updates the existing Event
/// (count and lastTimestamp) instead of creating another one.
struct EventCorrelator {
    /// What identifies "the same event".
    struct Key: Hashable {
        var objectKind, objectNamespace, objectName, objectUID, objectAPIVersion, objectFieldPath: String
        var type, reason, message: String
        var component, host, reportingComponent, reportingInstance: String

        init(_ event: CoreV1.Event) {
            let object = event.involvedObject
            objectKind = object.kind ?? ""
            objectNamespace = object.namespace ?? ""
            objectName = object.name ?? ""
            objectUID = object.uid ?? ""
            objectAPIVersion = object.apiVersion ?? ""
            objectFieldPath = object.fieldPath ?? ""
            type = event.type ?? ""
            reason = event.reason ?? ""
            message = event.message ?? ""
            component = event.source?.component ?? ""
            host = event.source?.host ?? ""
            reportingComponent = event.reportingComponent ?? ""
            reportingInstance = event.reportingInstance ?? ""
        }
    }

    /// The Event stored for a key, as the server last returned it.
    private struct Entry {
        var name: String
        var count: Int
        var firstTimestamp: Time?
        var lastSeen: Date
    }

    enum Action: Equatable {
        case create(CoreV1.Event)
        /// A strategic merge patch of the existing Event `event.metadata.name`; `event` is the
        /// full updated Event, created as is if the old one has gone.
        case patch(CoreV1.Event, patch: JSONValue)
    }

    let window: Duration
    let capacity: Int
    private var entries: [Key: Entry] = [:]
    private var lastNameNanos: UInt64 = 0

    init(window: Duration = .seconds(600), capacity: Int = 4096) {
        self.window = window
        self.capacity = capacity
    }

    /// How to write `event` (timestamps already set to when it happened).
    mutating func correlate(_ event: CoreV1.Event, now: Date) -> Action {
        var event = event
        let key = Key(event)
        if let entry = entries[key], now.timeIntervalSince(entry.lastSeen) <= window.timeInterval {
            event.metadata.name = entry.name
            event.count = entry.count + 1
            event.firstTimestamp = entry.firstTimestamp ?? event.firstTimestamp
            var patch: JSONObject = ["count": .int(Int64(entry.count + 1)), "message": .string(event.message ?? "")]
            if let last = event.lastTimestamp { patch["lastTimestamp"] = last.toJSON() }
            return .patch(event, patch: .object(patch))
        }
        event.metadata.name = "\(event.involvedObject.name ?? "").\(uniqueSuffix(now))"
        event.count = 1
        return .create(event)
    }

    /// Remembers the Event the server stored, so the next repeat updates it.
    mutating func recorded(_ stored: CoreV1.Event, as original: CoreV1.Event, now: Date) {
        if entries.count >= capacity, entries[Key(original)] == nil, let oldest = entries.min(by: { $0.value.lastSeen < $1.value.lastSeen }) {
            entries[oldest.key] = nil
        }
        entries[Key(original)] = Entry(name: stored.metadata.name ?? original.metadata.name ?? "", count: stored.count ?? 1,
                                       firstTimestamp: stored.firstTimestamp, lastSeen: now)
    }

    /// 16 hex digits of the time in nanoseconds, as upstream names events; strictly increasing
    /// so two events in the same instant still get different names.
    private mutating func uniqueSuffix(_ now: Date) -> String {
        let nanos = UInt64(max(0, now.timeIntervalSince1970) * 1e9)
        lastNameNanos = max(nanos, lastNameNanos &+ 1)
        let hex = String(lastNameNanos, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }
}
