import Foundation
import KubeModel

/// `kubectl get priorityclasses`: the value, whether it is the default, and (wide) preemption.
struct PriorityClassPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Value", type: "integer", description: FieldDoc.api("scheduling.v1.PriorityClass", "value")),
        TableColumn("Global-Default", type: "boolean", description: FieldDoc.api("scheduling.v1.PriorityClass", "globalDefault")),
        .age,
        // Wide-only upstream (its cell is only added with -o wide) though declared priority 0.
        TableColumn("PreemptionPolicy", description: FieldDoc.api("scheduling.v1.PriorityClass", "preemptionPolicy")),
    ]

    func cells(of priorityClass: SchedulingV1.PriorityClass, now: Date) -> [JSONValue] {
        [
            CellText.name(priorityClass.metadata),
            CellText.int(priorityClass.value),
            .bool(priorityClass.globalDefault ?? false),
            CellText.age(priorityClass.metadata, now: now),
            CellText.string(priorityClass.preemptionPolicy),
        ]
    }
}
