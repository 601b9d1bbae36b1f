import Foundation

/// Wall-clock time and sleeping, passed into everything that waits (work queues, informers,
/// leader election, the event recorder) so tests can drive time with a `ManualClock`.
public protocol ClientClock: Sendable {
    func now() -> Date
    /// Returns once `deadline` has passed on this clock; throws `CancellationError` when the
    /// calling task is cancelled first.
    func sleep(until deadline: Date) async throws
}

extension ClientClock {
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now().addingTimeInterval(duration.timeInterval))
    }
}

/// The real clock.
public struct SystemClock: ClientClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let remaining = deadline.timeIntervalSinceNow
        if remaining > 0 {
            try await Task.sleep(for: .seconds(remaining))
        } else {
            try Task.checkCancellation()
        }
    }
}

extension Duration {
    /// Seconds as a floating-point interval, for `Date` arithmetic.
    public var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
