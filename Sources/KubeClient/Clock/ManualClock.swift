import Foundation
import Synchronization

/// A clock that moves only when told to. Sleepers wake when `advance(by:)` passes their deadline.
public final class ManualClock: ClientClock {
    private let current: Mutex<Date>
    private let sleepers = ParkingLot()

    public init(now: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        current = Mutex(now)
    }

    public func now() -> Date { current.withLock { $0 } }

    /// How many tasks are sleeping on this clock; tests wait for a sleeper before advancing.
    public var sleeperCount: Int { sleepers.count }

    public func advance(by duration: Duration) {
        current.withLock { $0 = $0.addingTimeInterval(duration.timeInterval) }
        sleepers.wakeAll()
    }

    public func sleep(until deadline: Date) async throws {
        try await sleepers.wait { now() >= deadline }
    }

    /// Waits (in real time) until at least `count` tasks sleep on this clock. The bound is generous:
    /// tests run in parallel and a busy machine may start the sleeper late.
    public func waitForSleepers(_ count: Int = 1, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while sleeperCount < count {
            guard ContinuousClock.now < deadline else { throw ManualClockTimeout() }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}

/// `ManualClock.waitForSleepers` gave up.
public struct ManualClockTimeout: Error, Sendable {}
