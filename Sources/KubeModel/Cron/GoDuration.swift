import Foundation

/// Go's time.ParseDuration ("1h30m", "1.5s", "300ms"), in seconds, with its error messages.
public enum GoDuration {
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    static let units: [String: Double] = [
        "ns": 1e-9, "us": 1e-6, "\u{00B5}s": 1e-6, "\u{03BC}s": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600,
    ]

    public static func parse(_ original: String) throws(ParseError) -> Double {
        var rest = Substring(original)
        var negative = false
        if let first = rest.first, first == "-" || first == "+" {
            negative = first == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        let invalid = ParseError(description: "time: invalid duration " + GoFormatting.quote(original))
        if rest.isEmpty { throw invalid }
        var total = 0.0
        let isDigit = { (character: Character) in character.isASCII && character.isNumber }
        while !rest.isEmpty {
            guard let first = rest.first, first == "." || isDigit(first) else { throw invalid }
            let whole = rest.prefix(while: isDigit)
            rest = rest.dropFirst(whole.count)
            var fraction: Substring = ""
            if rest.first == "." {
                rest = rest.dropFirst()
                fraction = rest.prefix(while: isDigit)
                rest = rest.dropFirst(fraction.count)
            }
            if whole.isEmpty && fraction.isEmpty { throw invalid }
            let unit = rest.prefix { $0 != "." && !isDigit($0) }
            if unit.isEmpty { throw ParseError(description: "time: missing unit in duration " + GoFormatting.quote(original)) }
            rest = rest.dropFirst(unit.count)
            guard let scale = units[String(unit)] else {
                throw ParseError(description: "time: unknown unit \(GoFormatting.quote(String(unit))) in duration \(GoFormatting.quote(original))")
            }
            let value = Double((whole.isEmpty ? "0" : whole) + "." + (fraction.isEmpty ? "0" : fraction)) ?? 0
            total += value * scale
        }
        return negative ? -total : total
    }
}
