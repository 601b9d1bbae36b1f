import KubeModel

/// What the four RBAC kinds share: policy rules, role references and subjects, with the
/// defaults rbac/v1 gives references and subjects.
enum RBACValidation {
    static let groupName = "rbac.authorization.k8s.io"

    /// ValidatePolicyRule: verbs, and either resources with groups or (cluster-wide) URLs.
    static func validateRules(_ rules: [RbacV1.PolicyRule], namespaced: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, rule) in rules.enumerated() {
            let path = FieldPath("rules").index(index)
            if rule.verbs.isEmpty { errors.append(.required(path.child("verbs"), "verbs must contain at least one value")) }
            let urls = rule.nonResourceURLs ?? []
            if !urls.isEmpty {
                if namespaced {
                    errors.append(.invalid(path.child("nonResourceURLs"), .strings(urls), "namespaced rules cannot apply to non-resource URLs"))
                }
                if !(rule.apiGroups ?? []).isEmpty || !(rule.resources ?? []).isEmpty || !(rule.resourceNames ?? []).isEmpty {
                    errors.append(.invalid(path.child("nonResourceURLs"), .strings(urls),
                                           "rules cannot apply to both regular resources and non-resource URLs"))
                }
                continue
            }
            if (rule.apiGroups ?? []).isEmpty {
                errors.append(.required(path.child("apiGroups"), "resource rules must supply at least one api group"))
            }
            if (rule.resources ?? []).isEmpty {
                errors.append(.required(path.child("resources"), "resource rules must supply at least one resource"))
            }
        }
        return errors
    }

    /// SetDefaults_Subject and the role reference's group.
    static func applyDefaults(roleRef: inout RbacV1.RoleRef, subjects: inout [RbacV1.Subject]?) {
        if (roleRef.apiGroup ?? "").isEmpty { roleRef.apiGroup = groupName }
        guard var list = subjects else { return }
        for index in list.indices where (list[index].apiGroup ?? "").isEmpty {
            switch list[index].kind {
            case "User", "Group": list[index].apiGroup = groupName
            default: break
            }
        }
        subjects = list
    }

    static func validateBinding(roleRef: RbacV1.RoleRef, subjects: [RbacV1.Subject], kinds: [String], namespaced: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let refPath = FieldPath("roleRef")
        let group = roleRef.apiGroup ?? ""
        if group != groupName { errors.append(.notSupported(refPath.child("apiGroup"), .string(group), supported: [groupName])) }
        errors += FieldChecks.oneOf(roleRef.kind, refPath.child("kind"), kinds)
        if roleRef.name.isEmpty {
            errors.append(.required(refPath.child("name")))
        } else {
            errors += Validation.isValidPathSegmentName(roleRef.name).map { .invalid(refPath.child("name"), .string(roleRef.name), $0) }
        }
        for (index, subject) in subjects.enumerated() {
            errors += validateSubject(subject, namespaced: namespaced, path: FieldPath("subjects").index(index))
        }
        return errors
    }

    static func validateSubject(_ subject: RbacV1.Subject, namespaced: Bool, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if subject.name.isEmpty { errors.append(.required(path.child("name"))) }
        let group = subject.apiGroup ?? ""
        switch subject.kind {
        case "ServiceAccount":
            if !subject.name.isEmpty { errors += FieldChecks.dns1123Subdomain(subject.name, path.child("name")) }
            if !group.isEmpty { errors.append(.notSupported(path.child("apiGroup"), .string(group), supported: [""])) }
            if !namespaced && (subject.namespace ?? "").isEmpty { errors.append(.required(path.child("namespace"))) }
        case "User", "Group":
            if group != groupName { errors.append(.notSupported(path.child("apiGroup"), .string(group), supported: [groupName])) }
        default:
            errors.append(.notSupported(path.child("kind"), .string(subject.kind), supported: ["ServiceAccount", "User", "Group"]))
        }
        return errors
    }

    /// A binding's role reference never changes.
    static func roleRefUnchanged(_ new: RbacV1.RoleRef, _ old: RbacV1.RoleRef) -> [FieldError] {
        guard new != old else { return [] }
        let shown = "rbac.RoleRef{APIGroup:\(GoValueText.quote(new.apiGroup ?? "")), Kind:\(GoValueText.quote(new.kind)), Name:\(GoValueText.quote(new.name))}"
        return [.invalid(FieldPath("roleRef"), .rendered(shown), "cannot change roleRef")]
    }
}
