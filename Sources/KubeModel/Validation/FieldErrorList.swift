/// What the API server needs to turn validation results into upstream's 422 response.
extension Array where Element == FieldError {
    /// The errors as one message, the way upstream's `ErrorList.ToAggregate().Error()` joins
    /// them: duplicates dropped, one error bare, several in brackets. Nil when empty.
    public var aggregateMessage: String? {
        ValidationMessages.aggregate(map(\.description))
    }

    /// The Status message of a 422 Invalid response (upstream's `NewInvalid`):
    /// `Pod "web" is invalid: metadata.name: Invalid value: …`. `kind` is qualified with the
    /// group when it has one ("Deployment.apps").
    public func invalidStatusMessage(kind: String, group: String = "", name: String) -> String {
        let qualifiedKind = group.isEmpty ? kind : kind + "." + group
        let prefix = "\(qualifiedKind) \(GoFormatting.quote(name)) is invalid"
        guard let aggregate = aggregateMessage else { return prefix }
        return prefix + ": " + aggregate
    }

    /// Prefixes every error's field, for validators that check a nested value on its own.
    public func nested(under parent: FieldPath) -> [FieldError] {
        map { error in
            var nested = error
            let prefix = parent.description
            if prefix.isEmpty { return error }
            if error.field.isEmpty {
                nested.field = prefix
            } else {
                nested.field = error.field.hasPrefix("[") ? prefix + error.field : prefix + "." + error.field
            }
            return nested
        }
    }
}
