extension LabelSelector {
    /// The selector an API object's `selector` field stands for, as controllers read it
    /// (upstream's `LabelSelectorAsSelector`): nil or invalid selects nothing; an empty one
    /// selects everything.
    public init(_ selector: MetaV1.LabelSelector?) {
        guard let selector else {
            self = .nothing
            return
        }
        let expressions = (selector.matchExpressions ?? []).map {
            LabelSelectorExpression(key: $0.key, operator: $0.operator, values: $0.values ?? [])
        }
        self = (try? LabelSelector(matchLabels: selector.matchLabels ?? [:], matchExpressions: expressions)) ?? .nothing
    }
}
