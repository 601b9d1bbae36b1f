import Foundation
import KubeModel

/// `kubectl get csidrivers`: the driver's capabilities, with upstream's defaults for unset ones.
struct CSIDriverPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("AttachRequired", type: "boolean", description: FieldDoc.api("storage.v1.CSIDriverSpec", "attachRequired")),
        TableColumn("PodInfoOnMount", type: "boolean", description: FieldDoc.api("storage.v1.CSIDriverSpec", "podInfoOnMount")),
        TableColumn("StorageCapacity", type: "boolean", description: FieldDoc.api("storage.v1.CSIDriverSpec", "storageCapacity")),
        TableColumn("TokenRequests", description: FieldDoc.api("storage.v1.CSIDriverSpec", "tokenRequests")),
        TableColumn("RequiresRepublish", type: "boolean", description: FieldDoc.api("storage.v1.CSIDriverSpec", "requiresRepublish")),
        TableColumn("Modes", description: FieldDoc.api("storage.v1.CSIDriverSpec", "volumeLifecycleModes")),
        .age,
    ]

    func cells(of driver: StorageV1.CSIDriver, now: Date) -> [JSONValue] {
        let spec = driver.spec
        let audiences = spec.tokenRequests.map { $0.map(\.audience).joined(separator: ",") } ?? "<unset>"
        let modes = (spec.volumeLifecycleModes ?? []).joined(separator: ",")
        return [
            CellText.name(driver.metadata),
            .bool(spec.attachRequired ?? true),
            .bool(spec.podInfoOnMount ?? false),
            .bool(spec.storageCapacity ?? false),
            .string(audiences),
            .bool(spec.requiresRepublish ?? false),
            .string(modes.isEmpty ? "<none>" : modes),
            CellText.age(driver.metadata, now: now),
        ]
    }
}
