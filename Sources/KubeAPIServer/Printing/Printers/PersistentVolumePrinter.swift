import Foundation
import KubeModel

/// `kubectl get persistentvolumes`: size, access modes, reclaim policy, phase and the claim
/// bound to it.
struct PersistentVolumePrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Capacity", description: FieldDoc.api("core.v1.PersistentVolumeSpec", "capacity")),
        TableColumn("Access Modes", description: FieldDoc.api("core.v1.PersistentVolumeSpec", "accessModes")),
        TableColumn("Reclaim Policy", description: FieldDoc.api("core.v1.PersistentVolumeSpec", "persistentVolumeReclaimPolicy")),
        TableColumn("Status", description: FieldDoc.api("core.v1.PersistentVolumeStatus", "phase")),
        TableColumn("Claim", description: FieldDoc.api("core.v1.PersistentVolumeSpec", "claimRef")),
        TableColumn("StorageClass", description: "StorageClass of the pv"),
        TableColumn("VolumeAttributesClass", description: "VolumeAttributesClass of the pv"),
        TableColumn("Reason", description: FieldDoc.api("core.v1.PersistentVolumeStatus", "reason")),
        .age,
        TableColumn("VolumeMode", description: FieldDoc.api("core.v1.PersistentVolumeSpec", "volumeMode"), priority: 1),
    ]

    func cells(of volume: CoreV1.PersistentVolume, now: Date) -> [JSONValue] {
        let spec = volume.spec
        let claim = spec.claimRef.map { "\($0.namespace ?? "")/\($0.name ?? "")" } ?? ""
        let phase = volume.metadata.deletionTimestamp != nil ? "Terminating" : (volume.status.phase ?? "")
        return [
            CellText.name(volume.metadata),
            .string(CellText.quantity(spec.capacity?["storage"])),
            .string(CellText.accessModes(spec.accessModes)),
            CellText.string(spec.persistentVolumeReclaimPolicy),
            .string(phase),
            .string(claim),
            .string(StorageClassName.of(volume.metadata, field: spec.storageClassName)),
            .string(spec.volumeAttributesClassName ?? "<unset>"),
            CellText.string(volume.status.reason),
            CellText.age(volume.metadata, now: now),
            .string(spec.volumeMode ?? "<unset>"),
        ]
    }
}
