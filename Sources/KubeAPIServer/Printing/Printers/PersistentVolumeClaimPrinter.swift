import Foundation
import KubeModel

/// `kubectl get persistentvolumeclaims`: phase, the bound volume and what it provides.
struct PersistentVolumeClaimPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Status", description: FieldDoc.api("core.v1.PersistentVolumeClaimStatus", "phase")),
        TableColumn("Volume", description: FieldDoc.api("core.v1.PersistentVolumeClaimSpec", "volumeName")),
        TableColumn("Capacity", description: FieldDoc.api("core.v1.PersistentVolumeClaimStatus", "capacity")),
        TableColumn("Access Modes", description: FieldDoc.api("core.v1.PersistentVolumeClaimStatus", "accessModes")),
        TableColumn("StorageClass", description: "StorageClass of the pvc"),
        TableColumn("VolumeAttributesClass", description: "VolumeAttributesClass of the pvc"),
        .age,
        TableColumn("VolumeMode", description: FieldDoc.api("core.v1.PersistentVolumeClaimSpec", "volumeMode"), priority: 1),
    ]

    func cells(of claim: CoreV1.PersistentVolumeClaim, now: Date) -> [JSONValue] {
        let spec = claim.spec
        let phase = claim.metadata.deletionTimestamp != nil ? "Terminating" : (claim.status.phase ?? "")
        let volumeName = spec.volumeName ?? ""
        // Capacity and access modes are those of the bound volume, so blank until bound.
        let bound = !volumeName.isEmpty
        return [
            CellText.name(claim.metadata),
            .string(phase),
            .string(volumeName),
            .string(bound ? CellText.quantity(claim.status.capacity?["storage"]) : ""),
            .string(bound ? CellText.accessModes(claim.status.accessModes) : ""),
            .string(StorageClassName.of(claim.metadata, field: spec.storageClassName)),
            .string(spec.volumeAttributesClassName ?? "<unset>"),
            CellText.age(claim.metadata, now: now),
            .string(spec.volumeMode ?? "<unset>"),
        ]
    }
}
