import Foundation
import KubeModel

/// `kubectl get poddisruptionbudgets`: the budget and how many disruptions it allows now.
struct PodDisruptionBudgetPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Min Available", description: "The minimum number of pods that must be available."),
        TableColumn("Max Unavailable", description: "The maximum number of pods that may be unavailable."),
        TableColumn("Allowed Disruptions", type: "integer", description: "Calculated number of pods that may be disrupted at this time."),
        .age,
    ]

    func cells(of budget: PolicyV1.PodDisruptionBudget, now: Date) -> [JSONValue] {
        [
            CellText.name(budget.metadata),
            .string(budget.spec.minAvailable?.description ?? "N/A"),
            .string(budget.spec.maxUnavailable?.description ?? "N/A"),
            CellText.int(budget.status.disruptionsAllowed),
            CellText.age(budget.metadata, now: now),
        ]
    }
}
