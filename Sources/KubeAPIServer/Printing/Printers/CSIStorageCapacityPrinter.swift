import Foundation
import KubeModel

/// `kubectl get csistoragecapacities`: the class and the capacity reported for it.
struct CSIStorageCapacityPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("StorageClassName", description: FieldDoc.api("storage.v1.CSIStorageCapacity", "storageClassName")),
        TableColumn("Capacity", description: FieldDoc.api("storage.v1.CSIStorageCapacity", "capacity")),
    ]

    func cells(of capacity: StorageV1.CSIStorageCapacity, now: Date) -> [JSONValue] {
        [
            CellText.name(capacity.metadata),
            .string(capacity.storageClassName),
            .string(capacity.capacity?.description ?? "<unset>"),
        ]
    }
}
