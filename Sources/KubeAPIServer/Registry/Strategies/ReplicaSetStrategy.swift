import KubeModel

/// ReplicaSets (apps/v1): one replica by default, template defaults, ValidateReplicaSetSpec
/// and an immutable selector; `status.replicas` is selectable.
struct ReplicaSetStrategy: ResourceStrategy {
    typealias Object = AppsV1.ReplicaSet
    var tracksGeneration: Bool { true }

    func applyDefaults(_ replicaSet: inout AppsV1.ReplicaSet) {
        if replicaSet.spec.replicas == nil { replicaSet.spec.replicas = 1 }
        // Go's template is not optional: an absent one is an empty, defaulted template.
        var template = replicaSet.spec.template ?? CoreV1.PodTemplateSpec()
        PodSpecDefaults.apply(template: &template)
        replicaSet.spec.template = template
    }

    func validate(_ replicaSet: AppsV1.ReplicaSet) -> [FieldError] {
        let spec = replicaSet.spec
        let path = FieldPath("spec")
        var errors = FieldChecks.nonNegative(spec.replicas, path.child("replicas"))
        errors += FieldChecks.nonNegative(spec.minReadySeconds, path.child("minReadySeconds"))
        errors += WorkloadValidation.requiredSelector(spec.selector, path: path.child("selector"))
        let selectorErrors = WorkloadValidation.convertibleSelector(spec.selector, path: path.child("selector"))
        errors += selectorErrors
        if selectorErrors.isEmpty {
            errors += WorkloadValidation.alwaysRunningTemplate(spec.template ?? CoreV1.PodTemplateSpec(), selector: spec.selector,
                                                               kind: "ReplicaSet", path: path.child("template"))
        }
        return errors
    }

    func validateUpdate(_ replicaSet: AppsV1.ReplicaSet, old: AppsV1.ReplicaSet) -> [FieldError] {
        validate(replicaSet)
            + WorkloadValidation.selectorImmutable(replicaSet.spec.selector, old.spec.selector, path: FieldPath("spec", "selector"))
    }

    func selectableFields(_ replicaSet: AppsV1.ReplicaSet) -> [String: String] {
        ["status.replicas": String(replicaSet.status.replicas)]
    }
}
