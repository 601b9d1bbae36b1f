/// The offending value carried by a `FieldError`, kept in a form that prints the way upstream
/// prints Go values in `field.Error` messages (`%q` for strings, `%v` for numbers and booleans,
/// `%#v` for lists).
public enum FieldValue: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral
{
    /// No value shown: the message is just the error type (upstream's `omitValue`).
    case omitted
    case null
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    /// A list of strings; nil is a Go nil slice.
    case strings([String]?)
    /// Text already rendered by the caller, for structured values.
    case rendered(String)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    public var description: String {
        switch self {
        case .omitted: return ""
        case .null: return "null"
        case .string(let string): return GoFormatting.quote(string)
        case .int(let integer): return String(integer)
        case .double(let double): return GoFormatting.float(double)
        case .bool(let bool): return bool ? "true" : "false"
        case .strings(let strings): return GoFormatting.stringSlice(strings)
        case .rendered(let text): return text
        }
    }
}
