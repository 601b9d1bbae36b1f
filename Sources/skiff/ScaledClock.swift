import Foundation
import KubeClient

/// A clock that runs `rate` times faster than real time from the moment it is made, so that
/// schedules and back-offs measured in minutes pass in seconds. Only for tests of `skiff
/// server` (the hidden `--controller-time-scale`): what it stamps lies in the real future.
struct ScaledClock: ClientClock {
    let rate: Double
    let origin: Date

    init(rate: Double, origin: Date = Date()) {
        self.rate = rate
        self.origin = origin
    }

    func now() -> Date {
        origin.addingTimeInterval(Date().timeIntervalSince(origin) * rate)
    }

    func sleep(until deadline: Date) async throws {
        let remaining = deadline.timeIntervalSince(now()) / rate
        if remaining > 0 {
            try await Task.sleep(for: .seconds(remaining))
        } else {
            try Task.checkCancellation()
        }
    }
}
