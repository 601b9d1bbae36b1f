import Foundation
import KubeModel

/// `kubectl get configmaps`: how many keys (text and binary) the map holds.
struct ConfigMapPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Data", description: FieldDoc.api("core.v1.ConfigMap", "data")),
        .age,
    ]

    func cells(of configMap: CoreV1.ConfigMap, now: Date) -> [JSONValue] {
        let keys = (configMap.data?.count ?? 0) + (configMap.binaryData?.count ?? 0)
        return [CellText.name(configMap.metadata), .int(Int64(keys)), CellText.age(configMap.metadata, now: now)]
    }
}
