import KubeModel

/// RoleBindings: path-segment names, a Role or ClusterRole of the RBAC group that never
/// changes, and valid subjects (groups defaulted by kind).
struct RoleBindingStrategy: ResourceStrategy {
    typealias Object = RbacV1.RoleBinding
    var nameValidation: NameValidation { .pathSegment }

    func applyDefaults(_ binding: inout RbacV1.RoleBinding) {
        RBACValidation.applyDefaults(roleRef: &binding.roleRef, subjects: &binding.subjects)
    }

    func validate(_ binding: RbacV1.RoleBinding) -> [FieldError] {
        RBACValidation.validateBinding(roleRef: binding.roleRef, subjects: binding.subjects ?? [], kinds: ["Role", "ClusterRole"],
                                       namespaced: true)
    }

    func validateUpdate(_ binding: RbacV1.RoleBinding, old: RbacV1.RoleBinding) -> [FieldError] {
        validate(binding) + RBACValidation.roleRefUnchanged(binding.roleRef, old.roleRef)
    }
}
