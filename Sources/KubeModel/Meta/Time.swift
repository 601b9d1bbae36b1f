import Foundation

/// metav1.Time: a timestamp serialized as RFC 3339 in UTC with whole seconds
/// ("2024-05-01T10:00:00Z"). Input may carry fractional seconds and any offset.
public struct Time: Sendable, Hashable, Comparable, JSONCodable, CustomStringConvertible {
    public var date: Date

    public init(_ date: Date) { self.date = date }
    public static func now() -> Time { Time(Date()) }

    public init(json: JSONValue, context: JSONDecodingContext) throws {
        guard case .string(let text) = json, let date = RFC3339.parse(text) else {
            throw context.mismatch(json, expected: "RFC 3339 time")
        }
        self.date = date
    }

    public func toJSON() -> JSONValue { .string(description) }
    public var description: String { RFC3339.format(date, fractionalDigits: 0) }
    public static func < (lhs: Time, rhs: Time) -> Bool { lhs.date < rhs.date }
}

/// metav1.MicroTime: like `Time` with microsecond precision ("2024-05-01T10:00:00.123456Z").
public struct MicroTime: Sendable, Hashable, Comparable, JSONCodable, CustomStringConvertible {
    public var date: Date

    public init(_ date: Date) { self.date = date }
    public static func now() -> MicroTime { MicroTime(Date()) }

    public init(json: JSONValue, context: JSONDecodingContext) throws {
        guard case .string(let text) = json, let date = RFC3339.parse(text) else {
            throw context.mismatch(json, expected: "RFC 3339 time")
        }
        self.date = date
    }

    public func toJSON() -> JSONValue { .string(description) }
    public var description: String { RFC3339.format(date, fractionalDigits: 6) }
    public static func < (lhs: MicroTime, rhs: MicroTime) -> Bool { lhs.date < rhs.date }
}

/// RFC 3339 formatting and parsing without DateFormatter (which is slow and locale-bound).
public enum RFC3339 {
    public static func format(_ date: Date, fractionalDigits: Int) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = Int64(interval.rounded(.down))
        var fraction = interval - Double(seconds)
        if fractionalDigits == 0 { fraction = 0 }
        var scaledFraction = Int64((fraction * pow(10, Double(fractionalDigits))).rounded(.down))
        if scaledFraction >= Int64(pow(10, Double(fractionalDigits))) && fractionalDigits > 0 {
            seconds += 1
            scaledFraction = 0
        }
        let (year, month, day) = civilDate(daysSinceEpoch: floorDiv(seconds, 86400))
        let secondOfDay = seconds - floorDiv(seconds, 86400) * 86400
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if fractionalDigits > 0 { text += "." + pad(scaledFraction, fractionalDigits) }
        return text + "Z"
    }

    /// Accepts `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`/`z` and a space separator too.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int64? {
            guard index + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<digits {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
                index += 1
            }
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
            let second = number(2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            if index == start { return nil }
        }
        var offsetSeconds: Int64 = 0
        if expect("Zz") {
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = number(2), expect(":"), let offsetMinutes = number(2) else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

    // Howard Hinnant's days-from-civil algorithm (proleptic Gregorian calendar).
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    static func civilDate(daysSinceEpoch days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719468
        let era = floorDiv(z, 146097)
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
