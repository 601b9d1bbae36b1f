import Foundation
import KubeModel

/// `kubectl get leases`: who holds the lease.
struct LeasePrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Holder", description: FieldDoc.api("coordination.v1.LeaseSpec", "holderIdentity")),
        .age,
    ]

    func cells(of lease: CoordinationV1.Lease, now: Date) -> [JSONValue] {
        [CellText.name(lease.metadata), CellText.string(lease.spec.holderIdentity), CellText.age(lease.metadata, now: now)]
    }
}
