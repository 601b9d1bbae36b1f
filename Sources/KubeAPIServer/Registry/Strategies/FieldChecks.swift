import KubeModel

/// Small validators shared by every strategy, named after upstream's helpers in
/// pkg/apis/core/validation (ValidateNonnegativeField, ValidateDNS1123Label, ValidateImmutableField…),
/// each returning field errors with upstream's paths and wording.
enum FieldChecks {
    static let notPositive = "must be greater than zero"

    static func nonNegative(_ value: Int?, _ path: FieldPath) -> [FieldError] {
        guard let value, value < 0 else { return [] }
        return [.invalid(path, .int(Int64(value)), ValidationMessages.negative)]
    }

    static func dns1123Label(_ value: String, _ path: FieldPath) -> [FieldError] {
        Validation.isDNS1123Label(value).map { .invalid(path, .string(value), $0) }
    }

    static func dns1123Subdomain(_ value: String, _ path: FieldPath) -> [FieldError] {
        Validation.isDNS1123Subdomain(value).map { .invalid(path, .string(value), $0) }
    }

    static func dns1035Label(_ value: String, _ path: FieldPath) -> [FieldError] {
        Validation.isDNS1035Label(value).map { .invalid(path, .string(value), $0) }
    }

    static func qualifiedName(_ value: String, _ path: FieldPath) -> [FieldError] {
        Validation.isQualifiedName(value).map { .invalid(path, .string(value), $0) }
    }

    static func labelValue(_ value: String, _ path: FieldPath) -> [FieldError] {
        Validation.isValidLabelValue(value).map { .invalid(path, .string(value), $0) }
    }

    /// Required when empty, otherwise one of `supported` (listed in the order given).
    static func requiredOneOf(_ value: String?, _ path: FieldPath, _ supported: [String]) -> [FieldError] {
        let value = value ?? ""
        if value.isEmpty { return [.required(path)] }
        return supported.contains(value) ? [] : [.notSupported(path, .string(value), supported: supported)]
    }

    /// One of `supported` when set.
    static func oneOf(_ value: String?, _ path: FieldPath, _ supported: [String]) -> [FieldError] {
        guard let value, !supported.contains(value) else { return [] }
        return [.notSupported(path, .string(value), supported: supported)]
    }

    /// "field is immutable" with the new value shown.
    static func immutable<Value: Equatable>(_ new: Value, _ old: Value, _ path: FieldPath,
                                            shown: @autoclosure () -> FieldValue) -> [FieldError] {
        new == old ? [] : [.invalid(path, shown(), ValidationMessages.immutable)]
    }

    static func optionalIntValue(_ value: Int?) -> FieldValue { value.map { .int(Int64($0)) } ?? .null }
    static func optionalStringValue(_ value: String?) -> FieldValue { value.map { .string($0) } ?? .null }

    // MARK: Integers or percentages (rolling updates, disruption budgets)

    static let percentFormat = "[0-9]+%"
    static let percentMessage = "a valid percent string must be a numeric string followed by an ending '%'"

    static func isValidPercent(_ text: String) -> [String] {
        let digits = text.utf8.dropLast()
        let valid = text.hasSuffix("%") && !digits.isEmpty
            && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return valid ? [] : [ValidationMessages.regex(percentMessage, percentFormat, examples: ["1%", "93%"])]
    }

    /// Upstream's getPercentValue: the number of a valid percentage.
    static func percentValue(_ value: IntOrString?) -> Int? {
        guard case .string(let text)? = value, isValidPercent(text).isEmpty else { return nil }
        return Int(text.dropLast())
    }

    /// Upstream's getIntOrPercentValue: the percentage, the integer, or an integer-looking
    /// string (anything else counts as 0).
    static func intOrPercentValue(_ value: IntOrString?) -> Int {
        if let percent = percentValue(value) { return percent }
        switch value {
        case .int(let number)?: return number
        case .string(let text)?: return Int(text) ?? 0
        case nil: return 0
        }
    }

    static func positiveIntOrPercent(_ value: IntOrString?, _ path: FieldPath) -> [FieldError] {
        switch value {
        case .string(let text)?:
            return isValidPercent(text).map { .invalid(path, GoValueText.intOrStringValue(value), $0) }
        case .int(let number)?:
            return nonNegative(number, path)
        case nil:
            return []
        }
    }

    static func notMoreThan100Percent(_ value: IntOrString?, _ path: FieldPath) -> [FieldError] {
        guard let percent = percentValue(value), percent > 100 else { return [] }
        return [.invalid(path, GoValueText.intOrStringValue(value), "must not be greater than 100%")]
    }

    // MARK: Label selectors

    static func expressions(of selector: MetaV1.LabelSelector) -> [LabelSelectorExpression] {
        (selector.matchExpressions ?? []).map {
            LabelSelectorExpression(key: $0.key, operator: $0.operator, values: $0.values ?? [])
        }
    }

    /// Upstream's ValidateLabelSelector (nothing to check for a missing selector).
    static func labelSelector(_ selector: MetaV1.LabelSelector?, _ path: FieldPath) -> [FieldError] {
        guard let selector else { return [] }
        return Validation.validateLabelSelector(
            matchLabels: selector.matchLabels ?? [:], matchExpressions: expressions(of: selector), path: path)
    }

    /// LabelSelectorAsSelector: a missing selector selects nothing, an empty one everything; nil
    /// when it cannot be converted.
    static func selector(_ selector: MetaV1.LabelSelector?) -> LabelSelector? {
        guard let selector else { return .nothing }
        return try? LabelSelector(matchLabels: selector.matchLabels ?? [:], matchExpressions: expressions(of: selector))
    }

    /// A required selector: the generated types decode a missing one as empty, so an empty
    /// selector counts as missing.
    static func presentSelector(_ selector: MetaV1.LabelSelector?) -> MetaV1.LabelSelector? {
        guard let selector else { return nil }
        return (selector.matchLabels ?? [:]).isEmpty && (selector.matchExpressions ?? []).isEmpty ? nil : selector
    }
}
