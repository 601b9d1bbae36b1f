/// Renders values the way Go's fmt and encoding/json do, because upstream's messages embed
/// values printed with `%q`, `%v` and `%#v`, and quantities keep the text a Go client sent.
enum GoFormatting {
    /// Go's `%q` (strconv.Quote): double quotes, backslash escapes for quotes, backslashes,
    /// control and non-printable characters; printable Unicode is kept as is.
    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\u{07}": result += "\\a"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{0B}": result += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value < 0x80 || isPrintable(scalar) {
                    result.unicodeScalars.append(scalar)
                } else if scalar.value < 0x10000 {
                    result += "\\u" + hex(scalar.value, width: 4)
                } else {
                    result += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return result + "\""
    }

    /// Go's `%#v` of a `[]string`: `[]string{"a", "b"}`; an absent list prints as nil.
    static func stringSlice(_ values: [String]?) -> String {
        guard let values else { return "[]string(nil)" }
        return "[]string{" + values.map(quote).joined(separator: ", ") + "}"
    }

    /// Go's `%v` of a float64: the shortest digits, in exponent form when the exponent is
    /// below -4 or at least 6 ("1e+06", "1e-05", "123456").
    static func float(_ value: Double) -> String {
        format(value, useExponent: { $0 < -4 || $0 >= 6 }, minimumExponentDigits: 2)
    }

    /// How Go's encoding/json writes a float64: plain between 1e-6 and 1e21, otherwise with an
    /// exponent of at least one digit ("1e+21", "1.5e-7").
    static func jsonNumber(_ value: Double) -> String {
        let magnitude = value.magnitude
        return format(value, useExponent: { _ in magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) }, minimumExponentDigits: 1)
    }

    private static func format(_ value: Double, useExponent: (Int) -> Bool, minimumExponentDigits: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let sign = value.sign == .minus ? "-" : ""
        if value == 0 { return sign + "0" }
        let (digits, pointPosition) = shortestDigits(value.magnitude)
        let exponent = pointPosition - 1
        if useExponent(exponent) {
            var mantissa = String(digits[0])
            if digits.count > 1 { mantissa += "." + String(digits[1...]) }
            let exponentDigits = String(abs(exponent))
            let padding = String(repeating: "0", count: max(0, minimumExponentDigits - exponentDigits.count))
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + padding + exponentDigits
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + String(digits)
        }
        if digits.count <= pointPosition {
            return sign + String(digits) + String(repeating: "0", count: pointPosition - digits.count)
        }
        return sign + String(digits[..<pointPosition]) + "." + String(digits[pointPosition...])
    }

    /// The shortest round-tripping digits of a positive finite value (Swift's description
    /// picks the same digits as Go's strconv) and where the decimal point goes:
    /// value = 0.d1d2d3… × 10^pointPosition.
    private static func shortestDigits(_ value: Double) -> (digits: [Character], pointPosition: Int) {
        var text = "\(value)"
        var exponentOffset = 0
        if let marker = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponentOffset = Int(text[text.index(after: marker)...]) ?? 0
            text = String(text[..<marker])
        }
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = pieces.first.map(String.init) ?? ""
        let fractionPart = pieces.count > 1 ? String(pieces[1]) : ""
        var digits = Array(integerPart + fractionPart)
        var pointPosition = integerPart.count + exponentOffset
        while digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (digits, pointPosition)
    }

    /// unicode.IsPrint: letters, marks, numbers, punctuation and symbols (plus ASCII space).
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
            .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return false
        default:
            return true
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
