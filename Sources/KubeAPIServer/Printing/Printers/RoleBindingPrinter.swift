import Foundation
import KubeModel

/// What role bindings and cluster role bindings share for printing.
protocol RoleBindingObject: JSONCodable {
    var metadata: MetaV1.ObjectMeta { get }
    var roleRef: RbacV1.RoleRef { get }
    var subjects: [RbacV1.Subject]? { get }
    /// The kind as upstream's column descriptions name it ("roleBinding").
    static var descriptionNoun: String { get }
    /// The OpenAPI definition under io.k8s.api.
    static var definition: String { get }
}

extension RbacV1.RoleBinding: RoleBindingObject {
    static var descriptionNoun: String { "roleBinding" }
    static var definition: String { "rbac.v1.RoleBinding" }
}

extension RbacV1.ClusterRoleBinding: RoleBindingObject {
    static var descriptionNoun: String { "clusterRoleBinding" }
    static var definition: String { "rbac.v1.ClusterRoleBinding" }
}

/// `kubectl get rolebindings` and `clusterrolebindings`: the bound role and (wide) its
/// subjects by kind.
struct RoleBindingPrinter<Binding: RoleBindingObject>: TypedTablePrinter {
    typealias Object = Binding
    static var columnDefinitions: [TableColumn] {
        let noun = Binding.descriptionNoun
        return [
            .objectName,
            TableColumn("Role", description: FieldDoc.api(Binding.definition, "roleRef")),
            .age,
            TableColumn("Users", description: "Users in the \(noun)", priority: 1),
            TableColumn("Groups", description: "Groups in the \(noun)", priority: 1),
            TableColumn("ServiceAccounts", description: "ServiceAccounts in the \(noun)", priority: 1),
        ]
    }

    func cells(of binding: Binding, now: Date) -> [JSONValue] {
        let subjects = binding.subjects ?? []
        func names(_ kind: String, _ text: (RbacV1.Subject) -> String) -> JSONValue {
            .string(subjects.filter { $0.kind == kind }.map(text).joined(separator: ", "))
        }
        return [
            CellText.name(binding.metadata),
            .string("\(binding.roleRef.kind)/\(binding.roleRef.name)"),
            CellText.age(binding.metadata, now: now),
            names("User") { $0.name },
            names("Group") { $0.name },
            names("ServiceAccount") { "\($0.namespace ?? "")/\($0.name)" },
        ]
    }
}
