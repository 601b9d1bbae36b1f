import Foundation

extension CronSchedule {
    /// The zone the schedule's fields are read in: its `TZ=`/`CRON_TZ=` zone, or `local` (the
    /// zone of the process that runs the schedule, as robfig/cron reads schedules without one).
    public func zone(local: TimeZone) -> TimeZone {
        timeZone.flatMap(TimeZone.init(identifier:)) ?? local
    }

    /// The first activation strictly after `time` (robfig/cron's `Schedule.Next`), or nil when
    /// none falls within five years (a schedule such as `0 0 30 2 *` never fires).
    ///
    /// Times are whole seconds. The search moves the way robfig/cron's does, so daylight-saving
    /// changes have the same effect: hours and minutes advance by elapsed time and are read in
    /// the zone, so an activation inside a skipped hour does not happen that day and one inside
    /// a repeated hour happens twice; days advance by calendar date.
    public func next(after time: Date, local: TimeZone) -> Date? {
        let start = Int64(time.timeIntervalSince1970.rounded(.down))
        if let interval {
            // ConstantDelaySchedule: at least a second, whole seconds, from the last whole second.
            return Date(timeIntervalSince1970: Double(start + max(1, Int64(interval))))
        }
        let clock = ZonedClock(zone: zone(local: local))
        var t = start + 1
        var added = false
        let yearLimit = clock.fields(t).year + 5
        search: while true {
            var f = clock.fields(t)
            if f.year > yearLimit { return nil }

            while months & (1 << UInt64(f.month)) == 0 {
                if !added {
                    added = true
                    t = clock.date(year: f.year, month: f.month, day: 1, hour: 0, minute: 0, second: 0)
                    f = clock.fields(t)
                }
                t = clock.date(year: f.year, month: f.month + 1, day: f.day, hour: f.hour, minute: f.minute, second: f.second)
                f = clock.fields(t)
                if f.month == 1 { continue search }
            }

            while !dayMatches(f) {
                if !added {
                    added = true
                    t = clock.date(year: f.year, month: f.month, day: f.day, hour: 0, minute: 0, second: 0)
                    f = clock.fields(t)
                }
                t = clock.date(year: f.year, month: f.month, day: f.day + 1, hour: f.hour, minute: f.minute, second: f.second)
                f = clock.fields(t)
                // Where midnight does not exist (or repeats), land back on the day's start.
                if f.hour != 0 {
                    t += f.hour > 12 ? Int64(24 - f.hour) * 3600 : -Int64(f.hour) * 3600
                    f = clock.fields(t)
                }
                if f.day == 1 { continue search }
            }

            while hours & (1 << UInt64(f.hour)) == 0 {
                if !added {
                    added = true
                    t = clock.date(year: f.year, month: f.month, day: f.day, hour: f.hour, minute: 0, second: 0)
                }
                t += 3600
                f = clock.fields(t)
                if f.hour == 0 { continue search }
            }

            while minutes & (1 << UInt64(f.minute)) == 0 {
                if !added {
                    added = true
                    t -= floorMod(t, 60)
                }
                t += 60
                f = clock.fields(t)
                if f.minute == 0 { continue search }
            }

            // Standard schedules fire at second zero.
            while f.second != 0 {
                added = true
                t += 1
                f = clock.fields(t)
                if f.second == 0 { continue search }
            }
            return Date(timeIntervalSince1970: Double(t))
        }
    }

    /// Both day fields must match when either was given as `*`; otherwise either may.
    private func dayMatches(_ fields: ZonedClock.Fields) -> Bool {
        let dayOfMonth = daysOfMonth & (1 << UInt64(fields.day)) != 0
        let dayOfWeek = daysOfWeek & (1 << UInt64(fields.weekday)) != 0
        if daysOfMonth & Self.starBit != 0 || daysOfWeek & Self.starBit != 0 { return dayOfMonth && dayOfWeek }
        return dayOfMonth || dayOfWeek
    }
}

private func floorMod(_ value: Int64, _ divisor: Int64) -> Int64 {
    let remainder = value % divisor
    return remainder < 0 ? remainder + divisor : remainder
}

/// Wall-clock fields of Unix seconds in one zone, and Go's `time.Date` back: fields out of
/// range carry over (month 13 is January of the next year), and a wall time that does not
/// exist or exists twice resolves the way Go resolves it.
struct ZonedClock {
    struct Fields {
        var year: Int
        var month: Int
        var day: Int
        var hour: Int
        var minute: Int
        var second: Int
        /// 0 is Sunday.
        var weekday: Int
    }

    let zone: TimeZone

    func offset(at seconds: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
    }

    func fields(_ seconds: Int64) -> Fields {
        let local = seconds + offset(at: seconds)
        let days = (local - floorMod(local, 86_400)) / 86_400
        let secondOfDay = Int(floorMod(local, 86_400))
        let (year, month, day) = Self.civil(fromDays: days)
        return Fields(year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60,
                      second: secondOfDay % 60, weekday: Int(floorMod(days + 4, 7)))
    }

    /// Go's time.Date: the wall time read as UTC, then corrected by the zone's offset there,
    /// or by the offset after a transition when the first guess lands on its other side.
    func date(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int64 {
        let monthIndex = month - 1
        let carriedYear = year + (monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12)
        let normalizedMonth = Int(floorMod(Int64(monthIndex), 12)) + 1
        let days = Self.days(fromYear: carriedYear, month: normalizedMonth, day: 1) + Int64(day - 1)
        let wall = days * 86_400 + Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)
        let guess = offset(at: wall)
        let utc = wall - guess
        let actual = offset(at: utc)
        return actual == guess ? utc : wall - actual
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(fromYear year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
