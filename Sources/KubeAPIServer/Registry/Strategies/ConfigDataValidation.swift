import KubeModel

/// What Secrets and ConfigMaps share: keys that can become file names, a 1 MiB total, and the
/// `immutable` flag that freezes the data once set.
enum ConfigDataValidation {
    /// Upstream's MaxSecretSize, also the limit of a ConfigMap's data.
    static let maxSize = 1024 * 1024
    static let immutableMessage = "field is immutable when `immutable` is set"

    static func keys<Value>(_ data: [String: Value]?, path: FieldPath) -> [FieldError] {
        (data ?? [:]).keys.sorted().flatMap { key in
            Validation.isConfigMapKey(key).map { FieldError.invalid(path.key(key), .string(key), $0) }
        }
    }

    /// Once `immutable` was true it stays true and `fields` (data bags by name) stay unchanged.
    static func immutability(wasImmutable: Bool?, isImmutable: Bool?, fields: [(name: String, changed: Bool)]) -> [FieldError] {
        guard wasImmutable == true else { return [] }
        var errors: [FieldError] = []
        if isImmutable != true { errors.append(.forbidden(FieldPath("immutable"), immutableMessage)) }
        for field in fields where field.changed { errors.append(.forbidden(FieldPath(field.name), immutableMessage)) }
        return errors
    }
}
