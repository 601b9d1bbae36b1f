import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// Pod objects in the states `kubectl get pods` tells apart.
private enum PodFixture {
    static func running(since seconds: Double = 100) -> JSONValue { ["running": ["startedAt": printedAgo(seconds)]] }
    static func waiting(_ reason: String) -> JSONValue { ["waiting": ["reason": .string(reason)]] }
    static func terminated(_ reason: String?, exitCode: Int64 = 0, signal: Int64? = nil, finished: Double = 60) -> JSONValue {
        var state: JSONObject = ["exitCode": .int(exitCode), "finishedAt": printedAgo(finished)]
        if let reason { state["reason"] = .string(reason) }
        if let signal { state["signal"] = .int(signal) }
        return ["terminated": .object(state)]
    }

    static func status(_ name: String, ready: Bool = false, restarts: Int64 = 0, started: Bool? = nil,
                       state: JSONValue, lastState: JSONValue? = nil) -> JSONValue {
        var status: JSONObject = ["name": .string(name), "image": "busybox", "imageID": "", "ready": .bool(ready),
                                  "restartCount": .int(restarts), "state": state]
        if let started { status["started"] = .bool(started) }
        if let lastState { status["lastState"] = lastState }
        return .object(status)
    }

    static func condition(_ type: String, _ status: String, reason: String? = nil) -> JSONValue {
        var condition: JSONObject = ["type": .string(type), "status": .string(status)]
        if let reason { condition["reason"] = .string(reason) }
        return .object(condition)
    }

    static func pod(containers: [String] = ["app"], initContainers: [JSONValue] = [], phase: String,
                    statuses: [JSONValue] = [], initStatuses: [JSONValue] = [], conditions: [JSONValue] = [],
                    metadata: JSONObject = [:], spec: JSONObject = [:], status: JSONObject = [:]) -> JSONValue {
        var podSpec: JSONObject = ["containers": .array(containers.map { ["name": .string($0), "image": "busybox"] })]
        if !initContainers.isEmpty { podSpec["initContainers"] = .array(initContainers) }
        for (key, value) in spec { podSpec[key] = value }
        var podStatus: JSONObject = ["phase": .string(phase)]
        if !statuses.isEmpty { podStatus["containerStatuses"] = .array(statuses) }
        if !initStatuses.isEmpty { podStatus["initContainerStatuses"] = .array(initStatuses) }
        if !conditions.isEmpty { podStatus["conditions"] = .array(conditions) }
        for (key, value) in status { podStatus[key] = value }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": printedMetadata("web", age: 600, metadata),
                "spec": .object(podSpec), "status": .object(podStatus)]
    }

    static func initContainer(_ name: String, sidecar: Bool = false) -> JSONValue {
        sidecar ? ["name": .string(name), "image": "busybox", "restartPolicy": "Always"]
            : ["name": .string(name), "image": "busybox"]
    }
}

@Suite struct PrintingPodTests {
    fileprivate typealias F = PodFixture

