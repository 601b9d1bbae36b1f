import KubeModel

/// HorizontalPodAutoscalers (autoscaling/v2): minReplicas 1, an 80% CPU target when no metric
/// is given, and the default scaling rules filled into a behavior that is present; replica
/// bounds, target reference, metrics and behavior validated as upstream does.
struct HorizontalPodAutoscalerStrategy: ResourceStrategy {
    typealias Object = AutoscalingV2.HorizontalPodAutoscaler
    var tracksGeneration: Bool { true }

    static let metricTypes = ["Object", "Pods", "Resource", "External", "ContainerResource"]
    static let defaultCPUUtilization = 80
    static let maxStabilizationWindowSeconds = 3600
    static let maxPeriodSeconds = 1800

    func applyDefaults(_ autoscaler: inout AutoscalingV2.HorizontalPodAutoscaler) {
        var spec = autoscaler.spec
        if spec.minReplicas == nil { spec.minReplicas = 1 }
        if (spec.metrics ?? []).isEmpty {
            spec.metrics = [AutoscalingV2.MetricSpec(
                resource: AutoscalingV2.ResourceMetricSource(
                    name: "cpu", target: AutoscalingV2.MetricTarget(averageUtilization: Self.defaultCPUUtilization, type: "Utilization")),
                type: "Resource")]
        }
        if var behavior = spec.behavior {
            behavior.scaleUp = Self.filled(behavior.scaleUp, defaults: AutoscalingV2.HPAScalingRules(
                policies: [AutoscalingV2.HPAScalingPolicy(periodSeconds: 15, type: "Pods", value: 4),
                           AutoscalingV2.HPAScalingPolicy(periodSeconds: 15, type: "Percent", value: 100)],
                selectPolicy: "Max", stabilizationWindowSeconds: 0))
            // Scale-down stabilization stays unset: the controller's flag decides it.
            behavior.scaleDown = Self.filled(behavior.scaleDown, defaults: AutoscalingV2.HPAScalingRules(
                policies: [AutoscalingV2.HPAScalingPolicy(periodSeconds: 15, type: "Percent", value: 100)], selectPolicy: "Max"))
            spec.behavior = behavior
        }
        autoscaler.spec = spec
    }

    /// The given rules over the defaults (upstream's copyHPAScalingRules).
    static func filled(_ rules: AutoscalingV2.HPAScalingRules?, defaults: AutoscalingV2.HPAScalingRules) -> AutoscalingV2.HPAScalingRules {
        guard let rules else { return defaults }
        var result = defaults
        if let policy = rules.selectPolicy { result.selectPolicy = policy }
        if let window = rules.stabilizationWindowSeconds { result.stabilizationWindowSeconds = window }
        if let policies = rules.policies { result.policies = policies }
        if let tolerance = rules.tolerance { result.tolerance = tolerance }
        return result
    }

    func validate(_ autoscaler: AutoscalingV2.HorizontalPodAutoscaler) -> [FieldError] {
        let spec = autoscaler.spec
        let path = FieldPath("spec")
        var errors: [FieldError] = []
        if let minReplicas = spec.minReplicas, minReplicas < 1 {
            errors.append(.invalid(path.child("minReplicas"), .int(Int64(minReplicas)), "must be greater than or equal to 1"))
        }
        if spec.maxReplicas < 1 {
            errors.append(.invalid(path.child("maxReplicas"), .int(Int64(spec.maxReplicas)), "must be greater than 0"))
        }
        if let minReplicas = spec.minReplicas, spec.maxReplicas < minReplicas {
            errors.append(.invalid(path.child("maxReplicas"), .int(Int64(spec.maxReplicas)), "must be greater than or equal to `minReplicas`"))
        }
        let target = spec.scaleTargetRef
        let targetPath = path.child("scaleTargetRef")
        for (value, field) in [(target.kind, "kind"), (target.name, "name")] {
            if value.isEmpty {
                errors.append(.required(targetPath.child(field)))
            } else {
                errors += Validation.isValidPathSegmentName(value).map { .invalid(targetPath.child(field), .string(value), $0) }
            }
        }
        for (index, metric) in (spec.metrics ?? []).enumerated() {
            errors += validateMetric(metric, path: path.child("metrics").index(index))
        }
        if let behavior = spec.behavior {
            errors += validateRules(behavior.scaleUp, path: path.child("behavior", "scaleUp"))
            errors += validateRules(behavior.scaleDown, path: path.child("behavior", "scaleDown"))
        }
        return errors
    }

