import Foundation
import KubeModel

/// `kubectl get events` (core/v1): when it was last seen, type, reason, object and message;
/// wide adds the subobject, source, first sighting, count and the event's own name.
struct EventPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        TableColumn("Last Seen", description: FieldDoc.api("core.v1.Event", "lastTimestamp")),
        TableColumn("Type", description: FieldDoc.api("core.v1.Event", "type")),
        TableColumn("Reason", description: FieldDoc.api("core.v1.Event", "reason")),
        TableColumn("Object", description: FieldDoc.api("core.v1.Event", "involvedObject")),
        TableColumn("Subobject", description: FieldDoc.api("core.v1.ObjectReference", "fieldPath"), priority: 1),
        TableColumn("Source", description: FieldDoc.api("core.v1.Event", "source"), priority: 1),
        TableColumn("Message", description: FieldDoc.api("core.v1.Event", "message")),
        TableColumn("First Seen", description: FieldDoc.api("core.v1.Event", "firstTimestamp"), priority: 1),
        // Declared a string upstream, though the cell is a number.
        TableColumn("Count", description: FieldDoc.api("core.v1.Event", "count"), priority: 1),
        TableColumn("Name", format: "name", description: FieldDoc.objectMeta("name"), priority: 1),
    ]

    func cells(of event: CoreV1.Event, now: Date) -> [JSONValue] {
        // Events of the events.k8s.io API carry eventTime and series instead of timestamps.
        let firstSeen = event.firstTimestamp.map { HumanDuration.since($0.date, now: now) }
            ?? HumanDuration.since(event.eventTime?.date, now: now)
        var lastSeen = event.lastTimestamp.map { HumanDuration.since($0.date, now: now) } ?? firstSeen
        var count = event.count ?? 0
        if let series = event.series {
            lastSeen = HumanDuration.since(series.lastObservedTime?.date, now: now)
            count = series.count ?? 0
        } else if count == 0 {
            count = 1
        }
        let involved = event.involvedObject
        let kind = (involved.kind ?? "").lowercased()
        let name = involved.name ?? ""
        let object = name.isEmpty ? kind : "\(kind)/\(name)"
        return [
            .string(lastSeen),
            CellText.string(event.type),
            CellText.string(event.reason),
            .string(object),
            CellText.string(involved.fieldPath),
            .string(source(event)),
            .string((event.message ?? "").trimmingCharacters(in: .whitespacesAndNewlines)),
            .string(firstSeen),
            .int(Int64(count)),
            CellText.name(event.metadata),
        ]
    }

    /// "component, host", falling back to the reporting controller and instance.
    private func source(_ event: CoreV1.Event) -> String {
        let component = CellText.value(event.source?.component, ifEmpty: event.reportingComponent ?? "")
        let instance = CellText.value(event.source?.host, ifEmpty: event.reportingInstance ?? "")
        return instance.isEmpty ? component : "\(component), \(instance)"
    }
}
