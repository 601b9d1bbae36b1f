import Foundation
import KubeModel

/// The status a kubelet reports for a pod, from what it knows (`PodRuntime`) and the pod as the
/// API has it (upstream's generateAPIPodStatus): phase, the kubelet-owned conditions in the
/// kubelet's order after the ones others own, container statuses (app containers sorted by
/// name, init containers in spec order), addresses and start time. Times are whole seconds, as
/// the API stores them, so an unchanged status compares equal to the stored one.
public enum PodStatusBuilder {
    /// Conditions the kubelet owns and rewrites; any other condition is kept as it is.
    static let kubeletConditions: Set<String> = [
        "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled",
    ]

    public static func status(for pod: CoreV1.Pod, runtime: PodRuntime, hostIP: String, now: Date) -> CoreV1.PodStatus {
        let old = pod.status
        var status = old
        let phase = runtime.phase
        status.phase = phase
        if phase != old.phase {
            status.reason = nil
            status.message = nil
        }
        if runtime.deadlineExceeded {
            status.reason = "DeadlineExceeded"
            status.message = "Pod was active on the node longer than the specified deadline"
        }
        status.hostIP = hostIP
        status.hostIPs = [CoreV1.HostIP(ip: hostIP)]
        if let ip = runtime.podIP {
            status.podIP = ip
            status.podIPs = [CoreV1.PodIP(ip: ip)]
        }
        status.startTime = old.startTime ?? wholeSeconds(runtime.startTime)
        status.observedGeneration = pod.metadata.generation

        let containerCreating = runtime.sandboxReadyAt == nil && runtime.killedAt == nil
        status.containerStatuses = runtime.containers
            .map { containerStatus($0, pod: pod, waitingReason: containerCreating ? "ContainerCreating" : "PodInitializing", now: now) }
            .sorted { $0.name < $1.name }
        if runtime.initContainers.isEmpty {
            status.initContainerStatuses = nil
        } else {
            status.initContainerStatuses = runtime.initContainers.enumerated().map { index, run in
                var containerStatus = containerStatus(run, pod: pod, waitingReason: containerCreating ? "ContainerCreating" : "PodInitializing", now: now)
                // A regular init container that finished well counts as ready (it did its part).
                if !runtime.sidecars[index], run.termination?.exitCode == 0 { containerStatus.ready = true }
                return containerStatus
            }
        }

        let generation = pod.metadata.generation
        var conditions = (old.conditions ?? []).filter { !kubeletConditions.contains($0.type) }
        let sandboxUp = runtime.sandboxReadyAt != nil && phase != "Succeeded" && phase != "Failed"
        var generated: [CoreV1.PodCondition] = []
        generated.append(CoreV1.PodCondition(type: "PodReadyToStartContainers", status: sandboxUp ? "True" : "False"))
        generated.append(initializedCondition(pod: pod, runtime: runtime, statuses: status, phase: phase))
        let containersReady = containersReadyCondition(pod: pod, runtime: runtime, statuses: status, phase: phase)
        generated.append(readyCondition(pod: pod, containersReady: containersReady, conditions: conditions, phase: phase))
        generated.append(containersReady)
        generated.append(CoreV1.PodCondition(type: "PodScheduled", status: "True"))
        for var condition in generated {
            condition.observedGeneration = generation
            if let previous = old.conditions?.first(where: { $0.type == condition.type }), previous.status == condition.status {
                condition.lastTransitionTime = previous.lastTransitionTime
                condition.lastProbeTime = previous.lastProbeTime
            } else {
                condition.lastTransitionTime = wholeSeconds(now)
            }
            conditions.append(condition)
        }
        status.conditions = conditions
        return status
    }

