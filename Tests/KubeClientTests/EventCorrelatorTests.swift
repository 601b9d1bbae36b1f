import Foundation
import KubeModel
import Testing

@testable import KubeClient

@Suite("Event aggregation")
struct EventCorrelatorTests {
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    func event(reason: String = "Started", message: String = "started container", type: String = "Normal",
               object: String = "web-0", at time: Date) -> CoreV1.Event {
        var event = CoreV1.Event()
        event.metadata.namespace = "default"
        event.involvedObject = CoreV1.ObjectReference(apiVersion: "v1", kind: "Pod", name: object, namespace: "default", uid: "uid-1")
        event.reason = reason
        event.message = message
        event.type = type
        event.source = CoreV1.EventSource(component: "kubelet", host: "node-1")
        event.firstTimestamp = Time(time)
        event.lastTimestamp = Time(time)
        return event
    }

    @Test("a new event is created with count 1 and a name of the object name and 16 hex digits")
    func firstEventCreates() throws {
        var correlator = EventCorrelator()
        guard case .create(let created) = correlator.correlate(event(at: start), now: start) else {
            Issue.record("expected create"); return
        }
        #expect(created.count == 1)
        let name = try #require(created.metadata.name)
        #expect(name.hasPrefix("web-0."))
        let suffix = name.dropFirst("web-0.".count)
        #expect(suffix.count == 16)
        #expect(suffix.allSatisfy { $0.isHexDigit })
    }

    @Test("a repeat within the window patches the same Event with count and lastTimestamp")
    func repeatPatches() throws {
        var correlator = EventCorrelator(window: .seconds(600))
        let first = event(at: start)
        guard case .create(let created) = correlator.correlate(first, now: start) else { Issue.record("expected create"); return }
        correlator.recorded(created, as: first, now: start)

        let later = start.addingTimeInterval(30)
        guard case .patch(let updated, let patch) = correlator.correlate(event(at: later), now: later) else {
            Issue.record("expected patch"); return
        }
        #expect(updated.metadata.name == created.metadata.name)
        #expect(updated.count == 2)
        #expect(updated.firstTimestamp == Time(start))
        #expect(patch["count"] == 2)
        #expect(patch["lastTimestamp"] == Time(later).toJSON())
        correlator.recorded(updated, as: event(at: later), now: later)

        guard case .patch(let third, _) = correlator.correlate(event(at: later), now: later) else { Issue.record("expected patch"); return }
        #expect(third.count == 3)
    }

    @Test("a different reason, message, type or object is a different event",
          arguments: [("Pulled", "started container", "Normal", "web-0"), ("Started", "other", "Normal", "web-0"),
                      ("Started", "started container", "Warning", "web-0"), ("Started", "started container", "Normal", "web-1")])
    func differentKeysCreate(reason: String, message: String, type: String, object: String) {
        var correlator = EventCorrelator()
        let first = event(at: start)
        guard case .create(let created) = correlator.correlate(first, now: start) else { Issue.record("expected create"); return }
        correlator.recorded(created, as: first, now: start)
        guard case .create(let other) = correlator.correlate(event(reason: reason, message: message, type: type, object: object, at: start), now: start)
        else { Issue.record("expected create"); return }
        #expect(other.metadata.name != created.metadata.name, "same instant, still a distinct name")
    }

    @Test("a repeat after the window starts a new Event")
    func windowExpires() {
        var correlator = EventCorrelator(window: .seconds(60))
        let first = event(at: start)
        guard case .create(let created) = correlator.correlate(first, now: start) else { Issue.record("expected create"); return }
        correlator.recorded(created, as: first, now: start)
        let later = start.addingTimeInterval(61)
        guard case .create = correlator.correlate(event(at: later), now: later) else { Issue.record("expected create"); return }
    }
}
