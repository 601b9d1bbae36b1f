import KubeModel

/// Jobs (batch/v1): upstream's defaults (one completion and one pod when neither is given,
/// backoffLimit 6, NonIndexed, not suspended, no manual selector, pod replacement policy), the
/// generated selector and labels on create, ValidateJob and ValidateJobSpecUpdate (the
/// template is immutable except scheduling directives of a suspended job that never ran);
/// `status.successful` is selectable.
struct JobStrategy: ResourceStrategy {
    typealias Object = BatchV1.Job
    var tracksGeneration: Bool { true }

    static let controllerUIDLabel = "batch.kubernetes.io/controller-uid"
    static let jobNameLabel = "batch.kubernetes.io/job-name"
    static let legacyControllerUIDLabel = "controller-uid"
    static let legacyJobNameLabel = "job-name"
    static let restartPolicies = ["OnFailure", "Never"]
    static let maxParallelismForIndexedJob = 100_000
    static let maxCompletionsForIndexedJob = 100_000

    func applyDefaults(_ job: inout BatchV1.Job) {
        var spec = job.spec
        if spec.completions == nil && spec.parallelism == nil {
            spec.completions = 1
            spec.parallelism = 1
        }
        if spec.parallelism == nil { spec.parallelism = 1 }
        if spec.backoffLimit == nil { spec.backoffLimit = spec.backoffLimitPerIndex != nil ? PodSpecValidator.maxInt32 : 6 }
        if let labels = spec.template.metadata.labels, (job.metadata.labels ?? [:]).isEmpty { job.metadata.labels = labels }
        if spec.completionMode == nil { spec.completionMode = "NonIndexed" }
        if spec.suspend == nil { spec.suspend = false }
        if spec.manualSelector == nil { spec.manualSelector = false }
        if var policy = spec.podFailurePolicy {
            for index in policy.rules.indices {
                guard var conditions = policy.rules[index].onPodConditions else { continue }
                for conditionIndex in conditions.indices where (conditions[conditionIndex].status ?? "").isEmpty {
                    conditions[conditionIndex].status = "True"
                }
                policy.rules[index].onPodConditions = conditions
            }
            spec.podFailurePolicy = policy
        }
        if spec.podReplacementPolicy == nil { spec.podReplacementPolicy = spec.podFailurePolicy != nil ? "Failed" : "TerminatingOrFailed" }
        PodSpecDefaults.apply(template: &spec.template)
        job.spec = spec
    }

    func prepareForCreate(_ job: inout BatchV1.Job) {
        // Upstream defaults while decoding, so the job's labels come from the template as the
        // user wrote it, before the generated labels are added.
        applyDefaults(&job)
        if job.spec.manualSelector != true { generateSelector(&job) }
    }

    /// The job-name and controller-uid labels on the template, and a selector on the uid.
    func generateSelector(_ job: inout BatchV1.Job) {
        let name = job.metadata.name ?? ""
        let uid = job.metadata.uid ?? ""
        var labels = job.spec.template.metadata.labels ?? [:]
        for key in [Self.legacyJobNameLabel, Self.jobNameLabel] where labels[key] == nil { labels[key] = name }
        for key in [Self.legacyControllerUIDLabel, Self.controllerUIDLabel] where labels[key] == nil { labels[key] = uid }
        job.spec.template.metadata.labels = labels
        var selector = job.spec.selector ?? MetaV1.LabelSelector()
        var matchLabels = selector.matchLabels ?? [:]
        if matchLabels[Self.controllerUIDLabel] == nil { matchLabels[Self.controllerUIDLabel] = uid }
        selector.matchLabels = matchLabels
        job.spec.selector = selector
    }