    /// The first five cells (NAME, READY, STATUS, RESTARTS, AGE) of pods in many states.
    static let statusCases: [PrintCase] = [
        PrintCase("pending, not scheduled", F.pod(phase: "Pending"), ["web", "0/1", "Pending", "0", "10m"]),
        PrintCase("creating containers",
                  F.pod(phase: "Pending", statuses: [F.status("app", state: F.waiting("ContainerCreating"))]),
                  ["web", "0/1", "ContainerCreating", "0", "10m"]),
        PrintCase("running and ready",
                  F.pod(containers: ["app", "log"], phase: "Running",
                        statuses: [F.status("app", ready: true, state: F.running()),
                                   F.status("log", ready: true, state: F.running())]),
                  ["web", "2/2", "Running", "0", "10m"]),
        PrintCase("running, one container not ready",
                  F.pod(containers: ["app", "log"], phase: "Running",
                        statuses: [F.status("app", ready: true, state: F.running()),
                                   F.status("log", ready: false, state: F.running())]),
                  ["web", "1/2", "Running", "0", "10m"]),
        PrintCase("crash loop with restarts",
                  F.pod(phase: "Running",
                        statuses: [F.status("app", restarts: 3, state: F.waiting("CrashLoopBackOff"),
                                            lastState: F.terminated("Error", exitCode: 1, finished: 300))]),
                  ["web", "0/1", "CrashLoopBackOff", "3 (5m ago)", "10m"]),
        PrintCase("completed",
                  F.pod(phase: "Succeeded", statuses: [F.status("app", state: F.terminated("Completed"))]),
                  ["web", "0/1", "Completed", "0", "10m"]),
        PrintCase("out of memory",
                  F.pod(phase: "Running",
                        statuses: [F.status("app", restarts: 1, state: F.terminated("OOMKilled", exitCode: 137))]),
                  ["web", "0/1", "OOMKilled", "1", "10m"]),
        PrintCase("killed by a signal without a reason",
                  F.pod(phase: "Failed", statuses: [F.status("app", state: F.terminated(nil, exitCode: 137, signal: 9))]),
                  ["web", "0/1", "Signal:9", "0", "10m"]),
        PrintCase("exited without a reason",
                  F.pod(phase: "Failed", statuses: [F.status("app", state: F.terminated(nil, exitCode: 2))]),
                  ["web", "0/1", "ExitCode:2", "0", "10m"]),
        PrintCase("terminating",
                  F.pod(phase: "Running", statuses: [F.status("app", ready: true, state: F.running())],
                        metadata: ["deletionTimestamp": printedAgo(5)]),
                  ["web", "1/1", "Terminating", "0", "10m"]),
        PrintCase("deleted on a lost node",
                  F.pod(phase: "Running", statuses: [F.status("app", ready: true, state: F.running())],
                        metadata: ["deletionTimestamp": printedAgo(5)], status: ["reason": "NodeLost"]),
                  ["web", "1/1", "Unknown", "0", "10m"]),
        PrintCase("deleted after it finished",
                  F.pod(phase: "Succeeded", statuses: [F.status("app", state: F.terminated("Completed"))],
                        metadata: ["deletionTimestamp": printedAgo(5)]),
                  ["web", "0/1", "Completed", "0", "10m"]),
        PrintCase("evicted (pod-level reason)",
                  F.pod(phase: "Failed", status: ["reason": "Evicted"]),
                  ["web", "0/1", "Evicted", "0", "10m"]),
        PrintCase("scheduling gated",
                  F.pod(phase: "Pending", conditions: [F.condition("PodScheduled", "False", reason: "SchedulingGated")]),
                  ["web", "0/1", "SchedulingGated", "0", "10m"]),
        PrintCase("second of two init containers running",
                  F.pod(initContainers: [F.initContainer("migrate"), F.initContainer("seed")], phase: "Pending",
                        statuses: [F.status("app", state: F.waiting("PodInitializing"))],
                        initStatuses: [F.status("migrate", state: F.terminated("Completed")),
                                       F.status("seed", state: F.running())]),
                  ["web", "0/1", "Init:1/2", "0", "10m"]),
        PrintCase("init container crash loop counts init restarts",
                  F.pod(initContainers: [F.initContainer("migrate")], phase: "Pending",
                        initStatuses: [F.status("migrate", restarts: 4, state: F.waiting("CrashLoopBackOff"),
                                                lastState: F.terminated("Error", exitCode: 1, finished: 30))]),
                  ["web", "0/1", "Init:CrashLoopBackOff", "4 (30s ago)", "10m"]),
        PrintCase("init container failed",
                  F.pod(initContainers: [F.initContainer("migrate")], phase: "Pending",
                        initStatuses: [F.status("migrate", state: F.terminated("Error", exitCode: 1))]),
                  ["web", "0/1", "Init:Error", "0", "10m"]),
        PrintCase("init container exited without a reason",
                  F.pod(initContainers: [F.initContainer("migrate")], phase: "Pending",
                        initStatuses: [F.status("migrate", state: F.terminated(nil, exitCode: 3))]),
                  ["web", "0/1", "Init:ExitCode:3", "0", "10m"]),
        PrintCase("sidecar running beside the app",
                  F.pod(initContainers: [F.initContainer("proxy", sidecar: true)], phase: "Running",
                        statuses: [F.status("app", ready: true, state: F.running())],
                        initStatuses: [F.status("proxy", ready: true, restarts: 2, started: true, state: F.running(),
                                                lastState: F.terminated("Error", exitCode: 1, finished: 200))],
                        conditions: [F.condition("Initialized", "True"), F.condition("Ready", "True")]),
                  ["web", "2/2", "Running", "2 (3m20s ago)", "10m"]),
        PrintCase("finished container beside a running one, pod ready",
                  F.pod(containers: ["job", "app"], phase: "Running",
                        statuses: [F.status("job", state: F.terminated("Completed")),
                                   F.status("app", ready: true, state: F.running())],
                        conditions: [F.condition("Ready", "True")]),
                  ["web", "1/2", "Running", "0", "10m"]),
        PrintCase("finished container beside a running one, pod not ready",
                  F.pod(containers: ["job", "app"], phase: "Running",
                        statuses: [F.status("job", state: F.terminated("Completed")),
                                   F.status("app", ready: true, state: F.running())],
                        conditions: [F.condition("Ready", "False")]),
                  ["web", "1/2", "NotReady", "0", "10m"]),
        PrintCase("restarts of all containers, latest restart shown",
                  F.pod(containers: ["app", "log"], phase: "Running",
                        statuses: [F.status("app", ready: true, restarts: 1, state: F.running(),
                                            lastState: F.terminated("Error", exitCode: 1, finished: 7200)),
                                   F.status("log", ready: true, restarts: 2, state: F.running(),
                                            lastState: F.terminated("Error", exitCode: 1, finished: 90))]),
                  ["web", "2/2", "Running", "3 (90s ago)", "10m"]),
    ]

