import Foundation
import KubeModel

/// `kubectl get resourcequotas`: "resource: used/hard" for each limit, requests and limits
/// in separate columns.
struct ResourceQuotaPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Request", description: "Request represents a minimum amount of cpu/memory that a container may consume."),
        TableColumn("Limit", description: "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
        .age,
    ]

    func cells(of quota: CoreV1.ResourceQuota, now: Date) -> [JSONValue] {
        let hard = quota.status.hard ?? [:]
        let used = quota.status.used ?? [:]
        var requests: [String] = []
        var limits: [String] = []
        for resource in hard.keys.sorted() {
            let text = "\(resource): \(CellText.quantity(used[resource]))/\(CellText.quantity(hard[resource]))"
            // "limits.cpu" and the like go to the Limit column, everything else to Request.
            if resource.hasPrefix("limits.") {
                limits.append(text)
            } else {
                requests.append(text)
            }
        }
        return [
            CellText.name(quota.metadata),
            .string(requests.joined(separator: ", ")),
            .string(limits.joined(separator: ", ")),
            CellText.age(quota.metadata, now: now),
        ]
    }
}
