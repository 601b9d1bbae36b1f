import Foundation
import KubeModel

/// `kubectl get pods`: readiness, the status reason kubectl users know (Init:0/1,
/// CrashLoopBackOff, Completed, Terminating…), restarts and age; wide adds IP and nodes.
struct PodPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Ready", description: "The aggregate readiness state of this pod for accepting traffic."),
        TableColumn("Status", description: "The aggregate status of the containers in this pod."),
        TableColumn("Restarts", description: "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        .age,
        TableColumn("IP", description: FieldDoc.api("core.v1.PodStatus", "podIP"), priority: 1),
        TableColumn("Node", description: FieldDoc.api("core.v1.PodSpec", "nodeName"), priority: 1),
        TableColumn("Nominated Node", description: FieldDoc.api("core.v1.PodStatus", "nominatedNodeName"), priority: 1),
        TableColumn("Readiness Gates", description: FieldDoc.api("core.v1.PodSpec", "readinessGates"), priority: 1),
    ]

    func cells(of pod: CoreV1.Pod, now: Date) -> [JSONValue] {
        let summary = PodStatusSummary(pod)
        var restarts = String(summary.restarts)
        if summary.restarts != 0, let last = summary.lastRestart {
            restarts += " (\(HumanDuration.since(last, now: now)) ago)"
        }
        // The v1 → internal conversion fills podIPs from podIP, so either field counts.
        let podIP = pod.status.podIPs?.first?.ip ?? pod.status.podIP
        return [
            CellText.name(pod.metadata),
            .string("\(summary.readyContainers)/\(summary.totalContainers)"),
            .string(summary.reason),
            .string(restarts),
            CellText.age(pod.metadata, now: now),
            .string(CellText.value(podIP, ifEmpty: "<none>")),
            .string(CellText.value(pod.spec.nodeName, ifEmpty: "<none>")),
            .string(CellText.value(pod.status.nominatedNodeName, ifEmpty: "<none>")),
            .string(readinessGates(pod)),
        ]
    }

    /// How many of the pod's readiness gates have a True condition, "<none>" without gates.
    private func readinessGates(_ pod: CoreV1.Pod) -> String {
        guard let gates = pod.spec.readinessGates, !gates.isEmpty else { return "<none>" }
        let conditions = pod.status.conditions ?? []
        let passing = gates.filter { gate in
            conditions.first { $0.type == gate.conditionType }?.status == "True"
        }
        return "\(passing.count)/\(gates.count)"
    }
}

/// Upstream's `printPod` status logic: what the READY, STATUS and RESTARTS cells say.
struct PodStatusSummary {
    private(set) var reason: String
    private(set) var readyContainers = 0
    private(set) var totalContainers: Int
    private(set) var restarts = 0
    /// When a counted container last terminated before restarting.
    private(set) var lastRestart: Date?

    init(_ pod: CoreV1.Pod) {
        let status = pod.status
        let phase = status.phase ?? ""
        reason = CellText.value(status.reason, ifEmpty: phase)
        if status.conditions?.contains(where: { $0.type == "PodScheduled" && $0.reason == "SchedulingGated" }) == true {
            reason = "SchedulingGated"
        }

        let initContainers = pod.spec.initContainers ?? []
        let initSpecs = Dictionary(initContainers.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        // Sidecars (restartable init containers) count as containers of the running pod.
        totalContainers = pod.spec.containers.count + initContainers.filter(Self.isSidecar).count

        var sidecarRestarts = 0
        var lastSidecarRestart: Date?
        var initializing = false
        for (index, container) in (status.initContainerStatuses ?? []).enumerated() {
            let sidecar = initSpecs[container.name].map(Self.isSidecar) ?? false
            restarts += container.restartCount
            lastRestart = Self.later(lastRestart, container.lastState?.terminated?.finishedAt?.date)
            if sidecar {
                sidecarRestarts += container.restartCount
                lastSidecarRestart = Self.later(lastSidecarRestart, container.lastState?.terminated?.finishedAt?.date)
            }
            if let terminated = container.state?.terminated, terminated.exitCode == 0 { continue }
            if sidecar && container.started == true {
                if container.ready { readyContainers += 1 }
                continue
            }
            // The first init container that has not finished decides the status.
            if let terminated = container.state?.terminated {
                reason = "Init:" + Self.terminationReason(terminated)
            } else if let waiting = container.state?.waiting?.reason, !waiting.isEmpty, waiting != "PodInitializing" {
                reason = "Init:" + waiting
            } else {
                reason = "Init:\(index)/\(initContainers.count)"
            }
            initializing = true
            break
        }

        if !initializing || Self.isInitialized(status) {
            // Once initialized, only sidecar restarts carry over to the main containers' count.
            restarts = sidecarRestarts
            lastRestart = lastSidecarRestart
            var hasRunning = false
            // Walked backwards so the first container's state wins, as upstream does.
            for container in (status.containerStatuses ?? []).reversed() {
                restarts += container.restartCount
                lastRestart = Self.later(lastRestart, container.lastState?.terminated?.finishedAt?.date)
                if let waiting = container.state?.waiting?.reason, !waiting.isEmpty {
                    reason = waiting
                } else if let terminated = container.state?.terminated {
                    reason = Self.terminationReason(terminated)
                } else if container.ready && container.state?.running != nil {
                    hasRunning = true
                    readyContainers += 1
                }
            }
            // A pod whose finished container is not the only one is still running.
            if reason == "Completed" && hasRunning {
                let ready = status.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
                reason = ready ? "Running" : "NotReady"
            }
        }

        if pod.metadata.deletionTimestamp != nil {
            if status.reason == "NodeLost" {
                reason = "Unknown"
            } else if phase != "Failed" && phase != "Succeeded" {
                reason = "Terminating"
            }
        }
    }

    private static func isSidecar(_ container: CoreV1.Container) -> Bool {
        container.restartPolicy == "Always"
    }

    /// The terminated state's reason, else its signal or exit code.
    private static func terminationReason(_ terminated: CoreV1.ContainerStateTerminated) -> String {
        if let reason = terminated.reason, !reason.isEmpty { return reason }
        if let signal = terminated.signal, signal != 0 { return "Signal:\(signal)" }
        return "ExitCode:\(terminated.exitCode)"
    }

    /// The first Initialized condition decides, as upstream's `isPodInitializedConditionTrue`.
    private static func isInitialized(_ status: CoreV1.PodStatus) -> Bool {
        status.conditions?.first { $0.type == "Initialized" }?.status == "True"
    }

    private static func later(_ current: Date?, _ candidate: Date?) -> Date? {
        guard let candidate else { return current }
        guard let current else { return candidate }
        return max(current, candidate)
    }
}