    @Test(arguments: statusCases)
    func statusCells(_ testCase: PrintCase) {
        let cells = PodPrinter().cells(for: testCase.object, now: printingNow)
        #expect(cells.count == PodPrinter.columnDefinitions.count)
        #expect(Array(cells.prefix(5)) == testCase.cells)
    }

    @Test func wideCellsWithoutPlacement() {
        let cells = PodPrinter().cells(for: F.pod(phase: "Pending"), now: printingNow)
        #expect(Array(cells.suffix(4)) == ["<none>", "<none>", "<none>", "<none>"])
    }

    @Test func wideCellsOfAPlacedPod() {
        let pod = F.pod(phase: "Running", conditions: [F.condition("example.com/lb", "True")],
                        spec: ["nodeName": "node-1",
                               "readinessGates": [["conditionType": "example.com/lb"], ["conditionType": "example.com/dns"]]],
                        status: ["podIPs": [["ip": "10.42.0.7"], ["ip": "fd00::7"]], "podIP": "10.42.0.7",
                                 "nominatedNodeName": "node-2"])
        let cells = PodPrinter().cells(for: pod, now: printingNow)
        #expect(Array(cells.suffix(4)) == ["10.42.0.7", "node-1", "node-2", "1/2"])
    }

    @Test func podIPAloneStandsInForPodIPs() {
        let cells = PodPrinter().cells(for: F.pod(phase: "Running", status: ["podIP": "10.42.0.9"]), now: printingNow)
        #expect(cells[5] == "10.42.0.9")
    }

    @Test func columnsMatchUpstream() {
        let columns = PodPrinter().columns
        #expect(columns.map(\.name) == ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"])
        #expect(columns.map(\.priority) == [0, 0, 0, 0, 0, 1, 1, 1, 1])
        #expect(columns.allSatisfy { $0.type == "string" })
        #expect(columns[0].format == "name")
        #expect(columns[0].description.hasPrefix("Name must be unique within a namespace."))
        #expect(columns[4].description.hasPrefix("CreationTimestamp is a timestamp"))
        #expect(columns[5].description.hasPrefix("podIP address allocated to the pod."))
    }
}
