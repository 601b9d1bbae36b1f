import Foundation

/// Exponential back-off with jitter between retries of a failing loop (client-go's reflector
/// waits 800 ms doubling to 30 s, with up to 100% jitter).
struct Backoff: Sendable {
    let initial: Duration
    let maximum: Duration
    /// Each delay grows by a random fraction up to this much of itself.
    let jitter: Double
    private var current: Duration

    init(initial: Duration, maximum: Duration, jitter: Double = 1.0) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
        current = initial
    }

    /// The next delay; the one after it is twice as long, up to the maximum.
    mutating func next() -> Duration {
        let delay = current
        current = min(current * 2, maximum)
        guard jitter > 0 else { return delay }
        return delay + .seconds(delay.timeInterval * Double.random(in: 0...jitter))
    }

    mutating func reset() { current = initial }
}