    func validate(_ job: BatchV1.Job) -> [FieldError] {
        var errors = validateGeneratedSelector(job)
        errors += Self.validateSpec(job.spec, path: FieldPath("spec"))
        if job.spec.completionMode == "Indexed", let completions = job.spec.completions, completions > 0 {
            let hostname = "\(job.metadata.name ?? "")-\(completions - 1)"
            if !Validation.isDNS1123Label(hostname).isEmpty {
                errors.append(.invalid(FieldPath("metadata", "name"), .string(job.metadata.name ?? ""),
                                       "will not able to create pod with invalid DNS label: \(hostname)"))
            }
        }
        return errors
    }

    /// A generated selector must be the one on this job's uid, and the template must carry it.
    func validateGeneratedSelector(_ job: BatchV1.Job) -> [FieldError] {
        if job.spec.manualSelector == true { return [] }
        let labelsPath = FieldPath("spec", "template", "metadata", "labels")
        let labels = job.spec.template.metadata.labels
        guard let labels, labels[Self.controllerUIDLabel] != nil || labels[Self.legacyControllerUIDLabel] != nil else {
            return [.invalid(labelsPath, GoValueText.labelsValue(labels),
                             "must include a label with key controller-uid or batch.kubernetes.io/controller-uid")]
        }
        let uid = job.metadata.uid ?? ""
        var errors: [FieldError] = []
        if uid.isEmpty { errors.append(.internalError(FieldPath("metadata", "uid"), "uid for selector unset")) }
        if let value = labels[Self.controllerUIDLabel], value != uid {
            errors.append(.invalid(labelsPath.key(Self.controllerUIDLabel), .string(value), "must be '\(uid)'"))
        }
        guard let selector = job.spec.selector else { return errors + [.required(FieldPath("spec", "selector"))] }
        if selector.matchLabels?[Self.controllerUIDLabel] != uid {
            errors.append(.invalid(FieldPath("spec", "selector"), GoValueText.selectorValue(selector), "`selector` not auto-generated"))
        }
        return errors
    }

    /// ValidateJobSpec: the job spec's own rules, a selector, and a template it selects.
    static func validateSpec(_ spec: BatchV1.JobSpec, path: FieldPath) -> [FieldError] {
        var errors = validateJobSpec(spec, path: path)
        if let selector = spec.selector {
            errors += FieldChecks.labelSelector(selector, path.child("selector"))
        } else {
            errors.append(.required(path.child("selector")))
        }
        if let compiled = FieldChecks.selector(spec.selector), !compiled.matches(spec.template.metadata.labels ?? [:]) {
            errors.append(.invalid(path.child("template", "metadata", "labels"), GoValueText.labelsValue(spec.template.metadata.labels),
                                   WorkloadValidation.selectorMismatch))
        }
        return errors
    }

