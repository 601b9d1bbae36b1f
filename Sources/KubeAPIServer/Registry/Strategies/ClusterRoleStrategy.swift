import KubeModel

/// ClusterRoles: path-segment names, valid rules (non-resource URLs allowed), and an
/// aggregation rule with at least one valid selector.
struct ClusterRoleStrategy: ResourceStrategy {
    typealias Object = RbacV1.ClusterRole
    var nameValidation: NameValidation { .pathSegment }

    func validate(_ role: RbacV1.ClusterRole) -> [FieldError] {
        var errors = RBACValidation.validateRules(role.rules ?? [], namespaced: false)
        if let aggregation = role.aggregationRule {
            let path = FieldPath("aggregationRule", "clusterRoleSelectors")
            let selectors = aggregation.clusterRoleSelectors ?? []
            if selectors.isEmpty {
                errors.append(.required(path, "at least one clusterRoleSelector required if aggregationRule is non-nil"))
            }
            for (index, selector) in selectors.enumerated() { errors += FieldChecks.labelSelector(selector, path.index(index)) }
        }
        return errors
    }

    func validateUpdate(_ role: RbacV1.ClusterRole, old: RbacV1.ClusterRole) -> [FieldError] { validate(role) }
}
