/// A resource amount ("100m", "1.5Gi", "2e3") with upstream's resource.Quantity semantics:
/// exact decimal value, values rounded up to nano precision, and a format (DecimalSI, BinarySI,
/// DecimalExponent) remembered from the input so the canonical string stays in the user's style.
/// It prints what upstream prints: the canonical form, or the input itself for the short
/// inputs upstream keeps verbatim.
///
/// Equality, hashing and ordering compare the amount only ("1" == "1000m"), as upstream's
/// `Cmp` and semantic equality do; `format` is presentation.
public struct Quantity: Sendable, Hashable, Comparable, JSONCodable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// Powers of ten with SI suffixes: 100m, 1k, 5G.
        case decimalSI = "DecimalSI"
        /// Powers of two with IEC suffixes: 512Ki, 1Gi.
        case binarySI = "BinarySI"
        /// Scientific notation: 1e3, 5e-3.
        case decimalExponent = "DecimalExponent"
    }

    var amount: ExactDecimal
    public var format: Format
    /// The input text when upstream would print it back unchanged instead of the canonical
    /// form (its parser keeps short inputs it judges canonical, e.g. "1.500" or "1E3").
    /// Any arithmetic drops it, as upstream does.
    var keptText: String?

    public static let zero = Quantity(amount: .zero, format: .decimalSI)

    init(amount: ExactDecimal, format: Format) {
        self.amount = amount
        self.format = format
    }

    /// Parses upstream's quantity syntax: `<sign><digits>.<digits><suffix>`.
    public init(_ text: String) throws(QuantityError) {
        self = try QuantityParser.parse(text)
    }

    /// For literals in code and tests; an invalid literal is a programming error. Note that
    /// `Quantity("…")` with a literal argument is this initializer, not the throwing one.
    public init(stringLiteral value: String) {
        do {
            try self.init(value)
        } catch {
            preconditionFailure("invalid quantity literal \"\(value)\": \(error)")
        }
    }

    /// `value` whole units (upstream `NewQuantity`).
    public init(value: Int64, format: Format = .decimalSI) {
        self.init(amount: ExactDecimal(value), format: format)
    }

    /// `milli` thousandths of a unit (upstream `NewMilliQuantity`).
    public init(milli: Int64, format: Format = .decimalSI) {
        self.init(amount: ExactDecimal(milli, exponent: -3), format: format)
    }

    /// `value × 10^scale` (upstream `NewScaledQuantity`); amounts below nano round up.
    public init(value: Int64, scale: Int, format: Format = .decimalSI) {
        self.init(amount: ExactDecimal(value, exponent: scale).roundedToNano(), format: format)
    }

    // MARK: JSON

    /// Accepts a string, or a number because YAML `cpu: 1` arrives as one; null is zero as
    /// upstream's UnmarshalJSON makes it.
    public init(json: JSONValue, context: JSONDecodingContext) throws {
        let text: String
        switch json {
        case .string(let string): text = string.trimmingASCIIWhitespace()
        case .int(let integer): text = String(integer)
        // The original digits are gone; Go clients write floats as encoding/json does.
        case .double(let double): text = GoFormatting.jsonNumber(double)
        case .null:
            self = .zero
            return
        default: throw context.mismatch(json, expected: "quantity")
        }
        do {
            self = try QuantityParser.parse(text)
        } catch {
            throw JSONDecodeError(path: context.currentPath, message: error.description)
        }
    }

    public func toJSON() -> JSONValue { .string(description) }

    // MARK: Reading the amount

    public var isZero: Bool { amount.isZero }

    /// -1, 0 or 1.
    public var sign: Int { amount.sign }

    /// The amount rounded up to a whole number (upstream `Value()`), clamped to Int64.
    public var value: Int64 { scaledValue(0) }

    /// The amount in thousandths, rounded up (upstream `MilliValue()`), clamped to Int64.
    public var milliValue: Int64 { scaledValue(-3) }

    /// ceil(amount / 10^scale), clamped to Int64 (upstream `ScaledValue`, which overflows
    /// silently instead).
    public func scaledValue(_ scale: Int) -> Int64 {
        let scaled = amount.scaled(byPowerOfTen: -scale).ceiling()
        if let exact = scaled.int64Value { return exact }
        return scaled.isNegative ? .min : .max
    }

    /// The amount when it is a whole number that fits in Int64 (upstream `AsInt64`).
    public var int64Value: Int64? { amount.int64Value }

    /// The nearest Double (upstream `AsApproximateFloat64`).
    public var approximateDouble: Double { amount.doubleValue }

    // MARK: Arithmetic

    /// The sum keeps the left operand's format unless the left operand is zero, as upstream's
    /// `Add` does.
    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
        Quantity(amount: lhs.amount + rhs.amount, format: lhs.isZero ? rhs.format : lhs.format)
    }

    public static func - (lhs: Quantity, rhs: Quantity) -> Quantity {
        Quantity(amount: lhs.amount - rhs.amount, format: lhs.isZero ? rhs.format : lhs.format)
    }

    public static prefix func - (operand: Quantity) -> Quantity {
        Quantity(amount: -operand.amount, format: operand.format)
    }

    public static func += (lhs: inout Quantity, rhs: Quantity) { lhs = lhs + rhs }
    public static func -= (lhs: inout Quantity, rhs: Quantity) { lhs = lhs - rhs }

    // MARK: Comparison

    public static func == (lhs: Quantity, rhs: Quantity) -> Bool { lhs.amount == rhs.amount }
    public func hash(into hasher: inout Hasher) { hasher.combine(amount) }
    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { ExactDecimal.compare(lhs.amount, rhs.amount) < 0 }

    /// -1, 0 or 1 (upstream `Cmp`).
    public func compare(_ other: Quantity) -> Int { ExactDecimal.compare(amount, other.amount) }

    // MARK: Canonical form

    /// What upstream's `String()` and JSON encoding print: the canonical form ("100m",
    /// "1536Mi", "2e3", "0"), or the input itself when upstream keeps it.
    public var description: String { keptText ?? canonical }

    /// The canonical form, whatever the input looked like.
    public var canonical: String {
        let (number, suffix) = canonicalParts
        return number + suffix
    }

    /// The canonical number and suffix separately (upstream `CanonicalizeBytes`).
    public var canonicalParts: (number: String, suffix: String) {
        if isZero { return ("0", "") }
        let sign = amount.isNegative ? "-" : ""
        if format == .binarySI, let (coefficient, power) = binaryParts {
            return (sign + coefficient.magnitude.coefficientText(atExponent: 0), Self.binarySuffixes[power])
        }
        // Move every factor of ten into the exponent (normalization did) and then lower the
        // exponent to a multiple of three, as upstream does for both decimal formats.
        var exponent = amount.exponent
        exponent -= ((exponent % 3) + 3) % 3
        if format != .decimalExponent {
            // SI suffixes stop at E; larger amounts print more digits before it.
            exponent = min(exponent, 18)
            let number = sign + amount.magnitude.coefficientText(atExponent: exponent)
            return (number, Self.decimalSuffixes[exponent] ?? "")
        }
        let number = sign + amount.magnitude.coefficientText(atExponent: exponent)
        return (number, exponent == 0 ? "" : "e\(exponent)")
    }

    /// A BinarySI amount prints with a binary suffix only when it is a whole number of at least
    /// 1024 in magnitude; otherwise upstream falls back to DecimalSI so nothing is rounded.
    private var binaryParts: (ExactDecimal, Int)? {
        guard amount.isInteger, ExactDecimal.compare(amount.magnitude, ExactDecimal(1024)) >= 0 else { return nil }
        return amount.removingFactorsOf1024(limit: Self.binarySuffixes.count - 1)
    }

    static let binarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
    static let decimalSuffixes: [Int: String] = [
        -9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E",
    ]
}

extension ExactDecimal {
    /// Upstream keeps nine fractional digits and rounds anything finer away from zero.
    func roundedToNano() -> ExactDecimal { roundedAwayFromZero(toExponent: -9) }
}

/// Why a quantity string was rejected; `description` is upstream's message.
public enum QuantityError: Error, Sendable, Hashable, CustomStringConvertible {
    case formatWrong
    case numeric
    case suffix

    public var description: String {
        switch self {
        case .formatWrong:
            return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        case .numeric: return "unable to parse numeric part of quantity"
        case .suffix: return "unable to parse quantity's suffix"
        }
    }
}

extension String {
    fileprivate func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
