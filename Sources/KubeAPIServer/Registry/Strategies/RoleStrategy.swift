import KubeModel

/// Roles: path-segment names and valid namespaced rules.
struct RoleStrategy: ResourceStrategy {
    typealias Object = RbacV1.Role
    var nameValidation: NameValidation { .pathSegment }

    func validate(_ role: RbacV1.Role) -> [FieldError] {
        RBACValidation.validateRules(role.rules ?? [], namespaced: true)
    }

    func validateUpdate(_ role: RbacV1.Role, old: RbacV1.Role) -> [FieldError] { validate(role) }
}
