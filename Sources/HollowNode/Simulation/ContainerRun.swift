import Foundation
import KubeModel

/// How one run of a container ended.
public struct ContainerTermination: Sendable, Equatable {
    public var exitCode: Int
    public var reason: String
    public var message: String?
    public var startedAt: Date?
    public var finishedAt: Date
    public var containerID: String?
}

/// One container of a hollow pod as its runtime would know it: the current state, the restart
/// count and the last termination. Moves only through `PodRuntime.advance`, which is pure in
/// time: every transition happens at a computed instant, never at "whenever the code ran".
public struct ContainerRun: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// Not started yet (no sandbox, or waiting for init containers).
        case waiting
        case running(since: Date)
        case terminated(ContainerTermination)
        /// Exited and waiting to be restarted (CrashLoopBackOff): the exit is `lastTermination`.
        case backingOff(until: Date, delay: Duration)
    }

    public let name: String
    public let image: String
    /// The digest reference the runtime reports for `image`.
    public let imageID: String
    public let program: ContainerProgram
    /// Seconds after a start until the (always succeeding) startup and readiness probes pass.
    public let startupDelay: Int?
    public let readinessDelay: Int?
    public var state = State.waiting
    public var restartCount = 0
    public var lastTermination: ContainerTermination?
    /// The runtime's ID of the current (or last) run.
    public var containerID: String?

    init(_ container: CoreV1.Container) {
        name = container.name
        image = container.image ?? ""
        imageID = HollowIdentifiers.imageID(container.image ?? "")
        program = ContainerProgram.of(container)
        startupDelay = container.startupProbe.map { $0.initialDelaySeconds ?? 0 }
        readinessDelay = container.readinessProbe.map { $0.initialDelaySeconds ?? 0 }
    }

    mutating func start(at time: Date, podUID: String) {
        containerID = "hollow://" + HollowIdentifiers.hex(podUID, name, String(restartCount), count: 64)
        state = .running(since: time)
    }

    var isRunning: Bool {
        if case .running = state { return true }
        return false
    }

    var termination: ContainerTermination? {
        if case .terminated(let termination) = state { return termination }
        return nil
    }

    /// Started: running with the startup probe (if any) passed.
    func isStarted(at now: Date) -> Bool {
        guard case .running(let since) = state else { return false }
        return now >= since.addingTimeInterval(Double(startupDelay ?? 0))
    }

    /// Ready: started, with the readiness probe (if any) passed.
    func isReady(at now: Date) -> Bool {
        guard case .running(let since) = state, isStarted(at: now) else { return false }
        return now >= since.addingTimeInterval(Double(max(startupDelay ?? 0, readinessDelay ?? 0)))
    }

    /// When the probes will next change this container's started or ready state.
    func nextProbeChange(after now: Date) -> Date? {
        guard case .running(let since) = state else { return nil }
        return [startupDelay, readinessDelay].compactMap { $0 }
            .map { since.addingTimeInterval(Double($0)) }
            .filter { $0 > now }
            .min()
    }

    /// Upstream's crash-loop back-off: the first restart is immediate, then 10 s doubling to 5 min.
    static func restartDelay(afterRestarts restarts: Int, initial: Duration, maximum: Duration) -> Duration {
        guard restarts > 0 else { return .zero }
        var delay = initial
        for _ in 1..<restarts where delay < maximum { delay = delay * 2 }
        return min(delay, maximum)
    }
}

/// Stable, made-up identifiers: container and image IDs, machine IDs.
enum HollowIdentifiers {
    /// `count` lowercase hex digits derived from `parts` (FNV-1a, re-seeded for each 16 digits).
    static func hex(_ parts: String..., count: Int) -> String {
        var text = ""
        var round: UInt64 = 0
        while text.count < count {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ round &* 0x9E37_79B9_7F4A_7C15
            for part in parts {
                for byte in part.utf8 {
                    hash ^= UInt64(byte)
                    hash = hash &* 0x0000_0100_0000_01B3
                }
                hash ^= 0xFF
                hash = hash &* 0x0000_0100_0000_01B3
            }
            let digits = String(hash, radix: 16)
            text += String(repeating: "0", count: 16 - digits.count) + digits
            round += 1
        }
        return String(text.prefix(count))
    }

    /// An image digest reference: `busybox:1.36` → `busybox@sha256:…`.
    static func imageID(_ image: String) -> String {
        var name = image
        if let at = name.firstIndex(of: "@") {
            name = String(name[..<at])
        } else if let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") {
            name = String(name[..<colon])
        }
        return name + "@sha256:" + hex(image, count: 64)
    }
}
