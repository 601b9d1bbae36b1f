import Foundation
import KubeModel

/// `kubectl get replicasets`: desired, current and ready replica counts.
struct ReplicaSetPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Desired", type: "integer", description: FieldDoc.api("apps.v1.ReplicaSetSpec", "replicas")),
        TableColumn("Current", type: "integer", description: FieldDoc.api("apps.v1.ReplicaSetStatus", "replicas")),
        TableColumn("Ready", type: "integer", description: FieldDoc.api("apps.v1.ReplicaSetStatus", "readyReplicas")),
        .age,
        .containerNames(),
        .containerImages(),
        .selector("apps.v1.ReplicaSetSpec"),
    ]

    func cells(of replicaSet: AppsV1.ReplicaSet, now: Date) -> [JSONValue] {
        let containers = CellText.containers(replicaSet.spec.template?.spec?.containers)
        return [
            CellText.name(replicaSet.metadata),
            CellText.int(replicaSet.spec.replicas),
            CellText.int(replicaSet.status.replicas),
            CellText.int(replicaSet.status.readyReplicas),
            CellText.age(replicaSet.metadata, now: now),
            containers.names,
            containers.images,
            .string(CellText.selector(replicaSet.spec.selector)),
        ]
    }
}
