/// An exact signed decimal number: `±coefficient × 10^exponent`, with the coefficient held as
/// decimal digits so that sums of any size stay exact (upstream uses math/big for the same
/// reason). Always normalized: no leading or trailing zero digits, zero is empty and positive,
/// so two equal numbers are equal field by field (which makes `Hashable` free).
struct ExactDecimal: Sendable, Hashable {
    /// Digits of the coefficient, least significant first.
    private(set) var digits: [UInt8]
    private(set) var exponent: Int
    private(set) var isNegative: Bool

    static let zero = ExactDecimal(digits: [], exponent: 0, isNegative: false)

    /// `digits` are least significant first and need not be normalized.
    init(digits: [UInt8], exponent: Int, isNegative: Bool) {
        var digits = digits
        var exponent = exponent
        while digits.last == 0 { digits.removeLast() }
        let trailingZeros = digits.prefix(while: { $0 == 0 }).count
        if trailingZeros > 0 {
            digits.removeFirst(trailingZeros)
            exponent += trailingZeros
        }
        if digits.isEmpty { exponent = 0 }
        self.digits = digits
        self.exponent = exponent
        self.isNegative = isNegative && !digits.isEmpty
    }

    init(_ value: Int64, exponent: Int = 0) {
        var magnitude = value.magnitude
        var digits: [UInt8] = []
        while magnitude > 0 {
            digits.append(UInt8(magnitude % 10))
            magnitude /= 10
        }
        self.init(digits: digits, exponent: exponent, isNegative: value < 0)
    }

    var isZero: Bool { digits.isEmpty }
    var sign: Int { isZero ? 0 : (isNegative ? -1 : 1) }
    var magnitude: ExactDecimal { ExactDecimal(digits: digits, exponent: exponent, isNegative: false) }
    var isInteger: Bool { exponent >= 0 }

    /// Power of ten of the leading digit plus one; orders magnitudes of different length.
    var order: Int { digits.count + exponent }

    static prefix func - (value: ExactDecimal) -> ExactDecimal {
        ExactDecimal(digits: value.digits, exponent: value.exponent, isNegative: !value.isNegative)
    }

    static func + (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        if lhs.isZero { return rhs }
        if rhs.isZero { return lhs }
        let exponent = min(lhs.exponent, rhs.exponent)
        let left = lhs.coefficient(atExponent: exponent)
        let right = rhs.coefficient(atExponent: exponent)
        if lhs.isNegative == rhs.isNegative {
            return ExactDecimal(digits: Natural.add(left, right), exponent: exponent, isNegative: lhs.isNegative)
        }
        // Opposite signs: subtract the smaller magnitude from the larger one.
        if Natural.compare(left, right) >= 0 {
            return ExactDecimal(digits: Natural.subtract(left, right), exponent: exponent, isNegative: lhs.isNegative)
        }
        return ExactDecimal(digits: Natural.subtract(right, left), exponent: exponent, isNegative: rhs.isNegative)
    }

