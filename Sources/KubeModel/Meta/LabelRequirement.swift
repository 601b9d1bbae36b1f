/// One condition of a label selector: a key, an operator and its values (upstream's
/// labels.Requirement).
public struct LabelRequirement: Sendable, Hashable, CustomStringConvertible {
    /// Upstream's selection.Operator values.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case doesNotExist = "!"
        case equals = "="
        case doubleEquals = "=="
        case `in` = "in"
        case notEquals = "!="
        case notIn = "notin"
        case exists = "exists"
        case greaterThan = "gt"
        case lessThan = "lt"
    }

    public let key: String
    public let `operator`: Operator
    /// For in/notin, as given (duplicates are harmless); one value for =, ==, !=, gt, lt;
    /// none for exists and !.
    public let values: [String]

    /// Validates as upstream's `NewRequirement`: the key is a qualified name, values are label
    /// values, and the operator gets the number of values it needs.
    public init(key: String, operator: Operator, values: [String] = []) throws(SelectorError) {
        let errors = Self.validate(key: key, operator: `operator`, values: values, path: .root)
        if let message = ValidationMessages.aggregate(errors.map(\.description)) {
            throw SelectorError(message, fieldErrors: errors)
        }
        self.init(unchecked: key, operator: `operator`, values: values)
    }

    init(unchecked key: String, operator: Operator, values: [String]) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    static func validate(key: String, operator: Operator, values: [String], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let keyErrors = Validation.isQualifiedName(key)
        if !keyErrors.isEmpty {
            errors.append(.invalid(path.child("key"), .string(key), keyErrors.joined(separator: "; ")))
        }
        let valuesPath = path.child("values")
        // Upstream prints an empty list here as a Go nil slice.
        let shownValues = FieldValue.strings(values.isEmpty ? nil : values)
        switch `operator` {
        case .in, .notIn:
            if values.isEmpty {
                errors.append(.invalid(valuesPath, shownValues, "for 'in', 'notin' operators, values set can't be empty"))
            }
        case .equals, .doubleEquals, .notEquals:
            if values.count != 1 {
                errors.append(.invalid(valuesPath, shownValues, "exact-match compatibility requires one single value"))
            }
        case .exists, .doesNotExist:
            if !values.isEmpty {
                errors.append(.invalid(valuesPath, shownValues, "values set must be empty for exists and does not exist"))
            }
        case .greaterThan, .lessThan:
            if values.count != 1 {
                errors.append(.invalid(valuesPath, shownValues, "for 'Gt', 'Lt' operators, exactly one value is required"))
            }
            for (index, value) in values.enumerated() where Int64(value) == nil {
                errors.append(
                    .invalid(valuesPath.index(index), .string(value), "for 'Gt', 'Lt' operators, the value must be an integer"))
            }
        }
        for (index, value) in values.enumerated() {
            let valueErrors = Validation.isValidLabelValue(value)
            if !valueErrors.isEmpty {
                errors.append(.invalid(valuesPath.index(index).key(key), .string(value), valueErrors.joined(separator: "; ")))
            }
        }
        return errors
    }

    /// Whether a set of labels satisfies this requirement. A missing key fails =, in, exists,
    /// gt and lt, and passes !=, notin and !.
    public func matches(_ labels: [String: String]) -> Bool {
        switch `operator` {
        case .in, .equals, .doubleEquals:
            guard let value = labels[key] else { return false }
            return values.contains(value)
        case .notIn, .notEquals:
            guard let value = labels[key] else { return true }
            return !values.contains(value)
        case .exists:
            return labels[key] != nil
        case .doesNotExist:
            return labels[key] == nil
        case .greaterThan, .lessThan:
            guard let text = labels[key], let labelValue = Int64(text), values.count == 1,
                let bound = Int64(values[0])
            else { return false }
            return `operator` == .greaterThan ? labelValue > bound : labelValue < bound
        }
    }

    /// Upstream's string form: `key=value`, `key in (a,b)`, `!key`, `key>3`; multiple values
    /// are printed sorted.
    public var description: String {
        var text = `operator` == .doesNotExist ? "!" + key : key
        switch `operator` {
        case .equals: text += "="
        case .doubleEquals: text += "=="
        case .notEquals: text += "!="
        case .in: text += " in "
        case .notIn: text += " notin "
        case .greaterThan: text += ">"
        case .lessThan: text += "<"
        case .exists, .doesNotExist: return text
        }
        let list = values.count == 1 ? values[0] : values.sorted().joined(separator: ",")
        return `operator` == .in || `operator` == .notIn ? text + "(" + list + ")" : text + list
    }
}
