import KubeModel

/// ClusterRoleBindings: path-segment names, a ClusterRole of the RBAC group that never
/// changes, and valid subjects (service accounts with a namespace).
struct ClusterRoleBindingStrategy: ResourceStrategy {
    typealias Object = RbacV1.ClusterRoleBinding
    var nameValidation: NameValidation { .pathSegment }

    func applyDefaults(_ binding: inout RbacV1.ClusterRoleBinding) {
        RBACValidation.applyDefaults(roleRef: &binding.roleRef, subjects: &binding.subjects)
    }

    func validate(_ binding: RbacV1.ClusterRoleBinding) -> [FieldError] {
        RBACValidation.validateBinding(roleRef: binding.roleRef, subjects: binding.subjects ?? [], kinds: ["ClusterRole"],
                                       namespaced: false)
    }

    func validateUpdate(_ binding: RbacV1.ClusterRoleBinding, old: RbacV1.ClusterRoleBinding) -> [FieldError] {
        validate(binding) + RBACValidation.roleRefUnchanged(binding.roleRef, old.roleRef)
    }
}
