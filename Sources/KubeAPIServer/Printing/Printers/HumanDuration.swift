import Foundation

/// Upstream's `duration.HumanDuration` and `translateTimestampSince`: the AGE-style strings the
/// server puts in Table cells ("5s", "3m20s", "10m", "2d5h", "<unknown>").
enum HumanDuration {
    /// Formats a duration given in nanoseconds, as Go's `time.Duration` holds it.
    static func string(nanoseconds duration: Int64) -> String {
        let second: Int64 = 1_000_000_000
        let minute = 60 * second
        let hour = 60 * minute
        // Up to two seconds in the future is clock skew between machines, not an error.
        let seconds = duration / second
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }

        let minutes = duration / minute
        if minutes < 10 {
            let remainder = seconds % 60
            return remainder == 0 ? "\(minutes)m" : "\(minutes)m\(remainder)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }

        let hours = duration / hour
        if hours < 8 {
            let remainder = minutes % 60
            return remainder == 0 ? "\(hours)h" : "\(hours)h\(remainder)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let remainder = hours % 24
            return remainder == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(remainder)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }

    /// Formats a duration in seconds.
    static func string(_ interval: TimeInterval) -> String {
        string(nanoseconds: nanoseconds(interval))
    }

    /// How long ago `date` was; "<unknown>" when the timestamp is missing (Go's zero time).
    static func since(_ date: Date?, now: Date) -> String {
        guard let date else { return "<unknown>" }
        return string(now.timeIntervalSince(date))
    }

    /// Go's durations saturate at about ±292 years instead of overflowing.
    private static func nanoseconds(_ interval: TimeInterval) -> Int64 {
        let value = (interval * 1e9).rounded()
        if value >= 9.2e18 { return .max }
        if value <= -9.2e18 { return .min }
        return Int64(value)
    }
}
