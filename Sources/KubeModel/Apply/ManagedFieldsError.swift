/// A server-side apply or field-management failure other than a conflict, with the Status the
/// Kubernetes API server answers it with.
public struct ManagedFieldsError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        /// The request is wrong (an apply patch for another version, managedFields in a patch).
        case badRequest = "BadRequest"
        /// Upstream reports these as plain errors, which the API server turns into a 500.
        case internalError = "InternalError"
    }

    public var reason: Reason
    public var message: String

    public init(reason: Reason, message: String) {
        self.reason = reason
        self.message = message
    }

    public static func badRequest(_ message: String) -> ManagedFieldsError { .init(reason: .badRequest, message: message) }
    public static func internalError(_ message: String) -> ManagedFieldsError { .init(reason: .internalError, message: message) }

    public var code: Int { reason == .badRequest ? 400 : 500 }

    public var description: String { message }

    public var status: MetaV1.Status {
        switch reason {
        case .badRequest:
            return MetaV1.Status(code: code, message: message, reason: reason.rawValue, status: "Failure")
        case .internalError:
            return MetaV1.Status(
                code: code, details: MetaV1.StatusDetails(causes: [MetaV1.StatusCause(message: message)]),
                message: "Internal error occurred: \(message)", reason: reason.rawValue, status: "Failure")
        }
    }
}
