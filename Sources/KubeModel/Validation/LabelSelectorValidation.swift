extension Validation {
    /// An API LabelSelector (upstream's `ValidateLabelSelector`): matchLabels valid labels;
    /// each expression a known operator with values for In/NotIn and none for
    /// Exists/DoesNotExist, a qualified-name key and label values.
    public static func validateLabelSelector(
        matchLabels: [String: String], matchExpressions: [LabelSelectorExpression], path: FieldPath,
        allowInvalidLabelValues: Bool = false
    ) -> [FieldError] {
        var errors = validateLabels(matchLabels, path: path.child("matchLabels"))
        for (index, expression) in matchExpressions.enumerated() {
            errors += validateLabelSelectorExpression(
                expression, path: path.child("matchExpressions").index(index),
                allowInvalidLabelValues: allowInvalidLabelValues)
        }
        return errors
    }

    public static func validateLabelSelectorExpression(
        _ expression: LabelSelectorExpression, path: FieldPath, allowInvalidLabelValues: Bool = false
    ) -> [FieldError] {
        var errors: [FieldError] = []
        switch expression.operator {
        case LabelSelectorExpression.operatorIn, LabelSelectorExpression.operatorNotIn:
            if expression.values.isEmpty {
                errors.append(.required(path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
            }
        case LabelSelectorExpression.operatorExists, LabelSelectorExpression.operatorDoesNotExist:
            if !expression.values.isEmpty {
                errors.append(
                    .forbidden(path.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
            }
        default:
            errors.append(.invalid(path.child("operator"), .string(expression.operator), "not a valid selector operator"))
        }
        errors += validateLabelName(expression.key, path: path.child("key"))
        if !allowInvalidLabelValues {
            for (index, value) in expression.values.enumerated() {
                errors += isValidLabelValue(value).map { .invalid(path.child("values").index(index), .string(value), $0) }
            }
        }
        return errors
    }
}
