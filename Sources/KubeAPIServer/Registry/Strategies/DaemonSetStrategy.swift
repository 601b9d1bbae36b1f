import KubeModel

/// DaemonSets (apps/v1): RollingUpdate with maxUnavailable 1 and maxSurge 0, ten revisions,
/// template defaults; ValidateDaemonSetSpec and an immutable selector.
struct DaemonSetStrategy: ResourceStrategy {
    typealias Object = AppsV1.DaemonSet
    var tracksGeneration: Bool { true }

    func applyDefaults(_ daemonSet: inout AppsV1.DaemonSet) {
        var spec = daemonSet.spec
        var strategy = spec.updateStrategy ?? AppsV1.DaemonSetUpdateStrategy()
        if (strategy.type ?? "").isEmpty { strategy.type = "RollingUpdate" }
        if strategy.type == "RollingUpdate" {
            var rollingUpdate = strategy.rollingUpdate ?? AppsV1.RollingUpdateDaemonSet()
            if rollingUpdate.maxUnavailable == nil { rollingUpdate.maxUnavailable = .int(1) }
            if rollingUpdate.maxSurge == nil { rollingUpdate.maxSurge = .int(0) }
            strategy.rollingUpdate = rollingUpdate
        }
        spec.updateStrategy = strategy
        if spec.revisionHistoryLimit == nil { spec.revisionHistoryLimit = 10 }
        PodSpecDefaults.apply(template: &spec.template)
        daemonSet.spec = spec
    }

    func validate(_ daemonSet: AppsV1.DaemonSet) -> [FieldError] {
        let spec = daemonSet.spec
        let path = FieldPath("spec")
        let templatePath = path.child("template")
        var errors = FieldChecks.labelSelector(FieldChecks.presentSelector(spec.selector), path.child("selector"))
        errors += WorkloadValidation.selectorMatches(spec.selector, labels: spec.template.metadata.labels,
                                                     labelsPath: templatePath.child("metadata", "labels"))
        errors += PodTemplateValidation.validate(spec.template, path: templatePath)
        errors += WorkloadValidation.restartPolicyAlways(spec.template, path: templatePath)
        if let deadline = spec.template.spec?.activeDeadlineSeconds {
            errors.append(.invalid(templatePath.child("spec", "activeDeadlineSeconds"), .int(Int64(deadline)),
                                   "activeDeadlineSeconds in DaemonSet is not Supported"))
        }
        errors += FieldChecks.nonNegative(spec.minReadySeconds, path.child("minReadySeconds"))
        errors += validateUpdateStrategy(spec.updateStrategy ?? AppsV1.DaemonSetUpdateStrategy(), path: path.child("updateStrategy"))
        errors += FieldChecks.nonNegative(spec.revisionHistoryLimit, path.child("revisionHistoryLimit"))
        return errors
    }

    func validateUpdateStrategy(_ strategy: AppsV1.DaemonSetUpdateStrategy, path: FieldPath) -> [FieldError] {
        switch strategy.type ?? "" {
        case "OnDelete":
            return []
        case "RollingUpdate":
            guard let rollingUpdate = strategy.rollingUpdate else { return [.required(path.child("rollingUpdate"))] }
            let updatePath = path.child("rollingUpdate")
            var errors = FieldChecks.positiveIntOrPercent(rollingUpdate.maxUnavailable, updatePath.child("maxUnavailable"))
            errors += FieldChecks.positiveIntOrPercent(rollingUpdate.maxSurge, updatePath.child("maxSurge"))
            errors += FieldChecks.notMoreThan100Percent(rollingUpdate.maxUnavailable, updatePath.child("maxUnavailable"))
            errors += FieldChecks.notMoreThan100Percent(rollingUpdate.maxSurge, updatePath.child("maxSurge"))
            let unavailable = FieldChecks.intOrPercentValue(rollingUpdate.maxUnavailable) != 0
            let surge = FieldChecks.intOrPercentValue(rollingUpdate.maxSurge) != 0
            if unavailable && surge {
                errors.append(.invalid(updatePath.child("maxSurge"), GoValueText.intOrStringValue(rollingUpdate.maxSurge),
                                       "may not be set when maxUnavailable is non-zero"))
            } else if !unavailable && !surge {
                errors.append(.required(updatePath.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"))
            }
            return errors
        case let type:
            return [.notSupported(path, .rendered("apps.DaemonSetUpdateStrategy{Type:\(GoValueText.quote(type)), RollingUpdate:...}"),
                                  supported: ["RollingUpdate", "OnDelete"])]
        }
    }

    func validateUpdate(_ daemonSet: AppsV1.DaemonSet, old: AppsV1.DaemonSet) -> [FieldError] {
        validate(daemonSet)
            + WorkloadValidation.selectorImmutable(daemonSet.spec.selector, old.spec.selector, path: FieldPath("spec", "selector"))
    }
}
