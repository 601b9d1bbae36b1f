import KubeModel

/// StorageClasses (storage/v1): Delete and Immediate by default; a qualified provisioner name,
/// bounded parameters, supported policies; provisioner, parameters, reclaim policy and binding
/// mode never change.
struct StorageClassStrategy: ResourceStrategy {
    typealias Object = StorageV1.StorageClass

    static let maxParameters = 512
    static let maxParameterBytes = 256 * 1024

    func applyDefaults(_ storageClass: inout StorageV1.StorageClass) {
        if storageClass.reclaimPolicy == nil { storageClass.reclaimPolicy = "Delete" }
        if storageClass.volumeBindingMode == nil { storageClass.volumeBindingMode = "Immediate" }
    }

    func validate(_ storageClass: StorageV1.StorageClass) -> [FieldError] {
        var errors: [FieldError] = []
        let provisionerPath = FieldPath("provisioner")
        if storageClass.provisioner.isEmpty {
            errors.append(.required(provisionerPath))
        } else {
            errors += Validation.isQualifiedName(storageClass.provisioner.lowercased())
                .map { .invalid(provisionerPath, .string(storageClass.provisioner.lowercased()), $0) }
        }
        let parameters = storageClass.parameters ?? [:]
        let parametersPath = FieldPath("parameters")
        if parameters.count > Self.maxParameters {
            errors.append(.tooLong(parametersPath, maxLength: Self.maxParameters))
        } else {
            if parameters.keys.contains("") { errors.append(.invalid(parametersPath, "", "field can not be empty.")) }
            if parameters.reduce(0, { $0 + $1.key.utf8.count + $1.value.utf8.count }) > Self.maxParameterBytes {
                errors.append(.tooLong(parametersPath, maxLength: Self.maxParameterBytes))
            }
        }
        if let policy = storageClass.reclaimPolicy, !policy.isEmpty {
            errors += FieldChecks.oneOf(policy, FieldPath("reclaimPolicy"), ["Delete", "Retain"])
        }
        if let mode = storageClass.volumeBindingMode {
            errors += FieldChecks.oneOf(mode, FieldPath("volumeBindingMode"), ["Immediate", "WaitForFirstConsumer"])
        } else {
            errors.append(.required(FieldPath("volumeBindingMode")))
        }
        for (index, term) in (storageClass.allowedTopologies ?? []).enumerated() {
            let termPath = FieldPath("allowedTopologies").index(index)
            let expressions = term.matchLabelExpressions ?? []
            if expressions.isEmpty { errors.append(.required(termPath.child("matchLabelExpressions"), "must have at least one label selector")) }
            for (expressionIndex, expression) in expressions.enumerated() {
                let expressionPath = termPath.child("matchLabelExpressions").index(expressionIndex)
                errors += Validation.validateLabelName(expression.key, path: expressionPath.child("key"))
                if expression.values.isEmpty { errors.append(.required(expressionPath.child("values"), "must specify as least one value")) }
            }
        }
        return errors
    }

    func validateUpdate(_ storageClass: StorageV1.StorageClass, old: StorageV1.StorageClass) -> [FieldError] {
        var errors = validate(storageClass)
        if storageClass.parameters != old.parameters {
            errors.append(.forbidden(FieldPath("parameters"), "updates to parameters are forbidden."))
        }
        if storageClass.provisioner != old.provisioner {
            errors.append(.forbidden(FieldPath("provisioner"), "updates to provisioner are forbidden."))
        }
        if storageClass.reclaimPolicy != old.reclaimPolicy {
            errors.append(.forbidden(FieldPath("reclaimPolicy"), "updates to reclaimPolicy are forbidden."))
        }
        errors += FieldChecks.immutable(storageClass.volumeBindingMode, old.volumeBindingMode, FieldPath("volumeBindingMode"),
                                        shown: FieldChecks.optionalStringValue(storageClass.volumeBindingMode))
        return errors
    }
}
