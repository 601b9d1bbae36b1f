import KubeModel

/// ConfigMaps: valid keys, no key in both data and binaryData, at most 1 MiB across both, and
/// `immutable`.
struct ConfigMapStrategy: ResourceStrategy {
    typealias Object = CoreV1.ConfigMap

    func validate(_ configMap: CoreV1.ConfigMap) -> [FieldError] {
        let data = configMap.data ?? [:]
        let binaryData = configMap.binaryData ?? [:]
        var errors = ConfigDataValidation.keys(configMap.data, path: FieldPath("data"))
        for key in data.keys.sorted() where binaryData[key] != nil {
            errors.append(.invalid(FieldPath("data").key(key), .string(key), "duplicate of key present in binaryData"))
        }
        errors += ConfigDataValidation.keys(configMap.binaryData, path: FieldPath("binaryData"))
        let size = data.values.reduce(0) { $0 + $1.utf8.count } + binaryData.values.reduce(0) { $0 + $1.count }
        if size > ConfigDataValidation.maxSize {
            // Upstream reports the whole object (an empty path).
            errors.append(.tooLong(.root, maxLength: ConfigDataValidation.maxSize))
        }
        return errors
    }

    func validateUpdate(_ configMap: CoreV1.ConfigMap, old: CoreV1.ConfigMap) -> [FieldError] {
        ConfigDataValidation.immutability(wasImmutable: old.immutable, isImmutable: configMap.immutable, fields: [
            ("data", configMap.data != old.data), ("binaryData", configMap.binaryData != old.binaryData),
        ]) + validate(configMap)
    }
}
