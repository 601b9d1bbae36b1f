extension Validation {
    public static let finalizerOrphanDependents = "orphan"
    public static let finalizerDeleteDependents = "foregroundDeletion"
    public static let finalizerKubernetes = "kubernetes"

    /// Finalizers the system defines, allowed without a domain prefix.
    public static let standardFinalizers: Set<String> = [
        finalizerKubernetes, finalizerOrphanDependents, finalizerDeleteDependents,
    ]

    /// metadata.finalizers: each a qualified name, and not both orphan and foregroundDeletion.
    public static func validateFinalizers(_ finalizers: [String], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for finalizer in finalizers { errors += validateFinalizerName(finalizer, path: path) }
        if finalizers.contains(finalizerOrphanDependents) && finalizers.contains(finalizerDeleteDependents) {
            errors.append(
                .invalid(
                    path, .strings(finalizers),
                    "finalizer \(finalizerOrphanDependents) and \(finalizerDeleteDependents) cannot be both set"))
        }
        return errors
    }

    public static func validateFinalizerName(_ name: String, path: FieldPath) -> [FieldError] {
        isQualifiedName(name).map { .invalid(path, .string(name), $0) }
    }

    /// The core API's rule (namespace spec.finalizers): a name without a '/' prefix must be one
    /// of the standard finalizers.
    public static func validateStandardFinalizerName(_ name: String, path: FieldPath) -> [FieldError] {
        var errors = validateFinalizerName(name, path: path)
        if !name.contains("/") && !standardFinalizers.contains(name) {
            errors.append(.invalid(path, .string(name), "name is neither a standard finalizer name nor is it fully qualified"))
        }
        return errors
    }

    /// Once an object is being deleted no finalizer may be added.
    public static func validateNoNewFinalizers(_ new: [String], old: [String], path: FieldPath) -> [FieldError] {
        let added = Set(new).subtracting(old).sorted()
        if added.isEmpty { return [] }
        return [
            .forbidden(
                path,
                "no new finalizers can be added if the object is being deleted, found new finalizers "
                    + GoFormatting.stringSlice(added))
        ]
    }
}
