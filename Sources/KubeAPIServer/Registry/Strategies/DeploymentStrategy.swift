import KubeModel

/// Deployments (apps/v1): upstream's defaults (one replica, RollingUpdate 25%/25%, ten old
/// ReplicaSets kept, 600s progress deadline, template defaults), ValidateDeploymentSpec, and
/// an immutable selector.
struct DeploymentStrategy: ResourceStrategy {
    typealias Object = AppsV1.Deployment
    var tracksGeneration: Bool { true }

    func applyDefaults(_ deployment: inout AppsV1.Deployment) {
        var spec = deployment.spec
        if spec.replicas == nil { spec.replicas = 1 }
        var strategy = spec.strategy ?? AppsV1.DeploymentStrategy()
        if (strategy.type ?? "").isEmpty { strategy.type = "RollingUpdate" }
        if strategy.type == "RollingUpdate" {
            var rollingUpdate = strategy.rollingUpdate ?? AppsV1.RollingUpdateDeployment()
            if rollingUpdate.maxUnavailable == nil { rollingUpdate.maxUnavailable = .string("25%") }
            if rollingUpdate.maxSurge == nil { rollingUpdate.maxSurge = .string("25%") }
            strategy.rollingUpdate = rollingUpdate
        }
        spec.strategy = strategy
        if spec.revisionHistoryLimit == nil { spec.revisionHistoryLimit = 10 }
        if spec.progressDeadlineSeconds == nil { spec.progressDeadlineSeconds = 600 }
        PodSpecDefaults.apply(template: &spec.template)
        deployment.spec = spec
    }

    func validate(_ deployment: AppsV1.Deployment) -> [FieldError] {
        let spec = deployment.spec
        let path = FieldPath("spec")
        var errors = FieldChecks.nonNegative(spec.replicas, path.child("replicas"))
        errors += WorkloadValidation.requiredSelector(spec.selector, path: path.child("selector"))
        let selectorErrors = WorkloadValidation.convertibleSelector(spec.selector, path: path.child("selector"))
        errors += selectorErrors
        if selectorErrors.isEmpty {
            errors += WorkloadValidation.alwaysRunningTemplate(spec.template, selector: spec.selector, kind: "ReplicaSet",
                                                               path: path.child("template"))
        }
        errors += validateStrategy(spec.strategy ?? AppsV1.DeploymentStrategy(), path: path.child("strategy"))
        errors += FieldChecks.nonNegative(spec.minReadySeconds, path.child("minReadySeconds"))
        errors += FieldChecks.nonNegative(spec.revisionHistoryLimit, path.child("revisionHistoryLimit"))
        if let deadline = spec.progressDeadlineSeconds {
            errors += FieldChecks.nonNegative(deadline, path.child("progressDeadlineSeconds"))
            if deadline <= spec.minReadySeconds ?? 0 {
                errors.append(.invalid(path.child("progressDeadlineSeconds"), .int(Int64(deadline)), "must be greater than minReadySeconds"))
            }
        }
        return errors
    }

    func validateStrategy(_ strategy: AppsV1.DeploymentStrategy, path: FieldPath) -> [FieldError] {
        switch strategy.type ?? "" {
        case "Recreate":
            return strategy.rollingUpdate == nil
                ? [] : [.forbidden(path.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'")]
        case "RollingUpdate":
            guard let rollingUpdate = strategy.rollingUpdate else {
                return [.required(path.child("rollingUpdate"), "this should be defaulted and never be nil")]
            }
            let updatePath = path.child("rollingUpdate")
            var errors = FieldChecks.positiveIntOrPercent(rollingUpdate.maxUnavailable, updatePath.child("maxUnavailable"))
            errors += FieldChecks.positiveIntOrPercent(rollingUpdate.maxSurge, updatePath.child("maxSurge"))
            if FieldChecks.intOrPercentValue(rollingUpdate.maxUnavailable) == 0 && FieldChecks.intOrPercentValue(rollingUpdate.maxSurge) == 0 {
                errors.append(.invalid(updatePath.child("maxUnavailable"), GoValueText.intOrStringValue(rollingUpdate.maxUnavailable),
                                       "may not be 0 when `maxSurge` is 0"))
            }
            errors += FieldChecks.notMoreThan100Percent(rollingUpdate.maxUnavailable, updatePath.child("maxUnavailable"))
            return errors
        default:
            let shown = "apps.DeploymentStrategy{Type:\(GoValueText.quote(strategy.type ?? "")), RollingUpdate:"
                + (strategy.rollingUpdate == nil ? "(*apps.RollingUpdateDeployment)(nil)}" : "(*apps.RollingUpdateDeployment){...}}")
            return [.notSupported(path, .rendered(shown), supported: ["Recreate", "RollingUpdate"])]
        }
    }

    func validateUpdate(_ deployment: AppsV1.Deployment, old: AppsV1.Deployment) -> [FieldError] {
        validate(deployment)
            + WorkloadValidation.selectorImmutable(deployment.spec.selector, old.spec.selector, path: FieldPath("spec", "selector"))
    }
}
