import Foundation
import Synchronization

/// How long an item waits before it is retried, as client-go's workqueue rate limiters.
public protocol RateLimiter<Item>: Sendable {
    associatedtype Item: Hashable & Sendable
    /// The delay before `item` may be processed again; counts as one more failure.
    func when(_ item: Item) -> Duration
    /// Clears the failure history of `item` (it succeeded).
    func forget(_ item: Item)
    /// Failures recorded for `item` since it was last forgotten.
    func numRequeues(_ item: Item) -> Int
}

/// Per-item exponential back-off: `base * 2^failures`, capped at `maximum`. client-go's default
/// item limiter starts at 5 ms and caps at 1000 s.
public final class ExponentialFailureRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    public let base: Duration
    public let maximum: Duration
    private let failures = Mutex<[Item: Int]>([:])

    public init(base: Duration = .milliseconds(5), maximum: Duration = .seconds(1000)) {
        self.base = base
        self.maximum = maximum
    }

    public func when(_ item: Item) -> Duration {
        let exponent = failures.withLock { failures in
            defer { failures[item, default: 0] += 1 }
            return failures[item, default: 0]
        }
        // Doubling past ~2^40 of any sensible base is beyond the cap; stop before overflow.
        guard exponent < 40 else { return maximum }
        return min(base * (1 << exponent), maximum)
    }

    public func forget(_ item: Item) {
        _ = failures.withLock { $0.removeValue(forKey: item) }
    }

    public func numRequeues(_ item: Item) -> Int {
        failures.withLock { $0[item, default: 0] }
    }
}

/// An overall token bucket shared by all items (client-go's BucketRateLimiter: 10 qps, burst
/// 100 in the default controller limiter). Each call reserves one token.
public final class TokenBucketRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    public let perSecond: Double
    public let burst: Int
    private let clock: any ClientClock
    private let bucket: Mutex<Bucket>

    public init(perSecond: Double = 10, burst: Int = 100, clock: any ClientClock = SystemClock()) {
        self.perSecond = perSecond
        self.burst = burst
        self.clock = clock
        bucket = Mutex(Bucket(tokens: Double(burst), updated: clock.now()))
    }

    public func when(_ item: Item) -> Duration {
        let now = clock.now()
        let deficit = bucket.withLock { bucket in
            let elapsed = max(0, now.timeIntervalSince(bucket.updated))
            bucket.tokens = min(Double(burst), bucket.tokens + elapsed * perSecond) - 1
            bucket.updated = now
            return -bucket.tokens
        }
        return deficit > 0 ? .seconds(deficit / perSecond) : .zero
    }

    public func forget(_ item: Item) {}
    public func numRequeues(_ item: Item) -> Int { 0 }
}

/// The longest delay of several limiters (client-go's MaxOfRateLimiter).
public struct MaxOfRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    public let limiters: [any RateLimiter<Item>]

    public init(_ limiters: [any RateLimiter<Item>]) { self.limiters = limiters }

    public func when(_ item: Item) -> Duration {
        limiters.map { $0.when(item) }.max() ?? .zero
    }

    public func forget(_ item: Item) {
        for limiter in limiters { limiter.forget(item) }
    }

    public func numRequeues(_ item: Item) -> Int {
        limiters.map { $0.numRequeues(item) }.max() ?? 0
    }
}

extension MaxOfRateLimiter {
    /// client-go's DefaultControllerRateLimiter: per-item 5 ms…1000 s back-off, and 10 qps
    /// (burst 100) overall.
    public static func controllerDefault(clock: any ClientClock = SystemClock()) -> MaxOfRateLimiter<Item> {
        MaxOfRateLimiter([ExponentialFailureRateLimiter<Item>(), TokenBucketRateLimiter<Item>(clock: clock)])
    }
}
