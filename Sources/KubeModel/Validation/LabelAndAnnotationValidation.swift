extension Validation {
    /// Upstream's limit on the summed length of all annotation keys and values.
    public static let totalAnnotationSizeLimit = 256 * 1024

    /// A label key is a qualified name.
    public static func validateLabelName(_ name: String, path: FieldPath) -> [FieldError] {
        isQualifiedName(name).map { .invalid(path, .string(name), $0) }
    }

    /// Keys are qualified names and values label values; errors point at the map itself as
    /// upstream's do. Keys are visited in sorted order so the output is stable.
    public static func validateLabels(_ labels: [String: String], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for key in labels.keys.sorted() {
            let value = labels[key]!
            errors += validateLabelName(key, path: path)
            errors += isValidLabelValue(value).map { .invalid(path, .string(value), $0) }
        }
        return errors
    }

    /// Keys are qualified names (case ignored) and everything together stays within 256 KiB.
    public static func validateAnnotations(_ annotations: [String: String], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var totalSize = 0
        for key in annotations.keys.sorted() {
            errors += isQualifiedName(key.lowercased()).map { .invalid(path, .string(key), $0) }
            totalSize += key.utf8.count + annotations[key]!.utf8.count
        }
        if totalSize > totalAnnotationSizeLimit {
            errors.append(.tooLong(path, maxLength: totalAnnotationSizeLimit))
        }
        return errors
    }
}
