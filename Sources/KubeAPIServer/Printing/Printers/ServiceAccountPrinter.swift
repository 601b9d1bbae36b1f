import Foundation
import KubeModel

/// `kubectl get serviceaccounts`: how many token secrets are listed.
struct ServiceAccountPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Secrets", description: FieldDoc.api("core.v1.ServiceAccount", "secrets")),
        .age,
    ]

    func cells(of account: CoreV1.ServiceAccount, now: Date) -> [JSONValue] {
        [CellText.name(account.metadata), .int(Int64(account.secrets?.count ?? 0)), CellText.age(account.metadata, now: now)]
    }
}
