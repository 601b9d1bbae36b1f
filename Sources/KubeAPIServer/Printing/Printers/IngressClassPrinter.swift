import Foundation
import KubeModel

/// `kubectl get ingressclasses`: the controller and its parameters reference.
struct IngressClassPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Controller", description: "Controller that is responsible for handling this class"),
        TableColumn("Parameters", description: "A reference to a resource with additional parameters"),
        .age,
    ]

    func cells(of ingressClass: NetworkingV1.IngressClass, now: Date) -> [JSONValue] {
        [
            CellText.name(ingressClass.metadata),
            CellText.string(ingressClass.spec.controller),
            .string(parameters(ingressClass.spec.parameters)),
            CellText.age(ingressClass.metadata, now: now),
        ]
    }

    /// "Kind.group/name" (the group only when given).
    private func parameters(_ reference: NetworkingV1.IngressClassParametersReference?) -> String {
        guard let reference else { return "<none>" }
        let kind = reference.apiGroup.map { "\(reference.kind).\($0)" } ?? reference.kind
        return kind + "/" + reference.name
    }
}
