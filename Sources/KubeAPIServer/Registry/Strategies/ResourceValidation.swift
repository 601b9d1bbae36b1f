import KubeModel

/// Upstream's rules for resource names and quantities (ValidateResourceRequirements and
/// friends): container resources are standard or extended, quantities are non-negative,
/// requests do not exceed limits, and extended resources are not overcommitted.
enum ResourceValidation {
    static let standardContainerResources: Set<String> = ["cpu", "memory", "ephemeral-storage"]

    static func isHugePages(_ name: String) -> Bool { name.hasPrefix("hugepages-") }

    /// No domain, or one under kubernetes.io.
    static func isNative(_ name: String) -> Bool { !name.contains("/") || name.contains("kubernetes.io/") }

    static func isExtended(_ name: String) -> Bool {
        if isNative(name) || name.hasPrefix("requests.") { return false }
        return Validation.isQualifiedName("requests." + name).isEmpty
    }

    static func isOvercommitAllowed(_ name: String) -> Bool { isNative(name) && !isHugePages(name) }

    static func validateContainerResourceName(_ name: String, _ path: FieldPath) -> [FieldError] {
        var errors = FieldChecks.qualifiedName(name, path)
        if !errors.isEmpty { return errors }
        if !name.contains("/") {
            if !standardContainerResources.contains(name) && !isHugePages(name) {
                errors.append(.invalid(path, .string(name), "must be a standard resource for containers"))
            }
        } else if !isNative(name), !isExtended(name) {
            errors.append(.invalid(path, .string(name), "doesn't follow extended resource name standard"))
        }
        return errors
    }

    /// ValidateResourceQuantityValue: non-negative, and whole for extended resources.
    static func validateQuantity(_ name: String, _ quantity: Quantity, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if quantity.sign < 0 { errors.append(.invalid(path, .string(quantity.description), ValidationMessages.negative)) }
        if isExtended(name), quantity.milliValue % 1000 != 0 {
            errors.append(.invalid(path, .string(quantity.description), "must be an integer"))
        }
        return errors
    }

    static func validateRequirements(_ requirements: CoreV1.ResourceRequirements, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let limitsPath = path.child("limits")
        let requestsPath = path.child("requests")
        let limits = requirements.limits ?? [:]
        let requests = requirements.requests ?? [:]
        var computeLimits = false, computeRequests = false, hugePages = false
        for name in limits.keys.sorted() {
            errors += validateContainerResourceName(name, limitsPath.key(name))
            errors += validateQuantity(name, limits[name]!, limitsPath.key(name))
            if isHugePages(name) { hugePages = true }
            if name == "cpu" || name == "memory" { computeLimits = true }
        }
        for name in requests.keys.sorted() {
            let quantity = requests[name]!
            errors += validateContainerResourceName(name, requestsPath.key(name))
            errors += validateQuantity(name, quantity, requestsPath.key(name))
            if let limit = limits[name] {
                if quantity != limit && !isOvercommitAllowed(name) {
                    errors.append(.invalid(requestsPath, .string(quantity.description), "must be equal to \(name) limit of \(limit)"))
                } else if quantity > limit {
                    errors.append(.invalid(requestsPath, .string(quantity.description),
                                           "must be less than or equal to \(name) limit of \(limit)"))
                }
            } else if !isOvercommitAllowed(name) {
                errors.append(.required(limitsPath, "Limit must be set for non overcommitable resources"))
            }
            if isHugePages(name) { hugePages = true }
            if name == "cpu" || name == "memory" { computeRequests = true }
        }
        if hugePages && !computeLimits && !computeRequests {
            errors.append(.forbidden(path, "HugePages require cpu or memory"))
        }
        return errors
    }
}
