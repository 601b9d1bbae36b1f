import Foundation
import KubeModel

/// `kubectl get servicecidrs`: the ranges services are allocated from.
struct ServiceCIDRPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("CIDRs", description: FieldDoc.api("networking.v1.ServiceCIDRSpec", "cidrs")),
        .age,
    ]

    func cells(of serviceCIDR: NetworkingV1.ServiceCIDR, now: Date) -> [JSONValue] {
        [
            CellText.name(serviceCIDR.metadata),
            .string((serviceCIDR.spec.cidrs ?? []).joined(separator: ",")),
            CellText.age(serviceCIDR.metadata, now: now),
        ]
    }
}
