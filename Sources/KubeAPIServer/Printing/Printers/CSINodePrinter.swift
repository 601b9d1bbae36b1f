import Foundation
import KubeModel

/// `kubectl get csinodes`: how many CSI drivers registered on the node.
struct CSINodePrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Drivers", type: "integer", description: "Drivers indicates the number of CSI drivers registered on the node"),
        .age,
    ]

    func cells(of node: StorageV1.CSINode, now: Date) -> [JSONValue] {
        [CellText.name(node.metadata), .int(Int64(node.spec.drivers.count)), CellText.age(node.metadata, now: now)]
    }
}
