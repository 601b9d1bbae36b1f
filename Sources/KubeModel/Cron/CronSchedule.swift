import Foundation

/// A cron schedule as robfig/cron's standard parser reads it (the parser upstream validates
/// CronJob schedules with): five fields (minute, hour, day of month, month, day of week) with
/// `*`, `?`, lists, ranges, steps and month/weekday names; the @yearly/@annually/@monthly/
/// @weekly/@daily/@midnight/@hourly descriptors; `@every <duration>`; and an optional
/// `TZ=`/`CRON_TZ=` prefix. Errors carry that parser's messages.
public struct CronSchedule: Sendable, Hashable {
    /// One bit per allowed value; `starBit` marks a day field given as `*` or `?`.
    public var minutes: UInt64 = 0
    public var hours: UInt64 = 0
    public var daysOfMonth: UInt64 = 0
    public var months: UInt64 = 0
    public var daysOfWeek: UInt64 = 0
    /// Set for `@every`: the interval in seconds (the other fields are unused).
    public var interval: Double?
    /// The `TZ=`/`CRON_TZ=` zone, when the spec names one.
    public var timeZone: String?

    public static let starBit: UInt64 = 1 << 63

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    struct Bounds {
        let min: Int
        let max: Int
        var names: [String: Int] = [:]
    }

    static let minuteBounds = Bounds(min: 0, max: 59)
    static let hourBounds = Bounds(min: 0, max: 23)
    static let dayOfMonthBounds = Bounds(min: 1, max: 31)
    static let monthBounds = Bounds(min: 1, max: 12, names: [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
        "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    ])
    static let dayOfWeekBounds = Bounds(min: 0, max: 6, names: [
        "sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6,
    ])

    public static func parse(_ text: String) throws(ParseError) -> CronSchedule {
        if text.isEmpty { throw ParseError(message: "empty spec string") }
        var spec = text
        var zone: String?
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ=") {
            let equals = spec.firstIndex(of: "=")!
            let space = spec.firstIndex(of: " ") ?? spec.endIndex
            let name = String(spec[spec.index(after: equals)..<space])
            if TimeZone(identifier: name) == nil {
                throw ParseError(message: "provided bad location \(name): unknown time zone \(name)")
            }
            zone = name
            spec = String(spec[space...]).trimmingCharacters(in: .whitespaces)
        }
        var schedule: CronSchedule
        if spec.hasPrefix("@") {
            schedule = try descriptor(spec)
        } else {
            let fields = spec.split(whereSeparator: \.isWhitespace).map(String.init)
            guard fields.count == 5 else {
                throw ParseError(message: "expected exactly 5 fields, found \(fields.count): [\(fields.joined(separator: " "))]")
            }
            schedule = CronSchedule()
            schedule.minutes = try field(fields[0], minuteBounds)
            schedule.hours = try field(fields[1], hourBounds)
            schedule.daysOfMonth = try field(fields[2], dayOfMonthBounds)
            schedule.months = try field(fields[3], monthBounds)
            schedule.daysOfWeek = try field(fields[4], dayOfWeekBounds)
        }
        schedule.timeZone = zone
        return schedule
    }

    private static func bits(_ low: Int, _ high: Int, step: Int = 1) -> UInt64 {
        stride(from: low, through: high, by: step).reduce(0) { $0 | (1 << UInt64($1)) }
    }

    private static func descriptor(_ spec: String) throws(ParseError) -> CronSchedule {
        var schedule = CronSchedule(minutes: 1, hours: 1, daysOfMonth: bits(1, 31), months: bits(1, 12),
                                    daysOfWeek: bits(0, 6))
        switch spec {
        case "@yearly", "@annually":
            schedule.daysOfMonth = 1 << 1
            schedule.months = 1 << 1
            schedule.daysOfWeek |= starBit
        case "@monthly":
            schedule.daysOfMonth = 1 << 1
            schedule.daysOfWeek |= starBit
        case "@weekly":
            schedule.daysOfMonth |= starBit
            schedule.daysOfWeek = 1
        case "@daily", "@midnight":
            schedule.daysOfMonth |= starBit
            schedule.daysOfWeek |= starBit
        case "@hourly":
            schedule.hours = bits(0, 23)
            schedule.daysOfMonth |= starBit
            schedule.daysOfWeek |= starBit
        default:
            let every = "@every "
            guard spec.hasPrefix(every) else { throw ParseError(message: "unrecognized descriptor: \(spec)") }
            do {
                schedule = CronSchedule(interval: try GoDuration.parse(String(spec.dropFirst(every.count))))
            } catch {
                throw ParseError(message: "failed to parse duration \(spec): \(error)")
            }
        }
        return schedule
    }

    private static func field(_ text: String, _ bounds: Bounds) throws(ParseError) -> UInt64 {
        var result: UInt64 = 0
        for expression in text.split(separator: ",") {
            result |= try range(String(expression), bounds)
        }
        return result
    }

    /// One `start-end/step` expression of a field.
    private static func range(_ expression: String, _ bounds: Bounds) throws(ParseError) -> UInt64 {
        let rangeAndStep = expression.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        var start: Int
        var end: Int
        var extra: UInt64 = 0
        if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
            start = bounds.min
            end = bounds.max
            extra = starBit
        } else {
            start = try intOrName(lowAndHigh[0], bounds.names)
            switch lowAndHigh.count {
            case 1: end = start
            case 2: end = try intOrName(lowAndHigh[1], bounds.names)
            default: throw ParseError(message: "too many hyphens: \(expression)")
            }
        }
        var step = 1
        switch rangeAndStep.count {
        case 1: break
        case 2:
            step = try integer(rangeAndStep[1])
            // "N/step" means "N-max/step".
            if lowAndHigh.count == 1 { end = bounds.max }
            if step > 1 { extra = 0 }
        default:
            throw ParseError(message: "too many slashes: \(expression)")
        }
        if start < bounds.min {
            throw ParseError(message: "beginning of range (\(start)) below minimum (\(bounds.min)): \(expression)")
        }
        if end > bounds.max {
            throw ParseError(message: "end of range (\(end)) above maximum (\(bounds.max)): \(expression)")
        }
        if start > end {
            throw ParseError(message: "beginning of range (\(start)) beyond end of range (\(end)): \(expression)")
        }
        if step == 0 { throw ParseError(message: "step of range should be a positive number: \(expression)") }
        return bits(start, end, step: step) | extra
    }

    private static func intOrName(_ text: String, _ names: [String: Int]) throws(ParseError) -> Int {
        if let named = names[text.lowercased()] { return named }
        return try integer(text)
    }

    /// strconv.Atoi, then non-negative.
    private static func integer(_ text: String) throws(ParseError) -> Int {
        let digits = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : text[...]
        let wellFormed = !digits.isEmpty && digits.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        guard wellFormed, let number = Int(text) else {
            let reason = wellFormed ? "value out of range" : "invalid syntax"
            throw ParseError(message: "failed to parse int from \(text): strconv.Atoi: parsing \(GoFormatting.quote(text)): \(reason)")
        }
        if number < 0 { throw ParseError(message: "negative number (\(number)) not allowed: \(text)") }
        return number
    }
}
