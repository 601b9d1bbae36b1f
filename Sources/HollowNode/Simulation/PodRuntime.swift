import Foundation
import KubeModel

/// What a hollow kubelet remembers about one pod bound to its node: when it first saw it, its
/// sandbox address, its containers' runs, and whether it was stopped. `advance(to:)` plays the
/// pod forward (init containers in order, completions, restarts with back-off, the active
/// deadline); `PodStatusBuilder` turns the result into the status the kubelet would report.
public struct PodRuntime: Sendable, Equatable {
    public struct Policy: Sendable, Equatable {
        public var crashLoopInitialDelay: Duration = .seconds(10)
        public var crashLoopMaximumDelay: Duration = .seconds(300)
        public init() {}
    }

    public let uid: String
    public let restartPolicy: String
    public let activeDeadlineSeconds: Int?
    public let hostNetwork: Bool
    /// When the kubelet first saw the pod (status.startTime).
    public var startTime: Date
    /// When the sandbox (network) was ready; nil while waiting for an address.
    public var sandboxReadyAt: Date?
    public var podIP: String?
    public var initContainers: [ContainerRun]
    /// Parallel to `initContainers`: restartable init containers (sidecars).
    public let sidecars: [Bool]
    public var containers: [ContainerRun]
    /// When the containers were stopped for good (deletion, active deadline); the pod is terminal.
    public var killedAt: Date?
    public var deadlineExceeded = false

    public init(pod: CoreV1.Pod, startTime: Date) {
        uid = pod.metadata.uid ?? ""
        restartPolicy = pod.spec.restartPolicy ?? "Always"
        activeDeadlineSeconds = pod.spec.activeDeadlineSeconds
        hostNetwork = pod.spec.hostNetwork ?? false
        self.startTime = startTime
        let inits = pod.spec.initContainers ?? []
        initContainers = inits.map(ContainerRun.init)
        sidecars = inits.map { $0.restartPolicy == "Always" }
        containers = pod.spec.containers.map(ContainerRun.init)
    }

    public var isTerminal: Bool { phase == "Succeeded" || phase == "Failed" }

    // MARK: - Playing the pod forward

    /// Plays every container forward to `now`; returns the next instant something changes.
    @discardableResult
    public mutating func advance(to now: Date, policy: Policy = Policy()) -> Date? {
        guard sandboxReadyAt != nil, killedAt == nil else { return nil }
        var next: Date?
        func note(_ date: Date?) {
            guard let date, date > now else { return }
            next = min(next ?? date, date)
        }
        if let seconds = activeDeadlineSeconds {
            let deadline = startTime.addingTimeInterval(Double(seconds))
            if deadline <= now {
                playContainers(until: deadline, policy: policy, note: { _ in })
                kill(at: deadline)
                deadlineExceeded = true
                return nil
            }
            note(deadline)
        }
        playContainers(until: now, policy: policy, note: note)
        if isTerminal {
            // The main containers are done: the kubelet stops the sidecars.
            let finished = containers.compactMap(\.termination?.finishedAt).max() ?? now
            for index in initContainers.indices where sidecars[index] { Self.stop(&initContainers[index], at: finished) }
            return nil
        }
        return next
    }

    private mutating func playContainers(until now: Date, policy: Policy, note: (Date?) -> Void) {
        guard let ready = sandboxReadyAt else { return }
        // Regular init containers run one after another; sidecars start in their place and keep
        // running. Init containers of a pod that restarts (Always or OnFailure) are retried.
        let initPolicy = restartPolicy == "Never" ? "Never" : "OnFailure"
        var initializedAt: Date? = ready
        for index in initContainers.indices {
            guard let start = initializedAt else { break }
            if sidecars[index] {
                Self.play(&initContainers[index], podUID: uid, startAt: start, restartPolicy: "Always", until: now, policy: policy, note: note)
                if case .running(let since) = initContainers[index].state {
                    let started = since.addingTimeInterval(Double(initContainers[index].startupDelay ?? 0))
                    initializedAt = started <= now ? max(start, started) : nil
                    note(started)
                } else {
                    initializedAt = nil
                }
                continue
            }
            Self.play(&initContainers[index], podUID: uid, startAt: start, restartPolicy: initPolicy, until: now, policy: policy, note: note)
            if let termination = initContainers[index].termination, termination.exitCode == 0 {
                initializedAt = termination.finishedAt
            } else {
                initializedAt = nil
            }
        }
        guard let start = initializedAt else { return }
        for index in containers.indices {
            Self.play(&containers[index], podUID: uid, startAt: start, restartPolicy: restartPolicy, until: now, policy: policy, note: note)
            note(containers[index].nextProbeChange(after: now))
        }
    }

