/// Reads upstream's quantity syntax. It follows upstream's scanner rather than the regular
/// expression quoted in its error message, so the same strings are accepted (".5", "1.", and a
/// missing number such as "Mi", which upstream reads as zero).
enum QuantityParser {
    /// Amounts at or beyond 10^this are refused: exact sums of such amounts against small ones
    /// would need that many digits, and no resource is that large.
    static let maximumOrderOfMagnitude = 1024

    static func parse(_ text: String) throws(QuantityError) -> Quantity {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .formatWrong }
        let parts = try split(bytes)
        guard let (base, power, format) = interpret(suffix: parts.suffix) else { throw .suffix }

        // Digits least significant first; the fraction's length lowers the exponent.
        let digits = (parts.integerDigits + parts.fractionDigits).reversed().map { $0 - UInt8(ascii: "0") }
        var amount = ExactDecimal(digits: Array(digits), exponent: -parts.fractionDigits.count, isNegative: false)
        if base == 10 {
            amount = amount.scaled(byPowerOfTen: power)
        } else {
            amount = amount.multipliedByPowerOfTwo(power)
        }
        guard amount.isZero || amount.order <= maximumOrderOfMagnitude else { throw .numeric }

        amount = amount.roundedToNano()
        var resolvedFormat = format
        if format == .binarySI {
            // BinarySI amounts are capped at the largest int64, as upstream does.
            let maximum = ExactDecimal(Int64.max)
            if ExactDecimal.compare(amount, maximum) > 0 { amount = maximum }
            // A fraction of one cannot be written with a binary suffix.
            if !amount.isZero && ExactDecimal.compare(amount, ExactDecimal(1)) < 0 { resolvedFormat = .decimalSI }
        }
        if parts.isNegative { amount = -amount }
        var quantity = Quantity(amount: amount, format: resolvedFormat)
        if text == "0" || upstreamKeepsText(parts, power: power, format: format) { quantity.keptText = text }
        return quantity
    }

    /// Upstream's parser has a fast path for short inputs, and there it keeps the input text
    /// when a cheap test says it is already canonical. The test is imperfect ("1.500", "+1" and
    /// "1E3" pass it), and the kept text is what upstream prints, so it is reproduced exactly.
    private static func upstreamKeepsText(_ parts: Parts, power: Int, format: Quantity.Format) -> Bool {
        let integerDigits = parts.integerDigits.isEmpty ? [UInt8(ascii: "0")] : parts.integerDigits
        let shifted = integerDigits + parts.fractionDigits
        switch format {
        case .binarySI:
            guard parts.fractionDigits.isEmpty else { return false }
            let precision = 15 - integerDigits.count - power * 3 / 10 - 1
            guard precision >= 0, let value = Int64(String(decoding: shifted, as: UTF8.self)) else { return false }
            guard !value.multipliedReportingOverflow(by: Int64(1) << Int64(power)).overflow else { return false }
            return value & 0x07 != 0
        case .decimalSI, .decimalExponent:
            let precision = 18 - shifted.count
            let scale = power - parts.fractionDigits.count
            guard precision >= 0, scale >= -9 else { return false }
            return scale % 3 == 0 && !shifted.reversed().starts(with: Array("000".utf8))
                && shifted.first != UInt8(ascii: "0")
        }
    }

    private struct Parts {
        var isNegative = false
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        var suffix: [UInt8] = []
    }

    private static let suffixLetters = Set("eEinumkKMGTP".utf8)

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Sign, integer digits, fraction digits and suffix, scanned the way upstream's
    /// parseQuantityString scans them.
    private static func split(_ bytes: [UInt8]) throws(QuantityError) -> Parts {
        var parts = Parts()
        var position = 0
        let end = bytes.count
        if bytes[0] == UInt8(ascii: "-") {
            parts.isNegative = true
            position = 1
        } else if bytes[0] == UInt8(ascii: "+") {
            position = 1
        }
        while position < end, bytes[position] == UInt8(ascii: "0") { position += 1 }
        while position < end, isDigit(bytes[position]) {
            parts.integerDigits.append(bytes[position])
            position += 1
        }
        if position < end, bytes[position] == UInt8(ascii: ".") {
            position += 1
            while position < end, isDigit(bytes[position]) {
                parts.fractionDigits.append(bytes[position])
                position += 1
            }
        }
        // Suffix: letters from the suffix alphabet, an optional sign, then exponent digits.
        let suffixStart = position
        while position < end, suffixLetters.contains(bytes[position]) { position += 1 }
        if position < end, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
            position += 1
        }
        while position < end, isDigit(bytes[position]) { position += 1 }
        guard position == end else { throw .formatWrong }
        parts.suffix = Array(bytes[suffixStart..<end])
        return parts
    }

    /// Base (10 or 2), power and format of a suffix; nil when the suffix is unknown.
    private static func interpret(suffix: [UInt8]) -> (Int, Int, Quantity.Format)? {
        switch String(decoding: suffix, as: UTF8.self) {
        case "n": return (10, -9, .decimalSI)
        case "u": return (10, -6, .decimalSI)
        case "m": return (10, -3, .decimalSI)
        case "": return (10, 0, .decimalSI)
        case "k": return (10, 3, .decimalSI)
        case "M": return (10, 6, .decimalSI)
        case "G": return (10, 9, .decimalSI)
        case "T": return (10, 12, .decimalSI)
        case "P": return (10, 15, .decimalSI)
        case "E": return (10, 18, .decimalSI)
        case "Ki": return (2, 10, .binarySI)
        case "Mi": return (2, 20, .binarySI)
        case "Gi": return (2, 30, .binarySI)
        case "Ti": return (2, 40, .binarySI)
        case "Pi": return (2, 50, .binarySI)
        case "Ei": return (2, 60, .binarySI)
        case let other:
            // "e3", "E-3", "e+3": a decimal exponent (a lone "E" is exa, handled above).
            guard other.count > 1, other.first == "e" || other.first == "E",
                let power = Int32(other.dropFirst())
            else { return nil }
            return (10, Int(power), .decimalExponent)
        }
    }
}
