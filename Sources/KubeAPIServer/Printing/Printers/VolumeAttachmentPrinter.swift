import Foundation
import KubeModel

/// `kubectl get volumeattachments`: which attacher attaches which volume to which node.
struct VolumeAttachmentPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Attacher", format: "name", description: FieldDoc.api("storage.v1.VolumeAttachmentSpec", "attacher")),
        TableColumn("PV", description: FieldDoc.api("storage.v1.VolumeAttachmentSource", "persistentVolumeName")),
        TableColumn("Node", description: FieldDoc.api("storage.v1.VolumeAttachmentSpec", "nodeName")),
        TableColumn("Attached", type: "boolean", description: FieldDoc.api("storage.v1.VolumeAttachmentStatus", "attached")),
        .age,
    ]

    func cells(of attachment: StorageV1.VolumeAttachment, now: Date) -> [JSONValue] {
        [
            CellText.name(attachment.metadata),
            .string(attachment.spec.attacher),
            CellText.string(attachment.spec.source.persistentVolumeName),
            .string(attachment.spec.nodeName),
            .bool(attachment.status.attached),
            CellText.age(attachment.metadata, now: now),
        ]
    }
}
