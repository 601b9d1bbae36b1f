/// One entry of a LabelSelector's `matchExpressions` as the API carries it (upstream's
/// metav1.LabelSelectorRequirement): the operator is the API's word, In, NotIn, Exists or
/// DoesNotExist, kept as text so an unknown one can be reported as upstream reports it.
public struct LabelSelectorExpression: Sendable, Hashable {
    public var key: String
    public var `operator`: String
    public var values: [String]

    public init(key: String, operator: String, values: [String] = []) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    public static let operatorIn = "In"
    public static let operatorNotIn = "NotIn"
    public static let operatorExists = "Exists"
    public static let operatorDoesNotExist = "DoesNotExist"

    /// The selector operator an API operator stands for; nil for anything else.
    var requirementOperator: LabelRequirement.Operator? {
        switch `operator` {
        case Self.operatorIn: return .in
        case Self.operatorNotIn: return .notIn
        case Self.operatorExists: return .exists
        case Self.operatorDoesNotExist: return .doesNotExist
        default: return nil
        }
    }
}
