import Foundation
import KubeModel

/// `kubectl get deployments`: READY as ready/desired, then up-to-date and available counts.
struct DeploymentPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Ready", description: "Number of the pod with ready state"),
        TableColumn("Up-to-date", description: FieldDoc.api("apps.v1.DeploymentStatus", "updatedReplicas")),
        TableColumn("Available", description: FieldDoc.api("apps.v1.DeploymentStatus", "availableReplicas")),
        .age,
        .containerNames(),
        .containerImages(),
        .selector("apps.v1.DeploymentSpec"),
    ]

    func cells(of deployment: AppsV1.Deployment, now: Date) -> [JSONValue] {
        let containers = CellText.containers(deployment.spec.template.spec?.containers)
        return [
            CellText.name(deployment.metadata),
            .string("\(deployment.status.readyReplicas ?? 0)/\(deployment.spec.replicas ?? 0)"),
            CellText.int(deployment.status.updatedReplicas),
            CellText.int(deployment.status.availableReplicas),
            CellText.age(deployment.metadata, now: now),
            containers.names,
            containers.images,
            // Unlike most printers, an empty selector prints as "" here, not "<none>".
            .string(CellText.selectorString(deployment.spec.selector) ?? "<invalid>"),
        ]
    }
}
