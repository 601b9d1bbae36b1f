import KubeModel

/// The checks workloads share: selectors that must select their own template, pod templates
/// for always-running pods (upstream's ValidatePodTemplateSpecForReplicaSet and
/// ValidatePodTemplateSpecForRC), rolling-update amounts and selector immutability.
enum WorkloadValidation {
    static let selectorMismatch = "`selector` does not match template `labels`"

    /// A selector the kind requires: Required when missing (the generated types decode a
    /// missing selector as an empty one), otherwise a valid label selector.
    static func requiredSelector(_ selector: MetaV1.LabelSelector?, path: FieldPath) -> [FieldError] {
        guard let present = FieldChecks.presentSelector(selector) else { return [.required(path)] }
        return FieldChecks.labelSelector(present, path)
    }

    /// The template's labels must be selected (a missing selector selects nothing).
    static func selectorMatches(_ selector: MetaV1.LabelSelector?, labels: [String: String]?,
                                labelsPath: FieldPath) -> [FieldError] {
        guard let compiled = FieldChecks.selector(FieldChecks.presentSelector(selector)) else { return [] }
        if compiled.isEmpty || compiled.matches(labels ?? [:]) { return [] }
        return [.invalid(labelsPath, GoValueText.labelsValue(labels), selectorMismatch)]
    }

    /// A pod template of a ReplicaSet, Deployment or ReplicationController: selected by the
    /// selector, valid, restartPolicy Always and no activeDeadlineSeconds.
    /// `selector` nil skips the selector check (a ReplicationController without one).
    static func alwaysRunningTemplate(_ template: CoreV1.PodTemplateSpec?, selector: MetaV1.LabelSelector??,
                                      kind: String, path: FieldPath) -> [FieldError] {
        guard let template else { return [.required(path)] }
        var errors: [FieldError] = []
        if case .some(let selector) = selector {
            errors += selectorMatches(selector, labels: template.metadata.labels, labelsPath: path.child("metadata", "labels"))
        }
        errors += PodTemplateValidation.validate(template, path: path)
        errors += restartPolicyAlways(template, path: path)
        if template.spec?.activeDeadlineSeconds != nil {
            errors.append(.forbidden(path.child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in \(kind) is not Supported"))
        }
        return errors
    }

    static func restartPolicyAlways(_ template: CoreV1.PodTemplateSpec, path: FieldPath) -> [FieldError] {
        let policy = template.spec?.restartPolicy ?? ""
        return policy == "Always" ? [] : [.notSupported(path.child("spec", "restartPolicy"), .string(policy), supported: ["Always"])]
    }

    /// The selector invalid for conversion into a selector ("invalid label selector").
    static func convertibleSelector(_ selector: MetaV1.LabelSelector?, path: FieldPath, detail: String = "invalid label selector") -> [FieldError] {
        FieldChecks.selector(FieldChecks.presentSelector(selector)) == nil
            ? [.invalid(path, GoValueText.selectorValue(selector), detail)] : []
    }

    /// apps/v1 selectors are immutable.
    static func selectorImmutable(_ new: MetaV1.LabelSelector?, _ old: MetaV1.LabelSelector?, path: FieldPath) -> [FieldError] {
        FieldChecks.immutable(FieldChecks.presentSelector(new), FieldChecks.presentSelector(old), path,
                              shown: GoValueText.selectorValue(new))
    }

    /// ValidateRollingUpdateDeployment-style amounts: non-negative or a percentage, at most 100%.
    static func rollingAmount(_ value: IntOrString?, path: FieldPath) -> [FieldError] {
        FieldChecks.positiveIntOrPercent(value, path) + FieldChecks.notMoreThan100Percent(value, path)
    }
}
