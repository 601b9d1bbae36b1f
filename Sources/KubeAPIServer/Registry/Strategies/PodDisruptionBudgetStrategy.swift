import KubeModel

/// PodDisruptionBudgets (policy/v1): minAvailable or maxUnavailable (not both), each a
/// non-negative number or a percentage up to 100%, a valid selector and eviction policy.
struct PodDisruptionBudgetStrategy: ResourceStrategy {
    typealias Object = PolicyV1.PodDisruptionBudget
    var tracksGeneration: Bool { true }

    func validate(_ budget: PolicyV1.PodDisruptionBudget) -> [FieldError] {
        let spec = budget.spec
        let path = FieldPath("spec")
        var errors: [FieldError] = []
        if spec.minAvailable != nil && spec.maxUnavailable != nil {
            errors.append(.invalid(path, GoValueText.jsonValue(spec), "minAvailable and maxUnavailable cannot be both set"))
        }
        if let minAvailable = spec.minAvailable { errors += WorkloadValidation.rollingAmount(minAvailable, path: path.child("minAvailable")) }
        if let maxUnavailable = spec.maxUnavailable {
            errors += WorkloadValidation.rollingAmount(maxUnavailable, path: path.child("maxUnavailable"))
        }
        errors += FieldChecks.labelSelector(spec.selector, path.child("selector"))
        errors += FieldChecks.oneOf(spec.unhealthyPodEvictionPolicy, path.child("unhealthyPodEvictionPolicy"), ["AlwaysAllow", "IfHealthyBudget"])
        return errors
    }

    func validateUpdate(_ budget: PolicyV1.PodDisruptionBudget, old: PolicyV1.PodDisruptionBudget) -> [FieldError] {
        validate(budget)
    }
}
