/// One validation failure on one field, as upstream's field.Error. The API server turns a list
/// of these into a 422 Invalid Status: each becomes a cause with `reason`, `body` and `field`.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum ErrorType: String, Sendable, Hashable, CaseIterable {
        case notFound = "FieldValueNotFound"
        case required = "FieldValueRequired"
        case duplicate = "FieldValueDuplicate"
        case invalid = "FieldValueInvalid"
        case notSupported = "FieldValueNotSupported"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"
        case tooMany = "FieldValueTooMany"
        case internalError = "InternalError"
        case typeInvalid = "FieldValueTypeInvalid"

        /// The words upstream prints for the type ("Invalid value").
        public var summary: String {
            switch self {
            case .notFound: return "Not found"
            case .required: return "Required value"
            case .duplicate: return "Duplicate value"
            case .invalid, .typeInvalid: return "Invalid value"
            case .notSupported: return "Unsupported value"
            case .forbidden: return "Forbidden"
            case .tooLong: return "Too long"
            case .tooMany: return "Too many"
            case .internalError: return "Internal error"
            }
        }
    }

    public var type: ErrorType
    /// The field path as text: `spec.containers[0].name`.
    public var field: String
    public var badValue: FieldValue
    public var detail: String

    public init(type: ErrorType, field: FieldPath, badValue: FieldValue, detail: String) {
        self.type = type
        self.field = field.description
        self.badValue = badValue
        self.detail = detail
    }

    /// Upstream's CauseType, the `reason` of a Status cause ("FieldValueInvalid").
    public var reason: String { type.rawValue }

    /// The message without the field (upstream's `ErrorBody`), used as a Status cause message.
    public var body: String {
        var text = type.summary
        switch type {
        case .required, .forbidden, .tooLong, .internalError:
            break
        default:
            if badValue != .omitted { text += ": " + badValue.description }
        }
        if !detail.isEmpty { text += ": " + detail }
        return text
    }

    /// `metadata.name: Invalid value: "Foo": a lowercase RFC 1123 …`
    public var description: String { field + ": " + body }

    // MARK: Constructors named after upstream's

    public static func required(_ field: FieldPath, _ detail: String = "") -> FieldError {
        FieldError(type: .required, field: field, badValue: "", detail: detail)
    }

    public static func invalid(_ field: FieldPath, _ value: FieldValue, _ detail: String) -> FieldError {
        FieldError(type: .invalid, field: field, badValue: value, detail: detail)
    }

    public static func duplicate(_ field: FieldPath, _ value: FieldValue) -> FieldError {
        FieldError(type: .duplicate, field: field, badValue: value, detail: "")
    }

    public static func notFound(_ field: FieldPath, _ value: FieldValue) -> FieldError {
        FieldError(type: .notFound, field: field, badValue: value, detail: "")
    }

    /// Lists the supported values, quoted, in the detail as upstream does.
    public static func notSupported(_ field: FieldPath, _ value: FieldValue, supported: [String]) -> FieldError {
        let detail = supported.isEmpty ? "" : "supported values: " + supported.map(GoFormatting.quote).joined(separator: ", ")
        return FieldError(type: .notSupported, field: field, badValue: value, detail: detail)
    }

    public static func forbidden(_ field: FieldPath, _ detail: String) -> FieldError {
        FieldError(type: .forbidden, field: field, badValue: "", detail: detail)
    }

    /// The value itself is never shown, only the limit in bytes.
    public static func tooLong(_ field: FieldPath, maxLength: Int) -> FieldError {
        let detail = maxLength >= 0 ? "may not be more than \(maxLength) \(maxLength == 1 ? "byte" : "bytes")" : "value is too long"
        return FieldError(type: .tooLong, field: field, badValue: .omitted, detail: detail)
    }

    /// `actual` is shown when known.
    public static func tooMany(_ field: FieldPath, actual: Int?, max: Int) -> FieldError {
        let detail = max >= 0 ? "must have at most \(max) \(max == 1 ? "item" : "items")" : "has too many items"
        let value: FieldValue = actual.map { .int(Int64($0)) } ?? .omitted
        return FieldError(type: .tooMany, field: field, badValue: value, detail: detail)
    }

    public static func internalError(_ field: FieldPath, _ message: String) -> FieldError {
        FieldError(type: .internalError, field: field, badValue: .omitted, detail: message)
    }

    public static func typeInvalid(_ field: FieldPath, _ value: FieldValue, _ detail: String) -> FieldError {
        FieldError(type: .typeInvalid, field: field, badValue: value, detail: detail)
    }
}
