/// A label or field selector that could not be parsed or built; `message` is upstream's text
/// (what the API server puts in its 400 response), `fieldErrors` the structured causes when
/// the failure came from validating a requirement.
public struct SelectorError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var fieldErrors: [FieldError]

    public init(_ message: String, fieldErrors: [FieldError] = []) {
        self.message = message
        self.fieldErrors = fieldErrors
    }

    public var description: String { message }
}
