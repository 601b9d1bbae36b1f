/// A label selector as upstream's labels.Selector: requirements that must all hold. The empty
/// selector matches everything; `nothing` (what a missing API selector means) matches nothing.
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// Sorted by key (stable), as upstream keeps them so the string form is deterministic.
    public private(set) var requirements: [LabelRequirement]
    public let matchesNothing: Bool

    public static let everything = LabelSelector(requirements: [])
    public static let nothing = LabelSelector(sortedRequirements: [], matchesNothing: true)

    public init(requirements: [LabelRequirement]) {
        self.init(sortedRequirements: Self.sortedByKey(requirements), matchesNothing: false)
    }

    private init(sortedRequirements: [LabelRequirement], matchesNothing: Bool) {
        self.requirements = sortedRequirements
        self.matchesNothing = matchesNothing
    }

    /// Parses upstream's selector syntax (`app=web,tier!=db,env in (a,b),!legacy,release`),
    /// failing with upstream's messages. An empty string selects everything.
    public init(parsing text: String) throws(SelectorError) {
        self.init(requirements: try LabelSelectorParser.parse(text))
    }

    /// Builds the selector an API LabelSelector stands for (upstream's
    /// `LabelSelectorAsSelector` for a present selector; a missing one is `.nothing`). With no
    /// labels and no expressions it selects everything.
    public init(matchLabels: [String: String] = [:], matchExpressions: [LabelSelectorExpression] = [])
        throws(SelectorError)
    {
        var requirements: [LabelRequirement] = []
        requirements.reserveCapacity(matchLabels.count + matchExpressions.count)
        for key in matchLabels.keys.sorted() {
            requirements.append(try LabelRequirement(key: key, operator: .equals, values: [matchLabels[key]!]))
        }
        for expression in matchExpressions {
            guard let requirementOperator = expression.requirementOperator else {
                throw SelectorError("\(GoFormatting.quote(expression.operator)) is not a valid label selector operator")
            }
            requirements.append(
                try LabelRequirement(key: expression.key, operator: requirementOperator, values: expression.values))
        }
        self.init(requirements: requirements)
    }

    /// Equality requirements for every label, without validation (upstream's
    /// `SelectorFromValidatedSet`), for labels already known to be valid.
    public init(validatedLabels labels: [String: String]) {
        self.init(
            sortedRequirements: labels.keys.sorted().map {
                LabelRequirement(unchecked: $0, operator: .equals, values: [labels[$0]!])
            },
            matchesNothing: false)
    }

    /// True when every requirement holds (always for the empty selector, never for `nothing`).
    public func matches(_ labels: [String: String]) -> Bool {
        if matchesNothing { return false }
        return requirements.allSatisfy { $0.matches(labels) }
    }

    /// Selects everything (upstream's `Empty()`).
    public var isEmpty: Bool { !matchesNothing && requirements.isEmpty }

    /// This selector with more requirements.
    public func adding(_ more: LabelRequirement...) -> LabelSelector {
        LabelSelector(sortedRequirements: Self.sortedByKey(requirements + more), matchesNothing: matchesNothing)
    }

    /// The single value the selector demands for `key`, if it demands exactly one (lets
    /// callers use an index instead of scanning).
    public func requiresExactMatch(_ key: String) -> String? {
        guard let requirement = requirements.first(where: { $0.key == key }) else { return nil }
        switch requirement.operator {
        case .equals, .doubleEquals, .in:
            return requirement.values.count == 1 ? requirement.values[0] : nil
        default:
            return nil
        }
    }

    /// The requirements joined with commas; both the empty and the nothing selector print "".
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }

    private static func sortedByKey(_ requirements: [LabelRequirement]) -> [LabelRequirement] {
        requirements.enumerated()
            .sorted { $0.element.key != $1.element.key ? $0.element.key < $1.element.key : $0.offset < $1.offset }
            .map(\.element)
    }
}