    /// validateJobSpec: what a Job and a CronJob's job template both check.
    static func validateJobSpec(_ spec: BatchV1.JobSpec, path: FieldPath) -> [FieldError] {
        var errors = FieldChecks.nonNegative(spec.parallelism, path.child("parallelism"))
        errors += FieldChecks.nonNegative(spec.completions, path.child("completions"))
        errors += FieldChecks.nonNegative(spec.activeDeadlineSeconds, path.child("activeDeadlineSeconds"))
        errors += FieldChecks.nonNegative(spec.backoffLimit, path.child("backoffLimit"))
        errors += FieldChecks.nonNegative(spec.ttlSecondsAfterFinished, path.child("ttlSecondsAfterFinished"))
        let indexed = spec.completionMode == "Indexed"
        if let perIndex = spec.backoffLimitPerIndex {
            errors += FieldChecks.nonNegative(perIndex, path.child("backoffLimitPerIndex"))
            if !indexed {
                errors.append(.forbidden(path.child("backoffLimitPerIndex"), "requires indexed completion mode"))
            }
        }
        if let maxFailed = spec.maxFailedIndexes {
            errors += FieldChecks.nonNegative(maxFailed, path.child("maxFailedIndexes"))
            if spec.backoffLimitPerIndex == nil {
                errors.append(.required(path.child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"))
            }
        }
        if let mode = spec.completionMode {
            errors += FieldChecks.oneOf(mode, path.child("completionMode"), ["NonIndexed", "Indexed"])
            if indexed {
                if spec.completions == nil {
                    errors.append(.required(path.child("completions"), "when completion mode is Indexed"))
                }
                if let parallelism = spec.parallelism, parallelism > maxParallelismForIndexedJob {
                    errors.append(.invalid(path.child("parallelism"), .int(Int64(parallelism)),
                                           "must be less than or equal to \(maxParallelismForIndexedJob) when completion mode is Indexed"))
                }
                if let completions = spec.completions, completions > maxCompletionsForIndexedJob {
                    errors.append(.invalid(path.child("completions"), .int(Int64(completions)),
                                           "must be less than or equal to \(maxCompletionsForIndexedJob) when completion mode is Indexed"))
                }
            }
        }
        if let policy = spec.podFailurePolicy {
            errors += validatePodFailurePolicy(policy, spec: spec, path: path.child("podFailurePolicy"))
        }
        if let replacement = spec.podReplacementPolicy {
            errors += FieldChecks.oneOf(replacement, path.child("podReplacementPolicy"), ["Failed", "TerminatingOrFailed"])
            if spec.podFailurePolicy != nil, replacement != "Failed" {
                errors.append(.notSupported(path.child("podReplacementPolicy"), .string(replacement), supported: ["Failed"]))
            }
        }
        let templatePath = path.child("template")
        errors += PodTemplateValidation.validate(spec.template, path: templatePath)
        let restartPolicy = spec.template.spec?.restartPolicy ?? ""
        let restartPath = templatePath.child("spec", "restartPolicy")
        if restartPolicy == "Always" || restartPolicy.isEmpty {
            errors.append(.required(restartPath, "valid values: [\"OnFailure\" \"Never\"]"))
        } else if !restartPolicies.contains(restartPolicy) {
            errors.append(.notSupported(restartPath, .string(restartPolicy), supported: restartPolicies))
        } else if spec.podFailurePolicy != nil, restartPolicy != "Never" {
            errors.append(.invalid(restartPath, .string(restartPolicy), "only \"Never\" is supported when podFailurePolicy is specified"))
        }
        return errors
    }

    static func validatePodFailurePolicy(_ policy: BatchV1.PodFailurePolicy, spec: BatchV1.JobSpec, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let rulesPath = path.child("rules")
        if policy.rules.count > 20 { errors.append(.tooMany(rulesPath, actual: policy.rules.count, max: 20)) }
        let actions = ["Count", "FailIndex", "FailJob", "Ignore"]
        for (index, rule) in policy.rules.enumerated() {
            let rulePath = rulesPath.index(index)
            if rule.action.isEmpty {
                errors.append(.required(rulePath.child("action"), "valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]"))
            } else if rule.action == "FailIndex" {
                if spec.backoffLimitPerIndex == nil {
                    errors.append(.invalid(rulePath.child("action"), .string(rule.action), "requires the backoffLimitPerIndex to be set"))
                }
            } else {
                errors += FieldChecks.oneOf(rule.action, rulePath.child("action"), actions)
            }
            if let onExitCodes = rule.onExitCodes {
                let codesPath = rulePath.child("onExitCodes")
                errors += FieldChecks.requiredOneOf(onExitCodes.operator, codesPath.child("operator"), ["In", "NotIn"])
                if onExitCodes.values.isEmpty { errors.append(.required(codesPath.child("values"), "at least one value is required")) }
            }
            let hasConditions = !(rule.onPodConditions ?? []).isEmpty
            if rule.onExitCodes != nil && hasConditions {
                errors.append(.invalid(rulePath, .omitted, "specifying both OnExitCodes and OnPodConditions is not supported"))
            } else if rule.onExitCodes == nil && !hasConditions {
                errors.append(.invalid(rulePath, .omitted, "specifying one of OnExitCodes and OnPodConditions is required"))
            }
        }
        return errors
    }

    func validateUpdate(_ job: BatchV1.Job, old: BatchV1.Job) -> [FieldError] {
        let path = FieldPath("spec")
        var errors = validate(job)
        let spec = job.spec
        let oldSpec = old.spec
        let completionsPath = path.child("completions")
        if spec.completionMode == "Indexed" {
            // Elastic indexed jobs: completions may change together with parallelism.
            if let completions = spec.completions, spec.completions != oldSpec.completions, completions != spec.parallelism {
                errors.append(.invalid(completionsPath, .int(Int64(completions)), "can only be modified in tandem with spec.parallelism"))
            }
        } else {
            errors += FieldChecks.immutable(spec.completions, oldSpec.completions, completionsPath,
                                            shown: FieldChecks.optionalIntValue(spec.completions))
        }
        errors += FieldChecks.immutable(spec.selector, oldSpec.selector, path.child("selector"), shown: GoValueText.selectorValue(spec.selector))
        var oldTemplate = oldSpec.template
        if oldSpec.suspend == true, old.status.startTime == nil {
            // A suspended job that never started may change where its pods run.
            if var oldPodSpec = oldTemplate.spec, let newPodSpec = spec.template.spec {
                oldPodSpec.nodeSelector = newPodSpec.nodeSelector
                oldPodSpec.tolerations = newPodSpec.tolerations
                oldPodSpec.schedulingGates = newPodSpec.schedulingGates
                if newPodSpec.affinity == nil, var affinity = oldPodSpec.affinity {
                    affinity.nodeAffinity = nil
                    oldPodSpec.affinity = affinity == CoreV1.Affinity() ? nil : affinity
                } else if let newAffinity = newPodSpec.affinity {
                    var affinity = oldPodSpec.affinity ?? CoreV1.Affinity()
                    affinity.nodeAffinity = newAffinity.nodeAffinity
                    oldPodSpec.affinity = affinity
                }
                oldTemplate.spec = oldPodSpec
            }
            oldTemplate.metadata.labels = spec.template.metadata.labels
            oldTemplate.metadata.annotations = spec.template.metadata.annotations
        }
        errors += FieldChecks.immutable(spec.template, oldTemplate, path.child("template"), shown: GoValueText.jsonValue(spec.template))
        errors += FieldChecks.immutable(spec.completionMode, oldSpec.completionMode, path.child("completionMode"),
                                        shown: FieldChecks.optionalStringValue(spec.completionMode))
        errors += FieldChecks.immutable(spec.podFailurePolicy, oldSpec.podFailurePolicy, path.child("podFailurePolicy"),
                                        shown: GoValueText.jsonValue(spec.podFailurePolicy))
        errors += FieldChecks.immutable(spec.backoffLimitPerIndex, oldSpec.backoffLimitPerIndex, path.child("backoffLimitPerIndex"),
                                        shown: FieldChecks.optionalIntValue(spec.backoffLimitPerIndex))
        errors += FieldChecks.immutable(spec.managedBy, oldSpec.managedBy, path.child("managedBy"),
                                        shown: FieldChecks.optionalStringValue(spec.managedBy))
        errors += FieldChecks.immutable(spec.successPolicy, oldSpec.successPolicy, path.child("successPolicy"),
                                        shown: GoValueText.jsonValue(spec.successPolicy))
        errors += FieldChecks.immutable(spec.podReplacementPolicy, oldSpec.podReplacementPolicy, path.child("podReplacementPolicy"),
                                        shown: FieldChecks.optionalStringValue(spec.podReplacementPolicy))
        return errors
    }

    func selectableFields(_ job: BatchV1.Job) -> [String: String] {
        ["status.successful": String(job.status.succeeded ?? 0)]
    }
}
