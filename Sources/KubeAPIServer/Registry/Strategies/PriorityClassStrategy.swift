import KubeModel

/// PriorityClasses (scheduling/v1): PreemptLowerPriority by default; user classes stay at or
/// below one billion, `system-` names are reserved for the built-in classes; the value and
/// preemption policy never change.
struct PriorityClassStrategy: ResourceStrategy {
    typealias Object = SchedulingV1.PriorityClass

    static let highestUserDefinablePriority = 1_000_000_000
    static let systemClasses = ["system-cluster-critical": 2_000_000_000, "system-node-critical": 2_000_001_000]

    func applyDefaults(_ priorityClass: inout SchedulingV1.PriorityClass) {
        if priorityClass.preemptionPolicy == nil { priorityClass.preemptionPolicy = "PreemptLowerPriority" }
        // Go's non-pointer value always serializes.
        if priorityClass.value == nil { priorityClass.value = 0 }
    }

    func validate(_ priorityClass: SchedulingV1.PriorityClass) -> [FieldError] {
        var errors: [FieldError] = []
        let name = priorityClass.metadata.name ?? ""
        let value = priorityClass.value ?? 0
        if name.hasPrefix("system-") {
            let problem: String?
            if let expected = Self.systemClasses[name] {
                if value != expected {
                    problem = "value of \(name) PriorityClass must be \(expected)"
                } else if priorityClass.globalDefault == true {
                    problem = "globalDefault of \(name) PriorityClass must be false"
                } else {
                    problem = nil
                }
            } else {
                problem = "\(name) is not a known system priority class"
            }
            if let problem {
                errors.append(.forbidden(FieldPath("metadata", "name"),
                                         "priority class names with 'system-' prefix are reserved for system use only. error: \(problem)"))
            }
        } else if value > Self.highestUserDefinablePriority {
            errors.append(.forbidden(FieldPath("value"), "maximum allowed value of a user defined priority is \(Self.highestUserDefinablePriority)"))
        }
        if let policy = priorityClass.preemptionPolicy {
            errors += FieldChecks.requiredOneOf(policy, FieldPath("preemptionPolicy"), ["PreemptLowerPriority", "Never"])
        }
        return errors
    }

    func validateUpdate(_ priorityClass: SchedulingV1.PriorityClass, old: SchedulingV1.PriorityClass) -> [FieldError] {
        var errors = validate(priorityClass)
        if priorityClass.value != old.value { errors.append(.forbidden(FieldPath("value"), "may not be changed in an update.")) }
        errors += FieldChecks.immutable(priorityClass.preemptionPolicy, old.preemptionPolicy, FieldPath("preemptionPolicy"),
                                        shown: FieldChecks.optionalStringValue(priorityClass.preemptionPolicy))
        return errors
    }
}
