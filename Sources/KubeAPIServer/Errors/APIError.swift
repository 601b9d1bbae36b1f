import KubeModel
import NIOHTTP1

/// A failed request, carried as the `Status` object Kubernetes returns: code, reason, message
/// and details (name, group, kind, causes), worded as upstream words them.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: MetaV1.Status
    /// Extra headers (e.g. Retry-After).
    public var headers: [(String, String)] = []

    public init(code: Int, reason: String, message: String, details: MetaV1.StatusDetails? = nil) {
        status = MetaV1.Status(
            apiVersion: "v1", kind: "Status", code: code, details: details, message: message,
            reason: reason.isEmpty ? nil : reason, status: "Failure")
    }

    public init(status: MetaV1.Status) {
        self.status = status
        self.status.apiVersion = "v1"
        self.status.kind = "Status"
    }

    public var code: Int { status.code ?? 500 }
    public var description: String { "\(code) \(status.reason ?? ""): \(status.message ?? "")" }

    public func response() -> APIResponse {
        var response = APIResponse.json(status.jsonBytes(), status: HTTPResponseStatus(statusCode: code))
        for (name, value) in headers { response.headers.add(name: name, value: value) }
        return response
    }
}

/// The resource an error is about, as upstream names it in messages ("deployments.apps").
public struct QualifiedResource: Sendable, CustomStringConvertible {
    public var group: String
    public var resource: String
    public init(group: String, resource: String) {
        self.group = group
        self.resource = resource
    }
    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
}

extension APIError {
    public static func notFound(_ resource: QualifiedResource, name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(resource) \"\(name)\" not found",
                 details: MetaV1.StatusDetails(kind: resource.resource, group: resource.group.isEmpty ? nil : resource.group, name: name))
    }

    public static func alreadyExists(_ resource: QualifiedResource, name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(resource) \"\(name)\" already exists",
                 details: MetaV1.StatusDetails(kind: resource.resource, group: resource.group.isEmpty ? nil : resource.group, name: name))
    }

    public static func conflict(_ resource: QualifiedResource, name: String, message: String) -> APIError {
        APIError(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on \(resource) \"\(name)\": \(message)",
                 details: MetaV1.StatusDetails(kind: resource.resource, group: resource.group.isEmpty ? nil : resource.group, name: name))
    }

    public static func staleResourceVersion(_ resource: QualifiedResource, name: String) -> APIError {
        conflict(resource, name: name,
                 message: "the object has been modified; please apply your changes to the latest version and try again")
    }

    /// 422 with one cause per field error: `Deployment.apps "x" is invalid: spec.replicas: …`.
    public static func invalid(kind: GroupVersionKind, name: String, errors: [FieldError]) -> APIError {
        let causes = errors.map { MetaV1.StatusCause(field: $0.field, message: $0.body, reason: $0.reason) }
        return APIError(code: 422, reason: "Invalid",
                        message: errors.invalidStatusMessage(kind: kind.kind, group: kind.group, name: name),
                        details: MetaV1.StatusDetails(kind: kind.kind, causes: causes, group: kind.group.isEmpty ? nil : kind.group, name: name))
    }

    public static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    public static func unauthorized() -> APIError {
        APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")
    }

    public static func forbidden(_ resource: QualifiedResource, name: String, message: String) -> APIError {
        let target = name.isEmpty ? "\(resource)" : "\(resource) \"\(name)\""
        return APIError(code: 403, reason: "Forbidden", message: "\(target) is forbidden: \(message)",
                        details: MetaV1.StatusDetails(kind: resource.resource, group: resource.group.isEmpty ? nil : resource.group, name: name.isEmpty ? nil : name))
    }

    public static func methodNotAllowed(_ method: String) -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed",
                 message: "the server does not allow this method on the requested resource")
    }

    public static func pathNotFound() -> APIError {
        APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource",
                 details: MetaV1.StatusDetails())
    }

    public static func gone(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    public static func requestEntityTooLarge(limit: Int) -> APIError {
        APIError(code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is \(limit)")
    }

    public static func unsupportedMediaType(_ contentType: String, accepted: [String]) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType",
                 message: "the body of the request was in an unknown format - accepted media types include: " + accepted.joined(separator: ", "))
    }

    public static func notAcceptable(_ accepted: [String]) -> APIError {
        APIError(code: 406, reason: "NotAcceptable",
                 message: "only the following media types are accepted: " + accepted.joined(separator: ", "))
    }

    public static func `internal`(_ message: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)",
                 details: MetaV1.StatusDetails(causes: [MetaV1.StatusCause(message: message)]))
    }

    public static func tooManyRequests(_ message: String) -> APIError {
        APIError(code: 429, reason: "TooManyRequests", message: message)
    }

    public static func serviceUnavailable(_ message: String) -> APIError {
        APIError(code: 503, reason: "ServiceUnavailable", message: message)
    }
}
