import Foundation
import KubeModel

/// `kubectl get podtemplates`: the template's containers, images and pod labels.
struct PodTemplatePrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        .containerNames(priority: 0),
        .containerImages(priority: 0),
        TableColumn("Pod Labels", description: "The labels for the pod template."),
    ]

    func cells(of template: CoreV1.PodTemplate, now: Date) -> [JSONValue] {
        let containers = CellText.containers(template.template?.spec?.containers)
        return [
            CellText.name(template.metadata),
            containers.names,
            containers.images,
            .string(CellText.labels(template.template?.metadata.labels)),
        ]
    }
}
