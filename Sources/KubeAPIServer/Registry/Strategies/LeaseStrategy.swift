import KubeModel

/// Leases (coordination/v1): a positive duration, non-negative transitions, and a preferred
/// holder only with a strategy.
struct LeaseStrategy: ResourceStrategy {
    typealias Object = CoordinationV1.Lease

    func validate(_ lease: CoordinationV1.Lease) -> [FieldError] {
        let spec = lease.spec
        let path = FieldPath("spec")
        var errors: [FieldError] = []
        if let duration = spec.leaseDurationSeconds, duration <= 0 {
            errors.append(.invalid(path.child("leaseDurationSeconds"), .int(Int64(duration)), "must be greater than 0"))
        }
        if let transitions = spec.leaseTransitions, transitions < 0 {
            errors.append(.invalid(path.child("leaseTransitions"), .int(Int64(transitions)), ValidationMessages.negative))
        }
        if let strategy = spec.strategy {
            // Known strategies, or a domain-prefixed one of someone else's.
            if strategy != "OldestEmulationVersion" && !strategy.contains("/") {
                errors.append(.notSupported(path.child("strategy"), .string(strategy), supported: ["OldestEmulationVersion"]))
            } else if strategy.contains("/") {
                errors += FieldChecks.qualifiedName(strategy, path.child("strategy"))
            }
        }
        if let holder = spec.preferredHolder, !holder.isEmpty, (spec.strategy ?? "").isEmpty {
            errors.append(.forbidden(path.child("preferredHolder"), "may only be specified if `strategy` is defined"))
        }
        return errors
    }

    func validateUpdate(_ lease: CoordinationV1.Lease, old: CoordinationV1.Lease) -> [FieldError] {
        validate(lease)
    }
}
