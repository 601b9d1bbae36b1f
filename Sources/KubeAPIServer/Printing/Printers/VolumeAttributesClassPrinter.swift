import Foundation
import KubeModel

/// `kubectl get volumeattributesclasses`: the driver; the default class is marked "(default)".
struct VolumeAttributesClassPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("DriverName", description: FieldDoc.api("storage.v1.VolumeAttributesClass", "driverName")),
        .age,
    ]

    func cells(of attributesClass: StorageV1.VolumeAttributesClass, now: Date) -> [JSONValue] {
        let isDefault = attributesClass.metadata.annotations?["volumeattributesclass.alpha.kubernetes.io/is-default-class"] == "true"
        return [
            .string((attributesClass.metadata.name ?? "") + (isDefault ? " (default)" : "")),
            .string(attributesClass.driverName),
            CellText.age(attributesClass.metadata, now: now),
        ]
    }
}
