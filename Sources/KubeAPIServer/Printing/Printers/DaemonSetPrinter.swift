import Foundation
import KubeModel

/// `kubectl get daemonsets`: scheduling counts per state and the pods' node selector.
struct DaemonSetPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Desired", type: "integer", description: FieldDoc.api("apps.v1.DaemonSetStatus", "desiredNumberScheduled")),
        TableColumn("Current", type: "integer", description: FieldDoc.api("apps.v1.DaemonSetStatus", "currentNumberScheduled")),
        TableColumn("Ready", type: "integer", description: FieldDoc.api("apps.v1.DaemonSetStatus", "numberReady")),
        TableColumn("Up-to-date", type: "integer", description: FieldDoc.api("apps.v1.DaemonSetStatus", "updatedNumberScheduled")),
        TableColumn("Available", type: "integer", description: FieldDoc.api("apps.v1.DaemonSetStatus", "numberAvailable")),
        TableColumn("Node Selector", description: FieldDoc.api("core.v1.PodSpec", "nodeSelector")),
        .age,
        .containerNames(),
        .containerImages(),
        .selector("apps.v1.DaemonSetSpec"),
    ]

    func cells(of daemonSet: AppsV1.DaemonSet, now: Date) -> [JSONValue] {
        let status = daemonSet.status
        let podSpec = daemonSet.spec.template.spec
        let containers = CellText.containers(podSpec?.containers)
        return [
            CellText.name(daemonSet.metadata),
            CellText.int(status.desiredNumberScheduled),
            CellText.int(status.currentNumberScheduled),
            CellText.int(status.numberReady),
            CellText.int(status.updatedNumberScheduled),
            CellText.int(status.numberAvailable),
            .string(CellText.labels(podSpec?.nodeSelector)),
            CellText.age(daemonSet.metadata, now: now),
            containers.names,
            containers.images,
            .string(CellText.selector(daemonSet.spec.selector)),
        ]
    }
}
