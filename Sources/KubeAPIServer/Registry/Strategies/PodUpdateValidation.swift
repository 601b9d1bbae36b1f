import KubeModel

/// Upstream's ValidatePodUpdate: a running pod's spec is immutable except container images,
/// activeDeadlineSeconds (set or lowered), additions to tolerations, removal of scheduling
/// gates and terminationGracePeriodSeconds going from negative to 1.
enum PodUpdateValidation {
    static let forbiddenMessage = "pod updates may not change fields other than `spec.containers[*].image`,"
        + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),"
        + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"

    static func validate(_ pod: CoreV1.Pod, old: CoreV1.Pod) -> [FieldError] {
        let specPath = FieldPath("spec")
        var errors: [FieldError] = []
        for (new, old, name) in [(pod.spec.containers, old.spec.containers, "containers"),
                                 (pod.spec.initContainers ?? [], old.spec.initContainers ?? [], "initContainers")] {
            let path = specPath.child(name)
            if new.count != old.count {
                return errors + [.forbidden(path, "pod updates may not add or remove containers")]
            }
            for (index, container) in new.enumerated() {
                let image = container.image ?? ""
                if image.isEmpty { errors.append(.required(path.index(index).child("image"))) }
                if image.trimmingASCIISpaces() != image {
                    errors.append(.invalid(path.index(index).child("image"), .string(image), "must not have leading or trailing whitespace"))
                }
            }
        }

        let deadlinePath = specPath.child("activeDeadlineSeconds")
        if let deadline = pod.spec.activeDeadlineSeconds {
            if deadline < 0 || deadline > PodSpecValidator.maxInt32 {
                return errors + [.invalid(deadlinePath, .int(Int64(deadline)), ValidationMessages.inclusiveRange(0, PodSpecValidator.maxInt32))]
            }
            if let previous = old.spec.activeDeadlineSeconds, previous < deadline {
                return errors + [.invalid(deadlinePath, .int(Int64(deadline)), "must be less than or equal to previous value")]
            }
        } else if old.spec.activeDeadlineSeconds != nil {
            errors.append(.invalid(deadlinePath, .null, "must not update from a positive integer to nil value"))
        }

        errors += onlyAddedTolerations(pod.spec.tolerations ?? [], old: old.spec.tolerations ?? [], path: specPath.child("tolerations"))
        let oldGates = Set((old.spec.schedulingGates ?? []).map(\.name))
        for gate in pod.spec.schedulingGates ?? [] where !oldGates.contains(gate.name) {
            errors.append(.forbidden(specPath.child("schedulingGates"), "only deletion is allowed, but found new scheduling gate '\(gate.name)'"))
        }
        if pod.spec == old.spec { return errors }

        // Put the mutable fields back as they were; anything still different is forbidden.
        var munged = pod.spec
        for index in munged.containers.indices { munged.containers[index].image = old.spec.containers[index].image }
        if var initContainers = munged.initContainers, let oldInit = old.spec.initContainers {
            for index in initContainers.indices { initContainers[index].image = oldInit[index].image }
            munged.initContainers = initContainers
        }
        munged.activeDeadlineSeconds = old.spec.activeDeadlineSeconds
        munged.schedulingGates = old.spec.schedulingGates
        munged.tolerations = old.spec.tolerations
        if let previous = old.spec.terminationGracePeriodSeconds, previous < 0, munged.terminationGracePeriodSeconds == 1 {
            munged.terminationGracePeriodSeconds = previous
        }
        if munged != old.spec {
            errors.append(.forbidden(specPath, forbiddenMessage + "\n" + specDiff(old: old.spec, new: munged)))
        }
        return errors
    }

    /// Existing tolerations may only change their tolerationSeconds.
    static func onlyAddedTolerations(_ tolerations: [CoreV1.Toleration], old: [CoreV1.Toleration], path: FieldPath) -> [FieldError] {
        for existing in old {
            let kept = tolerations.contains { candidate in
                var comparable = existing
                comparable.tolerationSeconds = candidate.tolerationSeconds
                return comparable == candidate
            }
            if !kept { return [.forbidden(path, "existing toleration can not be modified except its tolerationSeconds")] }
        }
        return PodSchedulingValidation.validateTolerations(tolerations, path: path)
    }

    /// A short account of what differs, in the spirit of upstream's cmp.Diff.
    static func specDiff(old: CoreV1.PodSpec, new: CoreV1.PodSpec) -> String {
        let before = old.toJSON().objectValue ?? [:]
        let after = new.toJSON().objectValue ?? [:]
        var lines = ["  core.PodSpec{"]
        for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
            if let value = before[key] { lines.append("- \t\(key): \(String(decoding: JSONWriter.bytes(value), as: UTF8.self)),") }
            if let value = after[key] { lines.append("+ \t\(key): \(String(decoding: JSONWriter.bytes(value), as: UTF8.self)),") }
        }
        lines.append("  }")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// Without leading and trailing ASCII whitespace (Go's strings.TrimSpace for ASCII input).
    func trimmingASCIISpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