    func validateMetric(_ metric: AutoscalingV2.MetricSpec, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if metric.type.isEmpty { errors.append(.required(path.child("type"), "must specify a metric source type")) }
        errors += FieldChecks.oneOf(metric.type, path.child("type"), Self.metricTypes)
        let present: [(String, Bool)] = [("Object", metric.object != nil), ("Pods", metric.pods != nil), ("Resource", metric.resource != nil),
                                         ("External", metric.external != nil), ("ContainerResource", metric.containerResource != nil)]
        let sourceName = { (type: String) in type.prefix(1).lowercased() + type.dropFirst() }
        if Self.metricTypes.contains(metric.type), !present.contains(where: { $0.0 == metric.type && $0.1 }) {
            errors.append(.required(path.child(sourceName(metric.type)), "must populate information for the given metric source"))
        }
        for (type, isPresent) in present where isPresent && type != metric.type {
            errors.append(.forbidden(path.child(type.lowercased()), "must populate the given metric source only"))
        }
        if let resource = metric.resource {
            let resourcePath = path.child("resource")
            if resource.name.isEmpty { errors.append(.required(resourcePath.child("name"), "must specify a resource name")) }
            errors += validateTarget(resource.target, path: resourcePath.child("target"))
            if resource.target.averageUtilization == nil && resource.target.averageValue == nil {
                errors.append(.required(resourcePath.child("target", "averageUtilization"), "must set either a target raw value or a target utilization"))
            }
        }
        if let container = metric.containerResource {
            let containerPath = path.child("containerResource")
            if container.name.isEmpty { errors.append(.required(containerPath.child("name"), "must specify a resource name")) }
            if container.container.isEmpty { errors.append(.required(containerPath.child("container"), "must specify a container")) }
            errors += validateTarget(container.target, path: containerPath.child("target"))
        }
        if let pods = metric.pods {
            errors += validateTarget(pods.target, path: path.child("pods", "target"))
            if pods.metric.name.isEmpty { errors.append(.required(path.child("pods", "metric", "name"), "must specify a metric name")) }
        }
        if let object = metric.object {
            errors += validateTarget(object.target, path: path.child("object", "target"))
            if object.metric.name.isEmpty { errors.append(.required(path.child("object", "metric", "name"), "must specify a metric name")) }
        }
        if let external = metric.external {
            errors += validateTarget(external.target, path: path.child("external", "target"))
            if external.metric.name.isEmpty { errors.append(.required(path.child("external", "metric", "name"), "must specify a metric name")) }
        }
        return errors
    }

    func validateTarget(_ target: AutoscalingV2.MetricTarget, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if target.type.isEmpty {
            errors.append(.required(path.child("type"), "must specify a metric target type"))
        } else {
            errors += FieldChecks.oneOf(target.type, path.child("type"), ["Utilization", "Value", "AverageValue"])
        }
        if let value = target.value, value.sign <= 0 {
            errors.append(.invalid(path.child("value"), .string(value.description), "must be positive"))
        }
        if let value = target.averageValue, value.sign <= 0 {
            errors.append(.invalid(path.child("averageValue"), .string(value.description), "must be positive"))
        }
        if let utilization = target.averageUtilization, utilization < 1 {
            errors.append(.invalid(path.child("averageUtilization"), .int(Int64(utilization)), "must be greater than 0"))
        }
        return errors
    }

    func validateRules(_ rules: AutoscalingV2.HPAScalingRules?, path: FieldPath) -> [FieldError] {
        guard let rules else { return [] }
        var errors: [FieldError] = []
        if let window = rules.stabilizationWindowSeconds, window < 0 || window > Self.maxStabilizationWindowSeconds {
            let message = window < 0 ? ValidationMessages.negative
                : "must be less than or equal to \(Self.maxStabilizationWindowSeconds)"
            errors.append(.invalid(path.child("stabilizationWindowSeconds"), .int(Int64(window)), message))
        }
        errors += FieldChecks.oneOf(rules.selectPolicy, path.child("selectPolicy"), ["Max", "Min", "Disabled"])
        let policies = rules.policies ?? []
        if policies.isEmpty { errors.append(.required(path.child("policies"), "must specify at least one Policy")) }
        for (index, policy) in policies.enumerated() {
            let policyPath = path.child("policies").index(index)
            errors += FieldChecks.oneOf(policy.type, policyPath.child("type"), ["Pods", "Percent"])
            if policy.value <= 0 { errors.append(.invalid(policyPath.child("value"), .int(Int64(policy.value)), "must be greater than zero")) }
            if policy.periodSeconds <= 0 {
                errors.append(.invalid(policyPath.child("periodSeconds"), .int(Int64(policy.periodSeconds)), "must be greater than zero"))
            } else if policy.periodSeconds > Self.maxPeriodSeconds {
                errors.append(.invalid(policyPath.child("periodSeconds"), .int(Int64(policy.periodSeconds)),
                                       "must be less than or equal to \(Self.maxPeriodSeconds)"))
            }
        }
        return errors
    }

    func validateUpdate(_ autoscaler: AutoscalingV2.HorizontalPodAutoscaler, old: AutoscalingV2.HorizontalPodAutoscaler) -> [FieldError] {
        validate(autoscaler)
    }
}
