import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// A pod template running nginx, as workloads embed it.
private let nginxTemplate: JSONValue = [
    "metadata": ["labels": ["app": "web"]],
    "spec": ["containers": [["name": "nginx", "image": "nginx:1.25"], ["name": "log", "image": "busybox"]]],
]

@Suite struct PrintingWorkloadTests {
    static let deployments: [PrintCase] = [
        PrintCase("rolling out",
                  ["metadata": printedMetadata("web", age: 3 * 86400),
                   "spec": ["replicas": 3, "selector": ["matchLabels": ["app": "web"]], "template": nginxTemplate],
                   "status": ["replicas": 3, "readyReplicas": 2, "updatedReplicas": 1, "availableReplicas": 2]],
                  ["web", "2/3", 1, 2, "3d", "nginx,log", "nginx:1.25,busybox", "app=web"]),
        PrintCase("new, no status yet",
                  ["metadata": printedMetadata("api", age: 5),
                   "spec": ["replicas": 1,
                            "selector": ["matchExpressions": [["key": "tier", "operator": "In", "values": ["b", "a"]]]],
                            "template": nginxTemplate],
                   "status": [:]],
                  ["api", "0/1", 0, 0, "5s", "nginx,log", "nginx:1.25,busybox", "tier in (a,b)"]),
        PrintCase("empty selector prints empty",
                  ["metadata": printedMetadata("all"), "spec": ["replicas": 0, "selector": [:], "template": nginxTemplate],
                   "status": [:]],
                  ["all", "0/0", 0, 0, "10m", "nginx,log", "nginx:1.25,busybox", ""]),
    ]

    @Test(arguments: deployments)
    func deploymentCells(_ testCase: PrintCase) { expectCells(DeploymentPrinter(), testCase) }

    @Test func replicaSet() {
        expectCells(ReplicaSetPrinter(), PrintCase(
            "scaled", ["metadata": printedMetadata("web-7d9c"),
                       "spec": ["replicas": 3, "selector": ["matchLabels": ["app": "web", "pod-template-hash": "7d9c"]],
                                "template": nginxTemplate],
                       "status": ["replicas": 3, "readyReplicas": 1]],
            ["web-7d9c", 3, 3, 1, "10m", "nginx,log", "nginx:1.25,busybox", "app=web,pod-template-hash=7d9c"]))
    }

    @Test func replicationController() {
        expectCells(ReplicationControllerPrinter(), PrintCase(
            "legacy", ["metadata": printedMetadata("rc"),
                       "spec": ["replicas": 2, "selector": ["app": "web"], "template": nginxTemplate],
                       "status": ["replicas": 2]],
            ["rc", 2, 2, 0, "10m", "nginx,log", "nginx:1.25,busybox", "app=web"]))
    }

    @Test func statefulSet() {
        expectCells(StatefulSetPrinter(), PrintCase(
            "db", ["metadata": printedMetadata("db", age: 7200),
                   "spec": ["replicas": 3, "serviceName": "db", "selector": ["matchLabels": ["app": "db"]],
                            "template": nginxTemplate],
                   "status": ["replicas": 3, "readyReplicas": 3]],
            ["db", "3/3", "120m", "nginx,log", "nginx:1.25,busybox"]))
    }

    @Test func daemonSet() {
        var template = nginxTemplate
        template["spec"]?["nodeSelector"] = ["kubernetes.io/os": "linux", "disk": "ssd"]
        expectCells(DaemonSetPrinter(), PrintCase(
            "agents", ["metadata": printedMetadata("agent"),
                       "spec": ["selector": ["matchLabels": ["app": "agent"]], "template": template],
                       "status": ["desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2,
                                  "updatedNumberScheduled": 3, "numberAvailable": 2, "numberMisscheduled": 0]],
            ["agent", 3, 3, 2, 3, 2, "disk=ssd,kubernetes.io/os=linux", "10m", "nginx,log", "nginx:1.25,busybox",
             "app=agent"]))
    }

    static func makeJob(_ spec: JSONObject, _ status: JSONObject, metadata: JSONObject = [:]) -> JSONValue {
        var jobSpec: JSONObject = ["template": nginxTemplate, "selector": ["matchLabels": ["batch.kubernetes.io/job-name": "pi"]]]
        for (key, value) in spec { jobSpec[key] = value }
        return ["metadata": printedMetadata("pi", age: 600, metadata), "spec": .object(jobSpec), "status": .object(status)]
    }

