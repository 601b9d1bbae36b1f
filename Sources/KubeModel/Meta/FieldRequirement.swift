/// One term of a field selector: a field path, = or !=, and an (unescaped) value.
public struct FieldRequirement: Sendable, Hashable, CustomStringConvertible {
    /// "==" parses as `equals`, as upstream folds it.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case equals = "="
        case notEquals = "!="
    }

    public let field: String
    public let `operator`: Operator
    public let value: String

    public init(field: String, operator: Operator, value: String) {
        self.field = field
        self.operator = `operator`
        self.value = value
    }

    /// A field the object does not have counts as the empty string, as upstream's
    /// `fields.Set.Get` makes it.
    public func matches(_ fields: [String: String]) -> Bool {
        let actual = fields[field] ?? ""
        return `operator` == .equals ? actual == value : actual != value
    }

    /// `field=value` with the value escaped so the text parses back to the same requirement.
    public var description: String {
        field + `operator`.rawValue + FieldSelectorEscaping.escape(value)
    }
}
