import Foundation
import KubeModel

/// `kubectl get networkpolicies`: the selector of the pods the policy applies to.
struct NetworkPolicyPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Pod-Selector", description: FieldDoc.api("networking.v1.NetworkPolicySpec", "podSelector")),
        .age,
    ]

    func cells(of policy: NetworkingV1.NetworkPolicy, now: Date) -> [JSONValue] {
        // The internal podSelector is a value, so a missing one is the empty selector.
        [
            CellText.name(policy.metadata),
            .string(CellText.selector(policy.spec.podSelector ?? MetaV1.LabelSelector())),
            CellText.age(policy.metadata, now: now),
        ]
    }
}
