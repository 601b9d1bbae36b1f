import Foundation
import KubeModel

/// `kubectl get statefulsets`: READY as ready/desired.
struct StatefulSetPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Ready", description: "Number of the pod with ready state"),
        .age,
        .containerNames(),
        .containerImages(),
    ]

    func cells(of statefulSet: AppsV1.StatefulSet, now: Date) -> [JSONValue] {
        let containers = CellText.containers(statefulSet.spec.template.spec?.containers)
        return [
            CellText.name(statefulSet.metadata),
            .string("\(statefulSet.status.readyReplicas ?? 0)/\(statefulSet.spec.replicas ?? 0)"),
            CellText.age(statefulSet.metadata, now: now),
            containers.names,
            containers.images,
        ]
    }
}
