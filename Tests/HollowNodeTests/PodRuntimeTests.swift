import Foundation
@testable import HollowNode
import KubeModel
import Testing

/// The pod simulation without an API server: phases, container states and restarts over time.
@Suite struct PodRuntimeTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static func pod(command: [String]?, restartPolicy: String, initCommands: [[String]?] = []) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = "p"
        pod.metadata.namespace = "ns"
        pod.metadata.uid = "uid-1"
        pod.spec.containers = [CoreV1Container.make(command: command, args: nil)]
        pod.spec.restartPolicy = restartPolicy
        if !initCommands.isEmpty {
            pod.spec.initContainers = initCommands.enumerated().map { CoreV1Container.make(command: $1, args: nil, name: "init-\($0)") }
        }
        return pod
    }

    static func running(_ pod: CoreV1.Pod) -> PodRuntime {
        var runtime = PodRuntime(pod: pod, startTime: start)
        runtime.sandboxReadyAt = start
        runtime.podIP = "10.42.0.2"
        return runtime
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var command: [String]?
        var restartPolicy: String
        var phase: String
        var exitCode: Int?
        var reason: String?
        var restartCount: Int
        var waitingReason: String?
        var testDescription: String { "\(command ?? []) \(restartPolicy) → \(phase)" }
    }

    @Test(arguments: [
        Case(command: nil, restartPolicy: "Always", phase: "Running", restartCount: 0),
        Case(command: ["sh", "-c", "exit 0"], restartPolicy: "Never", phase: "Succeeded", exitCode: 0, reason: "Completed", restartCount: 0),
        Case(command: ["sh", "-c", "exit 3"], restartPolicy: "Never", phase: "Failed", exitCode: 3, reason: "Error", restartCount: 0),
        Case(command: ["true"], restartPolicy: "OnFailure", phase: "Succeeded", exitCode: 0, reason: "Completed", restartCount: 0),
        // A failing container under OnFailure restarts at once, fails again and backs off.
        Case(command: ["false"], restartPolicy: "OnFailure", phase: "Running", exitCode: 1, reason: "Error", restartCount: 1,
             waitingReason: "CrashLoopBackOff"),
        // Always restarts even a container that succeeded.
        Case(command: ["sh", "-c", "exit 0"], restartPolicy: "Always", phase: "Running", exitCode: 0, reason: "Completed", restartCount: 1,
             waitingReason: "CrashLoopBackOff"),
    ])
    func completionsFollowTheRestartPolicy(_ example: Case) {
        let pod = Self.pod(command: example.command, restartPolicy: example.restartPolicy)
        var runtime = Self.running(pod)
        runtime.advance(to: Self.start)
        #expect(runtime.phase == example.phase)
        let status = PodStatusBuilder.status(for: pod, runtime: runtime, hostIP: "10.240.0.1", now: Self.start)
        let container = status.containerStatuses?.first
        #expect(container?.restartCount == example.restartCount)
        if let waiting = example.waitingReason {
            #expect(container?.state?.waiting?.reason == waiting)
            #expect(container?.lastState?.terminated?.exitCode == example.exitCode)
            #expect(container?.lastState?.terminated?.reason == example.reason)
            #expect(container?.state?.waiting?.message == "back-off 10s restarting failed container=main pod=p_ns(uid-1)")
        } else if let exitCode = example.exitCode {
            #expect(container?.state?.terminated?.exitCode == exitCode)
            #expect(container?.state?.terminated?.reason == example.reason)
            #expect(container?.ready == false)
        } else {
            #expect(container?.state?.running?.startedAt == Time(Self.start))
            #expect(container?.ready == true && container?.started == true)
        }
    }

    @Test func crashLoopBackOffDoublesUpToFiveMinutes() {
        let pod = Self.pod(command: ["sh", "-c", "exit 2"], restartPolicy: "OnFailure")
        var runtime = Self.running(pod)
        var now = Self.start
        var observed: [(restarts: Int, delay: Duration?)] = []
        for _ in 0..<8 {
            let next = runtime.advance(to: now)
            if case .backingOff(_, let delay) = runtime.containers[0].state {
                observed.append((runtime.containers[0].restartCount, delay))
            }
            guard let next else { break }
            now = next
        }
        #expect(observed.map(\.restarts) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(observed.map(\.delay) == [.seconds(10), .seconds(20), .seconds(40), .seconds(80), .seconds(160), .seconds(300), .seconds(300), .seconds(300)])
        #expect(runtime.phase == "Running")
    }

    @Test func aSleepingCompletionRunsThenFinishes() {
        let pod = Self.pod(command: ["sh", "-c", "sleep 5; exit 1"], restartPolicy: "Never")
        var runtime = Self.running(pod)
        let next = runtime.advance(to: Self.start)
        #expect(runtime.phase == "Running")
        #expect(next == Self.start.addingTimeInterval(5))
        runtime.advance(to: Self.start.addingTimeInterval(7))
        #expect(runtime.phase == "Failed")
        #expect(runtime.containers[0].termination?.finishedAt == Self.start.addingTimeInterval(5))
    }

    @Test func initContainersRunInOrderBeforeTheAppContainers() {
        let pod = Self.pod(command: nil, restartPolicy: "Always", initCommands: [["sh", "-c", "sleep 2"], ["true"]])
        var runtime = Self.running(pod)
        #expect(runtime.advance(to: Self.start) == Self.start.addingTimeInterval(2))
        #expect(runtime.phase == "Pending")
        var status = PodStatusBuilder.status(for: pod, runtime: runtime, hostIP: "10.240.0.1", now: Self.start)
        #expect(status.containerStatuses?.first?.state?.waiting?.reason == "PodInitializing")
        #expect(status.conditions?.first { $0.type == "Initialized" }?.message == "containers with incomplete status: [init-0 init-1]")

        let later = Self.start.addingTimeInterval(3)
        runtime.advance(to: later)
        #expect(runtime.phase == "Running")
        status = PodStatusBuilder.status(for: pod, runtime: runtime, hostIP: "10.240.0.1", now: later)
        #expect(status.initContainerStatuses?.map { $0.state?.terminated?.reason } == ["Completed", "Completed"])
        #expect(status.initContainerStatuses?.allSatisfy(\.ready) == true)
        #expect(status.containerStatuses?.first?.state?.running?.startedAt == Time(Self.start.addingTimeInterval(2)))
        #expect(status.conditions?.map(\.type) == ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"])
        #expect(status.conditions?.allSatisfy { $0.status == "True" } == true)
    }

    @Test func aFailingInitContainerFailsANeverPod() {
        let pod = Self.pod(command: nil, restartPolicy: "Never", initCommands: [["sh", "-c", "exit 9"]])
        var runtime = Self.running(pod)
        runtime.advance(to: Self.start)
        #expect(runtime.phase == "Failed")
        let status = PodStatusBuilder.status(for: pod, runtime: runtime, hostIP: "10.240.0.1", now: Self.start)
        #expect(status.initContainerStatuses?.first?.state?.terminated?.exitCode == 9)
        #expect(status.conditions?.first { $0.type == "Ready" }?.reason == "PodFailed")
    }

    @Test func killingStopsRunningContainersAndEndsThePod() {
        let pod = Self.pod(command: nil, restartPolicy: "Always")
        var runtime = Self.running(pod)
        runtime.advance(to: Self.start)
        runtime.kill(at: Self.start.addingTimeInterval(1))
        #expect(runtime.phase == "Failed")
        #expect(runtime.containers[0].termination?.exitCode == 137)
        #expect(runtime.advance(to: Self.start.addingTimeInterval(60)) == nil)
        let status = PodStatusBuilder.status(for: pod, runtime: runtime, hostIP: "10.240.0.1", now: Self.start.addingTimeInterval(1))
        #expect(status.conditions?.first { $0.type == "PodReadyToStartContainers" }?.status == "False")
    }

    @Test func activeDeadlineFailsThePod() {
        var pod = Self.pod(command: nil, restartPolicy: "Always")
        pod.spec.activeDeadlineSeconds = 30
        var runtime = Self.running(pod)
        #expect(runtime.advance(to: Self.start) == Self.start.addingTimeInterval(30))
        runtime.advance(to: Self.start.addingTimeInterval(31))
        let status = PodStatusBuilder.status(for: pod, runtime: runtime, hostIP: "10.240.0.1", now: Self.start.addingTimeInterval(31))
        #expect(status.phase == "Failed")
        #expect(status.reason == "DeadlineExceeded")
    }

    @Test func readinessProbeDelaysReady() {
        var pod = Self.pod(command: nil, restartPolicy: "Always")
        var probe = CoreV1.Probe()
        probe.initialDelaySeconds = 5
        pod.spec.containers[0].readinessProbe = probe
        var runtime = Self.running(pod)
        #expect(runtime.advance(to: Self.start) == Self.start.addingTimeInterval(5))
        var status = PodStatusBuilder.status(for: pod, runtime: runtime, hostIP: "10.240.0.1", now: Self.start)
        #expect(status.containerStatuses?.first?.ready == false)
        #expect(status.conditions?.first { $0.type == "Ready" }?.message == "containers with unready status: [main]")
        status = PodStatusBuilder.status(for: pod, runtime: runtime, hostIP: "10.240.0.1", now: Self.start.addingTimeInterval(5))
        #expect(status.containerStatuses?.first?.ready == true)
    }

    @Test func readinessGatesHoldReady() {
        var pod = Self.pod(command: nil, restartPolicy: "Always")
        pod.spec.readinessGates = [CoreV1.PodReadinessGate(conditionType: "example.com/lb")]
        var runtime = Self.running(pod)
        runtime.advance(to: Self.start)
        var status = PodStatusBuilder.status(for: pod, runtime: runtime, hostIP: "10.240.0.1", now: Self.start)
        #expect(status.conditions?.first { $0.type == "Ready" }?.reason == "ReadinessGatesNotReady")
        pod.status.conditions = [CoreV1.PodCondition(type: "example.com/lb", status: "True")]
        status = PodStatusBuilder.status(for: pod, runtime: runtime, hostIP: "10.240.0.1", now: Self.start)
        #expect(status.conditions?.first { $0.type == "Ready" }?.status == "True")
        #expect(status.conditions?.first?.type == "example.com/lb")
    }

    @Test(arguments: [(10, "10s"), (160, "2m40s"), (300, "5m0s")])
    func backOffDurationsPrintAsGo(seconds: Int, text: String) {
        #expect(GoDuration.format(.seconds(seconds)) == text)
    }

    @Test func addressPoolSkipsGatewayAndBroadcastAndReusesFreedAddresses() {
        var pool = PodAddressPool(network: IPv4Network("10.42.7.0/29")!)
        #expect(pool.capacity == 5)
        let addresses = (0..<5).compactMap { _ in pool.allocate() }
        #expect(addresses == ["10.42.7.2", "10.42.7.3", "10.42.7.4", "10.42.7.5", "10.42.7.6"])
        #expect(pool.allocate() == nil)
        pool.release("10.42.7.4")
        #expect(pool.allocate() == "10.42.7.4")
        #expect(IPv4Network("10.42.0.0/16")?.subnet(3, prefixLength: 24)?.description == "10.42.3.0/24")
        #expect(IPv4Network("10.42.0.0/16")?.subnet(256, prefixLength: 24) == nil)
    }
}