    static func wholeSeconds(_ date: Date) -> Time {
        Time(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }

    // MARK: - Containers

    static func containerStatus(_ run: ContainerRun, pod: CoreV1.Pod, waitingReason: String, now: Date) -> CoreV1.ContainerStatus {
        var status = CoreV1.ContainerStatus()
        status.name = run.name
        status.image = run.image
        status.imageID = ""
        status.restartCount = run.restartCount
        status.lastState = CoreV1.ContainerState()
        if let last = run.lastTermination { status.lastState = CoreV1.ContainerState(terminated: terminated(last)) }
        switch run.state {
        case .waiting:
            status.state = CoreV1.ContainerState(waiting: CoreV1.ContainerStateWaiting(reason: waitingReason))
            status.started = false
        case .running(let since):
            status.state = CoreV1.ContainerState(running: CoreV1.ContainerStateRunning(startedAt: wholeSeconds(since)))
            status.containerID = run.containerID
            status.imageID = run.imageID
            status.started = run.isStarted(at: now)
            status.ready = run.isReady(at: now)
        case .terminated(let termination):
            status.state = CoreV1.ContainerState(terminated: terminated(termination))
            status.containerID = termination.containerID
            if termination.containerID != nil { status.imageID = run.imageID }
            status.started = false
        case .backingOff(_, let delay):
            let podName = "\(pod.metadata.name ?? "")_\(pod.metadata.namespace ?? "")(\(pod.metadata.uid ?? ""))"
            status.state = CoreV1.ContainerState(waiting: CoreV1.ContainerStateWaiting(
                message: "back-off \(GoDuration.format(delay)) restarting failed container=\(run.name) pod=\(podName)",
                reason: "CrashLoopBackOff"))
            status.containerID = run.lastTermination?.containerID
            status.imageID = run.imageID
            status.started = false
        }
        return status
    }

    static func terminated(_ termination: ContainerTermination) -> CoreV1.ContainerStateTerminated {
        CoreV1.ContainerStateTerminated(
            containerID: termination.containerID, exitCode: termination.exitCode,
            finishedAt: wholeSeconds(termination.finishedAt), message: termination.message, reason: termination.reason,
            startedAt: termination.startedAt.map(wholeSeconds))
    }

    // MARK: - Conditions (upstream's pkg/kubelet/status/generate.go)

    static func initializedCondition(pod: CoreV1.Pod, runtime: PodRuntime, statuses: CoreV1.PodStatus, phase: String) -> CoreV1.PodCondition {
        if runtime.initContainers.isEmpty { return CoreV1.PodCondition(type: "Initialized", status: "True") }
        if phase == "Succeeded" { return CoreV1.PodCondition(reason: "PodCompleted", type: "Initialized", status: "True") }
        let regularStarted = runtime.containers.contains { run in
            switch run.state {
            case .running, .terminated, .backingOff: return true
            case .waiting: return false
            }
        }
        if regularStarted { return CoreV1.PodCondition(type: "Initialized", status: "True") }
        var incomplete: [String] = []
        for (index, run) in runtime.initContainers.enumerated() {
            let done = runtime.sidecars[index] ? statuses.initContainerStatuses?[index].started == true : run.termination?.exitCode == 0
            if !done { incomplete.append(run.name) }
        }
        if incomplete.isEmpty { return CoreV1.PodCondition(type: "Initialized", status: "True") }
        return CoreV1.PodCondition(message: "containers with incomplete status: \(goList(incomplete))",
                                   reason: "ContainersNotInitialized", type: "Initialized", status: "False")
    }

    static func containersReadyCondition(pod: CoreV1.Pod, runtime: PodRuntime, statuses: CoreV1.PodStatus, phase: String) -> CoreV1.PodCondition {
        if phase == "Succeeded" { return CoreV1.PodCondition(reason: "PodCompleted", type: "ContainersReady", status: "False") }
        if phase == "Failed" { return CoreV1.PodCondition(reason: "PodFailed", type: "ContainersReady", status: "False") }
        var unready: [String] = []
        for (index, run) in runtime.initContainers.enumerated() where runtime.sidecars[index] {
            if statuses.initContainerStatuses?[index].ready != true { unready.append(run.name) }
        }
        for container in pod.spec.containers {
            if statuses.containerStatuses?.first(where: { $0.name == container.name })?.ready != true { unready.append(container.name) }
        }
        if unready.isEmpty { return CoreV1.PodCondition(type: "ContainersReady", status: "True") }
        return CoreV1.PodCondition(message: "containers with unready status: \(goList(unready))",
                                   reason: "ContainersNotReady", type: "ContainersReady", status: "False")
    }

    static func readyCondition(pod: CoreV1.Pod, containersReady: CoreV1.PodCondition, conditions: [CoreV1.PodCondition],
                               phase: String) -> CoreV1.PodCondition {
        if containersReady.status != "True" {
            return CoreV1.PodCondition(message: containersReady.message, reason: containersReady.reason, type: "Ready",
                                       status: containersReady.status)
        }
        var messages: [String] = []
        for gate in pod.spec.readinessGates ?? [] {
            if let condition = conditions.first(where: { $0.type == gate.conditionType }) {
                if condition.status != "True" {
                    messages.append("the status of pod readiness gate \"\(gate.conditionType)\" is not \"True\", but \(condition.status)")
                }
            } else {
                messages.append("corresponding condition of pod readiness gate \"\(gate.conditionType)\" does not exist.")
            }
        }
        if !messages.isEmpty {
            return CoreV1.PodCondition(message: messages.joined(separator: ", "), reason: "ReadinessGatesNotReady", type: "Ready",
                                       status: "False")
        }
        return CoreV1.PodCondition(type: "Ready", status: "True")
    }

    /// Go's `%s` of a string slice: `[a b c]`.
    static func goList(_ items: [String]) -> String { "[" + items.joined(separator: " ") + "]" }
}

/// Go's time.Duration formatting for the whole-second back-offs: `10s`, `2m40s`, `5m0s`.
enum GoDuration {
    static func format(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m\(seconds % 60)s" }
        return "\(seconds / 3600)h\(seconds % 3600 / 60)m\(seconds % 60)s"
    }
}
