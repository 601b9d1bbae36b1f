import Foundation
import KubeModel

/// `kubectl get replicationcontrollers`: desired, current and ready replica counts; the
/// selector is a plain label map.
struct ReplicationControllerPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Desired", type: "integer", description: FieldDoc.api("core.v1.ReplicationControllerSpec", "replicas")),
        TableColumn("Current", type: "integer", description: FieldDoc.api("core.v1.ReplicationControllerStatus", "replicas")),
        TableColumn("Ready", type: "integer", description: FieldDoc.api("core.v1.ReplicationControllerStatus", "readyReplicas")),
        .age,
        .containerNames(),
        .containerImages(),
        .selector("core.v1.ReplicationControllerSpec"),
    ]

    func cells(of controller: CoreV1.ReplicationController, now: Date) -> [JSONValue] {
        let containers = CellText.containers(controller.spec.template?.spec?.containers)
        return [
            CellText.name(controller.metadata),
            CellText.int(controller.spec.replicas),
            CellText.int(controller.status.replicas),
            CellText.int(controller.status.readyReplicas),
            CellText.age(controller.metadata, now: now),
            containers.names,
            containers.images,
            .string(CellText.labels(controller.spec.selector)),
        ]
    }
}
