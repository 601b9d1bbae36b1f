import Foundation
import KubeModel

/// `kubectl get secrets`: the type and how many keys the secret holds.
struct SecretPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Type", description: FieldDoc.api("core.v1.Secret", "type")),
        TableColumn("Data", description: FieldDoc.api("core.v1.Secret", "data")),
        .age,
    ]

    func cells(of secret: CoreV1.Secret, now: Date) -> [JSONValue] {
        [
            CellText.name(secret.metadata),
            CellText.string(secret.type),
            .int(Int64(secret.data?.count ?? 0)),
            CellText.age(secret.metadata, now: now),
        ]
    }
}
