import KubeModel

/// An error response from the API server, carrying its `Status` (code, reason, message,
/// details). Responses that are not a Status get one made from the HTTP code, as client-go does.
public struct APIStatusError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: MetaV1.Status

    public init(status: MetaV1.Status) { self.status = status }

    public init(code: Int, reason: String, message: String) {
        self.init(status: MetaV1.Status(apiVersion: "v1", kind: "Status", code: code, message: message, reason: reason, status: "Failure"))
    }

    /// The error for a non-success response.
    init(response status: Int, body: [UInt8]) {
        if let json = try? JSONParser.parse(body), json["kind"]?.stringValue == "Status",
           var decoded = try? MetaV1.Status(json: json)
        {
            if decoded.code == nil || decoded.code == 0 { decoded.code = status }
            if (decoded.reason ?? "").isEmpty { decoded.reason = Self.reason(forCode: status) }
            self.init(status: decoded)
            return
        }
        var message = String(decoding: body.prefix(1024), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if message.isEmpty { message = "the server responded with status \(status)" }
        self.init(code: status, reason: Self.reason(forCode: status), message: message)
    }

    public var code: Int { status.code ?? 0 }
    public var reason: String { status.reason ?? "" }
    public var message: String { status.message ?? "" }
    public var description: String { "\(code) \(reason): \(message)" }

    public var isNotFound: Bool { matches("NotFound", 404) }
    public var isAlreadyExists: Bool { reason == "AlreadyExists" }
    /// A write lost an optimistic-concurrency race (resourceVersion or precondition mismatch).
    public var isConflict: Bool { matches("Conflict", 409) }
    public var isGone: Bool { matches("Gone", 410) }
    /// The requested resourceVersion is too old (410 Gone / Expired): list again.
    public var isResourceExpired: Bool { reason == "Expired" || isGone }
    public var isInvalid: Bool { matches("Invalid", 422) }
    public var isBadRequest: Bool { matches("BadRequest", 400) }
    public var isForbidden: Bool { matches("Forbidden", 403) }
    public var isUnauthorized: Bool { matches("Unauthorized", 401) }
    public var isTooManyRequests: Bool { matches("TooManyRequests", 429) }
    public var isMethodNotSupported: Bool { matches("MethodNotAllowed", 405) }

    /// The reason, or the code when the server gave no reason (as client-go's helpers).
    private func matches(_ expected: String, _ expectedCode: Int) -> Bool {
        reason == expected || (reason.isEmpty || reason == "Unknown") && code == expectedCode
    }

    static func reason(forCode code: Int) -> String {
        switch code {
        case 400: return "BadRequest"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 406: return "NotAcceptable"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 413: return "RequestEntityTooLarge"
        case 415: return "UnsupportedMediaType"
        case 422: return "Invalid"
        case 429: return "TooManyRequests"
        case 500: return "InternalError"
        case 503: return "ServiceUnavailable"
        case 504: return "Timeout"
        default: return "Unknown"
        }
    }
}

extension Error {
    /// The server's status when this is an `APIStatusError`.
    public var apiStatus: APIStatusError? { self as? APIStatusError }
}