    static func - (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal { lhs + (-rhs) }

    static func compare(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> Int {
        if lhs.sign != rhs.sign { return lhs.sign < rhs.sign ? -1 : 1 }
        let magnitudeOrder = compareMagnitudes(lhs, rhs)
        return lhs.isNegative ? -magnitudeOrder : magnitudeOrder
    }

    private static func compareMagnitudes(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> Int {
        if lhs.isZero || rhs.isZero { return lhs.isZero == rhs.isZero ? 0 : (lhs.isZero ? -1 : 1) }
        if lhs.order != rhs.order { return lhs.order < rhs.order ? -1 : 1 }
        // Same leading power: compare digit by digit from the top; with no trailing zeros the
        // longer coefficient is larger when one is a prefix of the other.
        var left = lhs.digits.count - 1
        var right = rhs.digits.count - 1
        while left >= 0 && right >= 0 {
            if lhs.digits[left] != rhs.digits[right] { return lhs.digits[left] < rhs.digits[right] ? -1 : 1 }
            left -= 1
            right -= 1
        }
        if left == right { return 0 }
        return left > right ? 1 : -1
    }

    /// Multiplies by 2^power exactly (binary suffixes: Ki is 2^10 … Ei is 2^60).
    func multipliedByPowerOfTwo(_ power: Int) -> ExactDecimal {
        var result = digits
        var remaining = power
        while remaining > 0 {
            let step = min(remaining, 30)
            result = Natural.multiply(result, by: UInt64(1) << UInt64(step))
            remaining -= step
        }
        return ExactDecimal(digits: result, exponent: exponent, isNegative: isNegative)
    }

    /// Rounds away from zero to a multiple of 10^exponent (upstream rounds quantities up to
    /// nano precision so that asking for a tiny amount still gets some).
    func roundedAwayFromZero(toExponent target: Int) -> ExactDecimal {
        guard exponent < target, !isZero else { return self }
        let dropped = target - exponent
        // Normalized, so the dropped digits include a non-zero one: always round up.
        let kept = dropped >= digits.count ? [] : Array(digits[dropped...])
        return ExactDecimal(digits: Natural.add(kept, [1]), exponent: target, isNegative: isNegative)
    }

    /// The smallest integer not less than this number.
    func ceiling() -> ExactDecimal {
        guard exponent < 0 else { return self }
        let dropped = -exponent
        let kept = dropped >= digits.count ? [] : Array(digits[dropped...])
        let truncated = ExactDecimal(digits: kept, exponent: 0, isNegative: isNegative)
        return isNegative ? truncated : truncated + ExactDecimal(1)
    }

    /// This number times 10^power, exactly.
    func scaled(byPowerOfTen power: Int) -> ExactDecimal {
        ExactDecimal(digits: digits, exponent: exponent + power, isNegative: isNegative)
    }

    /// The value as Int64 when it is an integer in range.
    var int64Value: Int64? {
        guard isInteger else { return nil }
        if isZero { return 0 }
        guard order <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for digit in digits.reversed() { magnitude = magnitude * 10 + UInt64(digit) }
        for _ in 0..<exponent { magnitude *= 10 }
        if isNegative {
            return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    var doubleValue: Double {
        var result = 0.0
        for digit in digits.reversed() { result = result * 10 + Double(digit) }
        var power = 1.0
        for _ in 0..<min(abs(exponent), 400) { power *= 10 }
        result = exponent >= 0 ? result * power : result / power
        return isNegative ? -result : result
    }

    /// Splits an integer into `quotient × 1024^times` with the quotient not divisible by 1024,
    /// removing at most `limit` factors.
    func removingFactorsOf1024(limit: Int) -> (quotient: ExactDecimal, times: Int) {
        precondition(isInteger)
        var coefficient = coefficient(atExponent: 0)
        var times = 0
        while times < limit {
            let (quotient, remainder) = Natural.divide(coefficient, by: 1024)
            guard remainder == 0, !quotient.isEmpty else { break }
            coefficient = quotient
            times += 1
        }
        return (ExactDecimal(digits: coefficient, exponent: 0, isNegative: isNegative), times)
    }

    /// Coefficient digits (least significant first) when written with the given (smaller or
    /// equal) exponent.
    func coefficient(atExponent target: Int) -> [UInt8] {
        precondition(target <= exponent || isZero)
        if isZero { return [] }
        return [UInt8](repeating: 0, count: exponent - target) + digits
    }

    /// Decimal digits of the magnitude's coefficient written with the given exponent, most
    /// significant first ("0" for zero).
    func coefficientText(atExponent target: Int) -> String {
        let coefficient = coefficient(atExponent: target)
        if coefficient.isEmpty { return "0" }
        return String(decoding: coefficient.reversed().map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
    }
}

/// Unsigned integers as decimal digit arrays, least significant first.
enum Natural {
    static func add(_ lhs: [UInt8], _ rhs: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(max(lhs.count, rhs.count) + 1)
        var carry: UInt8 = 0
        for index in 0..<max(lhs.count, rhs.count) {
            let sum = (index < lhs.count ? lhs[index] : 0) + (index < rhs.count ? rhs[index] : 0) + carry
            result.append(sum % 10)
            carry = sum / 10
        }
        if carry > 0 { result.append(carry) }
        return result
    }

    /// `lhs - rhs`; requires `lhs >= rhs`.
    static func subtract(_ lhs: [UInt8], _ rhs: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(lhs.count)
        var borrow: Int = 0
        for index in 0..<lhs.count {
            var difference = Int(lhs[index]) - (index < rhs.count ? Int(rhs[index]) : 0) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 10 }
            result.append(UInt8(difference))
        }
        while result.last == 0 { result.removeLast() }
        return result
    }

    /// Compares numbers given without leading zeros.
    static func compare(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        let left = lhs.count - (lhs.reversed().prefix(while: { $0 == 0 }).count)
        let right = rhs.count - (rhs.reversed().prefix(while: { $0 == 0 }).count)
        if left != right { return left < right ? -1 : 1 }
        var index = left - 1
        while index >= 0 {
            if lhs[index] != rhs[index] { return lhs[index] < rhs[index] ? -1 : 1 }
            index -= 1
        }
        return 0
    }

    /// Multiplies by a factor of at most 2^32 (so digit × factor + carry fits in UInt64).
    static func multiply(_ value: [UInt8], by factor: UInt64) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(value.count + 10)
        var carry: UInt64 = 0
        for digit in value {
            let product = UInt64(digit) * factor + carry
            result.append(UInt8(product % 10))
            carry = product / 10
        }
        while carry > 0 {
            result.append(UInt8(carry % 10))
            carry /= 10
        }
        while result.last == 0 { result.removeLast() }
        return result
    }

    static func divide(_ value: [UInt8], by divisor: UInt64) -> (quotient: [UInt8], remainder: UInt64) {
        var quotient = [UInt8](repeating: 0, count: value.count)
        var remainder: UInt64 = 0
        var index = value.count - 1
        while index >= 0 {
            let current = remainder * 10 + UInt64(value[index])
            quotient[index] = UInt8(current / divisor)
            remainder = current % divisor
            index -= 1
        }
        while quotient.last == 0 { quotient.removeLast() }
        return (quotient, remainder)
    }
}
