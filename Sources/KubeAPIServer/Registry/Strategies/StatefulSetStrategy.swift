import KubeModel

/// StatefulSets (apps/v1): upstream's defaults (OrderedReady, RollingUpdate with partition 0,
/// Retain/Retain claim retention, one replica, ten revisions, claim-template defaults),
/// ValidateStatefulSetSpec, and a spec immutable but for the fields upstream lets change.
/// Names are DNS labels: they become the pods' names and hostnames with an ordinal suffix.
struct StatefulSetStrategy: ResourceStrategy {
    typealias Object = AppsV1.StatefulSet
    var tracksGeneration: Bool { true }
    var nameValidation: NameValidation { .dns1123Label }

    static let immutableMessage = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
        + "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"

    func applyDefaults(_ statefulSet: inout AppsV1.StatefulSet) {
        var spec = statefulSet.spec
        if (spec.podManagementPolicy ?? "").isEmpty { spec.podManagementPolicy = "OrderedReady" }
        var strategy = spec.updateStrategy ?? AppsV1.StatefulSetUpdateStrategy()
        if (strategy.type ?? "").isEmpty {
            strategy.type = "RollingUpdate"
            if strategy.rollingUpdate == nil { strategy.rollingUpdate = AppsV1.RollingUpdateStatefulSetStrategy() }
        }
        if strategy.type == "RollingUpdate", var rollingUpdate = strategy.rollingUpdate {
            if rollingUpdate.partition == nil { rollingUpdate.partition = 0 }
            strategy.rollingUpdate = rollingUpdate
        }
        spec.updateStrategy = strategy
        var retention = spec.persistentVolumeClaimRetentionPolicy ?? AppsV1.StatefulSetPersistentVolumeClaimRetentionPolicy()
        if (retention.whenDeleted ?? "").isEmpty { retention.whenDeleted = "Retain" }
        if (retention.whenScaled ?? "").isEmpty { retention.whenScaled = "Retain" }
        spec.persistentVolumeClaimRetentionPolicy = retention
        if spec.replicas == nil { spec.replicas = 1 }
        if spec.revisionHistoryLimit == nil { spec.revisionHistoryLimit = 10 }
        PodSpecDefaults.apply(template: &spec.template)
        if var claims = spec.volumeClaimTemplates {
            for index in claims.indices { PersistentVolumeDefaults.applyClaim(&claims[index]) }
            spec.volumeClaimTemplates = claims
        }
        statefulSet.spec = spec
    }

    func validate(_ statefulSet: AppsV1.StatefulSet) -> [FieldError] {
        let spec = statefulSet.spec
        let path = FieldPath("spec")
        var errors: [FieldError] = []
        switch spec.podManagementPolicy ?? "" {
        case "": errors.append(.required(path.child("podManagementPolicy")))
        case "OrderedReady", "Parallel": break
        case let policy:
            errors.append(.invalid(path.child("podManagementPolicy"), .string(policy), "must be 'OrderedReady' or 'Parallel'"))
        }
        errors += validateUpdateStrategy(spec.updateStrategy, path: path.child("updateStrategy"))
        let retentionPath = path.child("persistentVolumeClaimRetentionPolicy")
        if let retention = spec.persistentVolumeClaimRetentionPolicy {
            errors += FieldChecks.requiredOneOf(retention.whenDeleted, retentionPath.child("whenDeleted"), ["Retain", "Delete"])
            errors += FieldChecks.requiredOneOf(retention.whenScaled, retentionPath.child("whenScaled"), ["Retain", "Delete"])
        }
        errors += FieldChecks.nonNegative(spec.replicas, path.child("replicas"))
        if let ordinals = spec.ordinals { errors += FieldChecks.nonNegative(ordinals.start, path.child("ordinals.start")) }
        errors += WorkloadValidation.requiredSelector(spec.selector, path: path.child("selector"))
        let selectorErrors = WorkloadValidation.convertibleSelector(spec.selector, path: path.child("selector"), detail: "")
        errors += selectorErrors
        if selectorErrors.isEmpty {
            let templatePath = path.child("template")
            errors += WorkloadValidation.selectorMatches(spec.selector, labels: spec.template.metadata.labels,
                                                         labelsPath: templatePath.child("metadata", "labels"))
            // The claim templates are volumes of every pod.
            let claimNames = (spec.volumeClaimTemplates ?? []).compactMap(\.metadata.name)
            errors += PodTemplateValidation.validate(spec.template, path: templatePath,
                                                     validator: PodSpecValidator(claimTemplateVolumes: claimNames))
        }
        errors += WorkloadValidation.restartPolicyAlways(spec.template, path: path.child("template"))
        if spec.template.spec?.activeDeadlineSeconds != nil {
            errors.append(.forbidden(path.child("template", "spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in StatefulSet is not Supported"))
        }
        errors += FieldChecks.nonNegative(spec.minReadySeconds, path.child("minReadySeconds"))
        return errors
    }

    func validateUpdateStrategy(_ strategy: AppsV1.StatefulSetUpdateStrategy?, path: FieldPath) -> [FieldError] {
        switch strategy?.type ?? "" {
        case "": return [.required(path)]
        case "OnDelete":
            guard strategy?.rollingUpdate != nil else { return [] }
            return [.invalid(path.child("rollingUpdate"), .rendered("apps.RollingUpdateStatefulSetStrategy{...}"),
                             "only allowed for updateStrategy 'RollingUpdate'")]
        case "RollingUpdate":
            guard let rollingUpdate = strategy?.rollingUpdate else { return [] }
            let updatePath = path.child("rollingUpdate")
            var errors = FieldChecks.nonNegative(rollingUpdate.partition, updatePath.child("partition"))
            if let maxUnavailable = rollingUpdate.maxUnavailable {
                errors += WorkloadValidation.rollingAmount(maxUnavailable, path: updatePath.child("maxUnavailable"))
                if FieldChecks.intOrPercentValue(maxUnavailable) == 0 {
                    errors.append(.invalid(updatePath.child("maxUnavailable"), GoValueText.intOrStringValue(maxUnavailable),
                                           "cannot be 0"))
                }
            }
            return errors
        case let type:
            return [.invalid(path, .rendered("apps.StatefulSetUpdateStrategy{Type:\(GoValueText.quote(type)), RollingUpdate:...}"),
                             "must be 'RollingUpdate' or 'OnDelete'")]
        }
    }

    func validateUpdate(_ statefulSet: AppsV1.StatefulSet, old: AppsV1.StatefulSet) -> [FieldError] {
        var errors = validate(statefulSet)
        var unchanged = statefulSet.spec
        unchanged.replicas = old.spec.replicas
        unchanged.template = old.spec.template
        unchanged.updateStrategy = old.spec.updateStrategy
        unchanged.minReadySeconds = old.spec.minReadySeconds
        unchanged.ordinals = old.spec.ordinals
        unchanged.revisionHistoryLimit = old.spec.revisionHistoryLimit
        unchanged.persistentVolumeClaimRetentionPolicy = old.spec.persistentVolumeClaimRetentionPolicy
        if unchanged != old.spec { errors.append(.forbidden(FieldPath("spec"), Self.immutableMessage)) }
        return errors
    }
}
