import Foundation
import KubeModel

/// `kubectl get storageclasses`: the provisioner and policies; the default class is marked
/// "(default)" after its name.
struct StorageClassPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Provisioner", description: FieldDoc.api("storage.v1.StorageClass", "provisioner")),
        TableColumn("ReclaimPolicy", description: FieldDoc.api("storage.v1.StorageClass", "reclaimPolicy")),
        TableColumn("VolumeBindingMode", description: FieldDoc.api("storage.v1.StorageClass", "volumeBindingMode")),
        TableColumn("AllowVolumeExpansion", description: FieldDoc.api("storage.v1.StorageClass", "allowVolumeExpansion")),
        .age,
    ]

    func cells(of storageClass: StorageV1.StorageClass, now: Date) -> [JSONValue] {
        let annotations = storageClass.metadata.annotations ?? [:]
        let isDefault = annotations["storageclass.kubernetes.io/is-default-class"] == "true"
            || annotations["storageclass.beta.kubernetes.io/is-default-class"] == "true"
        let name = (storageClass.metadata.name ?? "") + (isDefault ? " (default)" : "")
        return [
            .string(name),
            .string(storageClass.provisioner),
            .string(storageClass.reclaimPolicy ?? "Delete"),
            .string(storageClass.volumeBindingMode ?? "Immediate"),
            .bool(storageClass.allowVolumeExpansion ?? false),
            CellText.age(storageClass.metadata, now: now),
        ]
    }
}
