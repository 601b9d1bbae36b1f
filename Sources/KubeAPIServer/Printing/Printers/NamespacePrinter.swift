import Foundation
import KubeModel

/// `kubectl get namespaces`: the phase (Active or Terminating).
struct NamespacePrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Status", description: "The status of the namespace"),
        .age,
    ]

    func cells(of namespace: CoreV1.Namespace, now: Date) -> [JSONValue] {
        [CellText.name(namespace.metadata), CellText.string(namespace.status.phase), CellText.age(namespace.metadata, now: now)]
    }
}