    static let jobs: [PrintCase] = [
        PrintCase("running with completions", makeJob(["completions": 3, "parallelism": 1],
                                                  ["startTime": printedAgo(200), "succeeded": 1, "active": 1]),
                  ["pi", "Running", "1/3", "3m20s", "10m", "nginx,log", "nginx:1.25,busybox", "batch.kubernetes.io/job-name=pi"]),
        PrintCase("complete", makeJob(["completions": 1, "parallelism": 1],
                                  ["startTime": printedAgo(300), "completionTime": printedAgo(255), "succeeded": 1,
                                   "conditions": [["type": "SuccessCriteriaMet", "status": "True"],
                                                  ["type": "Complete", "status": "True"]]]),
                  ["pi", "Complete", "1/1", "45s", "10m", "nginx,log", "nginx:1.25,busybox", "batch.kubernetes.io/job-name=pi"]),
        PrintCase("failed", makeJob(["completions": 1, "parallelism": 1],
                                ["startTime": printedAgo(300), "failed": 7,
                                 "conditions": [["type": "FailureTarget", "status": "True"], ["type": "Failed", "status": "True"]]]),
                  ["pi", "Failed", "0/1", "5m", "10m", "nginx,log", "nginx:1.25,busybox", "batch.kubernetes.io/job-name=pi"]),
        PrintCase("work queue with parallel workers", makeJob(["parallelism": 3], ["startTime": printedAgo(30)]),
                  ["pi", "Running", "0/1 of 3", "30s", "10m", "nginx,log", "nginx:1.25,busybox", "batch.kubernetes.io/job-name=pi"]),
        PrintCase("suspended before starting", makeJob(["completions": 2, "suspend": true],
                                                   ["conditions": [["type": "Suspended", "status": "True"]]]),
                  ["pi", "Suspended", "0/2", "", "10m", "nginx,log", "nginx:1.25,busybox", "batch.kubernetes.io/job-name=pi"]),
        PrintCase("being deleted", makeJob(["completions": 1], ["startTime": printedAgo(10)],
                                       metadata: ["deletionTimestamp": printedAgo(1)]),
                  ["pi", "Terminating", "0/1", "10s", "10m", "nginx,log", "nginx:1.25,busybox", "batch.kubernetes.io/job-name=pi"]),
    ]

    @Test(arguments: jobs)
    func jobCells(_ testCase: PrintCase) { expectCells(JobPrinter(), testCase) }

    static let cronJobs: [PrintCase] = [
        PrintCase("scheduled before",
                  ["metadata": printedMetadata("backup", age: 86400 * 3),
                   "spec": ["schedule": "*/5 * * * *", "suspend": false,
                            "jobTemplate": ["spec": ["template": nginxTemplate]]],
                   "status": ["active": [["kind": "Job", "name": "backup-1"]], "lastScheduleTime": printedAgo(90)]],
                  ["backup", "*/5 * * * *", "<none>", "False", 1, "90s", "3d", "nginx,log", "nginx:1.25,busybox", "<none>"]),
        PrintCase("never scheduled, in a time zone",
                  ["metadata": printedMetadata("report"),
                   "spec": ["schedule": "0 9 * * 1", "timeZone": "Europe/Paris", "suspend": true,
                            "jobTemplate": ["spec": ["template": nginxTemplate, "selector": ["matchLabels": ["app": "r"]]]]],
                   "status": [:]],
                  ["report", "0 9 * * 1", "Europe/Paris", "True", 0, "<none>", "10m", "nginx,log", "nginx:1.25,busybox", "app=r"]),
    ]

    @Test(arguments: cronJobs)
    func cronJobCells(_ testCase: PrintCase) { expectCells(CronJobPrinter(), testCase) }

    @Test func podTemplate() {
        expectCells(PodTemplatePrinter(), PrintCase(
            "template", ["metadata": printedMetadata("tpl"), "template": nginxTemplate],
            ["tpl", "nginx,log", "nginx:1.25,busybox", "app=web"]))
    }

    @Test func workloadColumns() {
        #expect(DeploymentPrinter().columns.map(\.name)
                == ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"])
        #expect(JobPrinter().columns.map(\.name)
                == ["Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"])
        #expect(CronJobPrinter().columns.map(\.name)
                == ["Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age", "Containers", "Images", "Selector"])
        #expect(CronJobPrinter().columns.map(\.type)
                == ["string", "string", "string", "boolean", "integer", "string", "string", "string", "string", "string"])
        #expect(DaemonSetPrinter().columns.map(\.priority) == [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1])
    }
}
