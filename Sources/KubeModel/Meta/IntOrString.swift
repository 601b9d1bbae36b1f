/// A field that holds either an integer or a string (a port number or a port name, a count or a
/// percentage), serialized as whichever it holds.
public enum IntOrString: Sendable, Hashable, JSONCodable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByStringLiteral
{
    case int(Int)
    case string(String)

    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }

    public init(json: JSONValue, context: JSONDecodingContext) throws {
        switch json {
        case .int(let i): self = .int(Int(i))
        case .double(let d) where d == d.rounded(): self = .int(Int(d))
        case .string(let s): self = .string(s)
        default: throw context.mismatch(json, expected: "int-or-string")
        }
    }

    public func toJSON() -> JSONValue {
        switch self {
        case .int(let i): return .int(Int64(i))
        case .string(let s): return .string(s)
        }
    }

    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .string(let s): return s
        }
    }

    /// Resolves an absolute number or a percentage ("25%") of `total`, rounding up or down as
    /// the caller's upstream rule requires (maxSurge rounds up, maxUnavailable down).
    public func scaledValue(total: Int, roundUp: Bool) -> Int? {
        switch self {
        case .int(let i): return i
        case .string(let s):
            guard s.hasSuffix("%"), let percent = Int(s.dropLast()) else { return Int(s) }
            let product = percent * total
            return roundUp ? (product + 99) / 100 : product / 100
        }
    }
}