    private static func play(_ run: inout ContainerRun, podUID uid: String, startAt: Date, restartPolicy: String, until now: Date,
                             policy: Policy, note: (Date?) -> Void) {
        // Each pass moves one step; a bounded count guards against a program that never takes time.
        for _ in 0..<10_000 {
            switch run.state {
            case .waiting:
                guard startAt <= now else { return note(startAt) }
                run.start(at: startAt, podUID: uid)
            case .running(let since):
                guard case .exits(let code, let duration) = run.program else { return }
                let end = since.addingTimeInterval(duration.timeInterval)
                guard end <= now else { return note(end) }
                run.state = .terminated(ContainerTermination(
                    exitCode: code, reason: code == 0 ? "Completed" : "Error", startedAt: since, finishedAt: end,
                    containerID: run.containerID))
            case .terminated(let termination):
                let restart = restartPolicy == "Always" || restartPolicy == "OnFailure" && termination.exitCode != 0
                guard restart else { return }
                let delay = ContainerRun.restartDelay(afterRestarts: run.restartCount, initial: policy.crashLoopInitialDelay,
                                                      maximum: policy.crashLoopMaximumDelay)
                run.lastTermination = termination
                run.state = .backingOff(until: termination.finishedAt.addingTimeInterval(delay.timeInterval), delay: delay)
            case .backingOff(let until, _):
                guard until <= now else { return note(until) }
                run.restartCount += 1
                run.start(at: until, podUID: uid)
            }
        }
    }

    /// Stops every container at `time`, as the kubelet does when the pod is deleted or runs past
    /// its deadline: running containers are killed (137), ones that never ran are unknown.
    public mutating func kill(at time: Date) {
        guard killedAt == nil else { return }
        killedAt = time
        for index in initContainers.indices { Self.stop(&initContainers[index], at: time) }
        for index in containers.indices { Self.stop(&containers[index], at: time) }
    }

    private static func stop(_ run: inout ContainerRun, at time: Date) {
        switch run.state {
        case .running(let since):
            run.state = .terminated(ContainerTermination(exitCode: 137, reason: "Error", startedAt: since, finishedAt: time,
                                                         containerID: run.containerID))
        case .backingOff:
            if let last = run.lastTermination { run.state = .terminated(last) }
        case .waiting:
            run.state = .terminated(ContainerTermination(
                exitCode: 137, reason: "ContainerStatusUnknown",
                message: "The container could not be located when the pod was terminated", startedAt: nil, finishedAt: time))
        case .terminated:
            break
        }
    }

    // MARK: - Phase (upstream's getPhase)

    public var phase: String {
        var pendingInit = 0
        var failedInit = false
        for (index, run) in initContainers.enumerated() where !sidecars[index] {
            switch run.state {
            case .terminated(let termination):
                if termination.exitCode != 0 { failedInit = true }
            case .backingOff:
                failedInit = true
            case .running, .waiting:
                pendingInit += 1
            }
        }
        if failedInit && restartPolicy == "Never" { return "Failed" }
        var running = 0, waiting = 0, stopped = 0, succeeded = 0
        for run in containers {
            switch run.state {
            case .running: running += 1
            case .terminated(let termination):
                stopped += 1
                if termination.exitCode == 0 { succeeded += 1 }
            case .backingOff: stopped += 1
            case .waiting: waiting += 1
            }
        }
        if deadlineExceeded { return "Failed" }
        if pendingInit > 0 || waiting > 0 { return "Pending" }
        if running > 0 { return "Running" }
        guard stopped > 0 else { return "Pending" }
        // Containers of a stopped pod are not restarted whatever the policy.
        if killedAt != nil { return stopped == succeeded ? "Succeeded" : "Failed" }
        if restartPolicy == "Always" { return "Running" }
        if stopped == succeeded { return "Succeeded" }
        return restartPolicy == "Never" ? "Failed" : "Running"
    }
}

extension PodRuntime {
    /// Picks up a pod this node already runs according to its status (the hollow kubelet was
    /// restarted): its address, start time and containers' runs. False when the status says
    /// nothing ran yet.
    public mutating func adopt(_ status: CoreV1.PodStatus) -> Bool {
        guard status.phase == "Running", let ip = status.podIP, !ip.isEmpty, let started = status.startTime?.date else { return false }
        startTime = started
        sandboxReadyAt = started
        podIP = ip
        for index in containers.indices {
            if let observed = status.containerStatuses?.first(where: { $0.name == containers[index].name }) {
                Self.adopt(&containers[index], observed)
            }
        }
        for index in initContainers.indices {
            if let observed = status.initContainerStatuses?.first(where: { $0.name == initContainers[index].name }) {
                Self.adopt(&initContainers[index], observed)
            }
        }
        return true
    }

    private static func adopt(_ run: inout ContainerRun, _ observed: CoreV1.ContainerStatus) {
        run.restartCount = observed.restartCount
        run.containerID = observed.containerID
        run.lastTermination = observed.lastState?.terminated.map(termination)
        if let running = observed.state?.running {
            run.state = .running(since: running.startedAt?.date ?? Date())
        } else if let terminated = observed.state?.terminated {
            run.state = .terminated(termination(terminated))
        } else if let last = run.lastTermination {
            // In back-off: the restart is computed again from the last exit.
            run.state = .terminated(last)
            run.restartCount = max(0, observed.restartCount - 1)
        }
    }

    private static func termination(_ state: CoreV1.ContainerStateTerminated) -> ContainerTermination {
        ContainerTermination(exitCode: state.exitCode, reason: state.reason ?? "", message: state.message,
                             startedAt: state.startedAt?.date, finishedAt: state.finishedAt?.date ?? Date(),
                             containerID: state.containerID)
    }
}
