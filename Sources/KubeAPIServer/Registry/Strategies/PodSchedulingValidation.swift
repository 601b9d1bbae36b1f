import KubeModel

/// Upstream's checks of the scheduling parts of a PodSpec: affinity, tolerations, taints and
/// topology spread constraints.
enum PodSchedulingValidation {
    static let taintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]

    // MARK: Affinity

    static func validateAffinity(_ affinity: CoreV1.Affinity?, path: FieldPath) -> [FieldError] {
        guard let affinity else { return [] }
        var errors: [FieldError] = []
        if let node = affinity.nodeAffinity {
            let nodePath = path.child("nodeAffinity")
            if let required = node.requiredDuringSchedulingIgnoredDuringExecution {
                errors += validateNodeSelector(required, path: nodePath.child("requiredDuringSchedulingIgnoredDuringExecution"))
            }
            for (index, term) in (node.preferredDuringSchedulingIgnoredDuringExecution ?? []).enumerated() {
                let termPath = nodePath.child("preferredDuringSchedulingIgnoredDuringExecution").index(index)
                errors += weight(term.weight, termPath.child("weight"))
                errors += validateNodeSelectorTerm(term.preference, path: termPath.child("preference"))
            }
        }
        if let pod = affinity.podAffinity {
            errors += validatePodAffinityTerms(required: pod.requiredDuringSchedulingIgnoredDuringExecution,
                                               preferred: pod.preferredDuringSchedulingIgnoredDuringExecution,
                                               path: path.child("podAffinity"))
        }
        if let anti = affinity.podAntiAffinity {
            errors += validatePodAffinityTerms(required: anti.requiredDuringSchedulingIgnoredDuringExecution,
                                               preferred: anti.preferredDuringSchedulingIgnoredDuringExecution,
                                               path: path.child("podAntiAffinity"))
        }
        return errors
    }

    static func validatePodAffinityTerms(required: [CoreV1.PodAffinityTerm]?, preferred: [CoreV1.WeightedPodAffinityTerm]?,
                                         path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, term) in (required ?? []).enumerated() {
            errors += validatePodAffinityTerm(term, path: path.child("requiredDuringSchedulingIgnoredDuringExecution").index(index))
        }
        for (index, weighted) in (preferred ?? []).enumerated() {
            let termPath = path.child("preferredDuringSchedulingIgnoredDuringExecution").index(index)
            errors += weight(weighted.weight, termPath.child("weight"))
            errors += validatePodAffinityTerm(weighted.podAffinityTerm, path: termPath.child("podAffinityTerm"))
        }
        return errors
    }

    static func weight(_ value: Int, _ path: FieldPath) -> [FieldError] {
        (1...100).contains(value) ? [] : [.invalid(path, .int(Int64(value)), "must be in the range 1-100")]
    }

    static func validateNodeSelector(_ selector: CoreV1.NodeSelector, path: FieldPath) -> [FieldError] {
        let termsPath = path.child("nodeSelectorTerms")
        if selector.nodeSelectorTerms.isEmpty { return [.required(termsPath, "must have at least one node selector term")] }
        return selector.nodeSelectorTerms.enumerated().flatMap { validateNodeSelectorTerm($0.element, path: termsPath.index($0.offset)) }
    }

    static func validateNodeSelectorTerm(_ term: CoreV1.NodeSelectorTerm, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, requirement) in (term.matchExpressions ?? []).enumerated() {
            errors += validateNodeSelectorRequirement(requirement, path: path.child("matchExpressions").index(index))
        }
        for (index, requirement) in (term.matchFields ?? []).enumerated() {
            let requirementPath = path.child("matchFields").index(index)
            let values = requirement.values ?? []
            switch requirement.operator {
            case "In", "NotIn":
                if values.count != 1 {
                    errors.append(.required(requirementPath.child("values"),
                                            "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"))
                }
            default:
                errors.append(.invalid(requirementPath.child("operator"), .string(requirement.operator), "not a valid selector operator"))
            }
            if requirement.key != "metadata.name" {
                errors.append(.invalid(requirementPath.child("key"), .string(requirement.key), "not a valid field selector key"))
            } else {
                for (valueIndex, value) in values.enumerated() {
                    errors += FieldChecks.dns1123Subdomain(value, requirementPath.child("values").index(valueIndex))
                }
            }
        }
        return errors
    }

    static func validateNodeSelectorRequirement(_ requirement: CoreV1.NodeSelectorRequirement, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let values = requirement.values ?? []
        switch requirement.operator {
        case "In", "NotIn":
            if values.isEmpty { errors.append(.required(path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'")) }
        case "Exists", "DoesNotExist":
            if !values.isEmpty {
                errors.append(.forbidden(path.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
            }
        case "Gt", "Lt":
            if values.count != 1 {
                errors.append(.required(path.child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"))
            }
        default:
            errors.append(.invalid(path.child("operator"), .string(requirement.operator), "not a valid selector operator"))
        }
        errors += Validation.validateLabelName(requirement.key, path: path.child("key"))
        for (index, value) in values.enumerated() { errors += FieldChecks.labelValue(value, path.child("values").index(index)) }
        return errors
    }

    static func validatePodAffinityTerm(_ term: CoreV1.PodAffinityTerm, path: FieldPath) -> [FieldError] {
        var errors = FieldChecks.labelSelector(term.labelSelector, path.child("labelSelector"))
        errors += FieldChecks.labelSelector(term.namespaceSelector, path.child("namespaceSelector"))
        for namespace in term.namespaces ?? [] { errors += FieldChecks.dns1123Label(namespace, path.child("namespace")) }
        if term.topologyKey.isEmpty { errors.append(.required(path.child("topologyKey"), "can not be empty")) }
        errors += Validation.validateLabelName(term.topologyKey, path: path.child("topologyKey"))
        return errors
    }

    // MARK: Tolerations and taints

    static func validateTolerations(_ tolerations: [CoreV1.Toleration], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, toleration) in tolerations.enumerated() {
            let tolerationPath = path.index(index)
            let key = toleration.key ?? ""
            let operation = toleration.operator ?? ""
            let effect = toleration.effect ?? ""
            if !key.isEmpty { errors += Validation.validateLabelName(key, path: tolerationPath.child("key")) }
            if key.isEmpty && operation != "Exists" {
                errors.append(.invalid(tolerationPath.child("operator"), .string(operation),
                                       "operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
            }
            if toleration.tolerationSeconds != nil && effect != "NoExecute" {
                errors.append(.invalid(tolerationPath.child("effect"), .string(effect), "effect must be 'NoExecute' when `tolerationSeconds` is set"))
            }
            switch operation {
            case "Equal", "":
                let messages = Validation.isValidLabelValue(toleration.value ?? "")
                if !messages.isEmpty {
                    errors.append(.invalid(tolerationPath.child("operator"), .string(toleration.value ?? ""), messages.joined(separator: ";")))
                }
            case "Exists":
                if !(toleration.value ?? "").isEmpty {
                    errors.append(.invalid(tolerationPath.child("operator"), .rendered(tolerationText(toleration)),
                                           "value must be empty when `operator` is 'Exists'"))
                }
            default:
                errors.append(.notSupported(tolerationPath.child("operator"), .string(operation), supported: ["Equal", "Exists"]))
            }
            if !effect.isEmpty { errors += FieldChecks.oneOf(effect, tolerationPath.child("effect"), taintEffects) }
        }
        return errors
    }

    static func tolerationText(_ toleration: CoreV1.Toleration) -> String {
        let seconds = toleration.tolerationSeconds.map { "(*int64)(\($0))" } ?? "(*int64)(nil)"
        return "core.Toleration{Key:\(GoValueText.quote(toleration.key ?? "")), Operator:\(GoValueText.quote(toleration.operator ?? "")), "
            + "Value:\(GoValueText.quote(toleration.value ?? "")), Effect:\(GoValueText.quote(toleration.effect ?? "")), TolerationSeconds:\(seconds)}"
    }

    /// validateNodeTaints: valid keys and values, an effect, unique by key and effect.
    static func validateTaints(_ taints: [CoreV1.Taint], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var seen = Set<String>()
        for (index, taint) in taints.enumerated() {
            let taintPath = path.index(index)
            errors += Validation.validateLabelName(taint.key, path: taintPath.child("key"))
            let messages = Validation.isValidLabelValue(taint.value ?? "")
            if !messages.isEmpty {
                errors.append(.invalid(taintPath.child("value"), .string(taint.value ?? ""), messages.joined(separator: ";")))
            }
            errors += FieldChecks.requiredOneOf(taint.effect, taintPath.child("effect"), taintEffects)
            if !seen.insert(taint.effect + "\u{0}" + taint.key).inserted {
                errors.append(FieldError(type: .duplicate, field: taintPath,
                                         badValue: .rendered("core.Taint{Key:\(GoValueText.quote(taint.key)), Value:\(GoValueText.quote(taint.value ?? "")), Effect:\(GoValueText.quote(taint.effect)), TimeAdded:<nil>}"),
                                         detail: "taints must be unique by key and effect pair"))
            }
        }
        return errors
    }

    // MARK: Topology spread

    static func validateTopologySpreadConstraints(_ constraints: [CoreV1.TopologySpreadConstraint], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, constraint) in constraints.enumerated() {
            let constraintPath = path.index(index)
            if constraint.maxSkew <= 0 {
                errors.append(.invalid(constraintPath.child("maxSkew"), .int(Int64(constraint.maxSkew)), FieldChecks.notPositive))
            }
            if constraint.topologyKey.isEmpty { errors.append(.required(constraintPath.child("topologyKey"), "can not be empty")) }
            errors += FieldChecks.oneOf(constraint.whenUnsatisfiable, constraintPath.child("whenUnsatisfiable"), ["DoNotSchedule", "ScheduleAnyway"])
            if constraints[(index + 1)...].contains(where: {
                $0.topologyKey == constraint.topologyKey && $0.whenUnsatisfiable == constraint.whenUnsatisfiable
            }) {
                errors.append(.duplicate(constraintPath.child("{topologyKey, whenUnsatisfiable}"),
                                         .string("{\(constraint.topologyKey), \(constraint.whenUnsatisfiable)}")))
            }
            if let minDomains = constraint.minDomains {
                if minDomains <= 0 {
                    errors.append(.invalid(constraintPath.child("minDomains"), .int(Int64(minDomains)), FieldChecks.notPositive))
                }
                if constraint.whenUnsatisfiable != "DoNotSchedule" {
                    errors.append(.invalid(constraintPath.child("minDomains"), .int(Int64(minDomains)),
                                           "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not \(constraint.whenUnsatisfiable)"))
                }
            }
            errors += FieldChecks.oneOf(constraint.nodeAffinityPolicy, constraintPath.child("nodeAffinityPolicy"), ["Honor", "Ignore"])
            errors += FieldChecks.oneOf(constraint.nodeTaintsPolicy, constraintPath.child("nodeTaintsPolicy"), ["Honor", "Ignore"])
            errors += FieldChecks.labelSelector(constraint.labelSelector, constraintPath.child("labelSelector"))
        }
        return errors
    }
}
