import Foundation
import KubeClient
import KubeModel
import Testing

@testable import KubeControllers

/// The Job controller against a real API server, the test playing the kubelet.
@Suite struct JobControllerTests {
    @Test func completionsWithParallelismNeverRunMoreThanParallelism() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([JobController(context: harness.context)]) {
            _ = try await harness.jobs.create(batchJob("five", completions: 5, parallelism: 2))
            var finished = 0
            while finished < 5 {
                let expected = min(2, 5 - finished)
                let active = try await harness.eventually("active pods") {
                    let active = try await harness.activePods(of: "five")
                    return active.count == expected ? active : nil
                }
                try await harness.holds("at most 2 active") { try await harness.activePods(of: "five").count <= 2 }
                try await harness.finish(active[0])
                finished += 1
            }
            try await harness.eventually("Complete") { try await harness.condition("Complete", of: "five") != nil }
            let job = try await harness.job("five")
            let types = job.status.conditions?.map(\.type)
            #expect(types == ["SuccessCriteriaMet", "Complete"])
            let complete = try #require(job.status.conditions?.last)
            #expect(complete.reason == "CompletionsReached")
            #expect(complete.message == "Reached expected number of succeeded pods")
            #expect(job.status.succeeded == 5)
            #expect(job.status.failed == nil)
            #expect(job.status.active == nil)
            #expect(job.status.ready == 0)
            #expect(job.status.terminating == 0)
            #expect(job.status.uncountedTerminatedPods == BatchV1.UncountedTerminatedPods())
            #expect(job.status.startTime != nil)
            #expect(job.status.completionTime == complete.lastTransitionTime)
            // Every pod was counted and released.
            let pods = try await harness.pods(of: "five")
            #expect(pods.count == 5)
            #expect(pods.allSatisfy { !$0.hasJobTrackingFinalizer })
            try await harness.eventually("Completed event") { try await harness.eventReasons(about: "five").contains("Completed") }
        }
    }

    @Test func podsCarryTheJobsLabelsFinalizerAndOwner() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([JobController(context: harness.context)]) {
            let job = try await harness.jobs.create(batchJob("labels"))
            let pod = try await harness.eventually("pod") { try await harness.pods(of: "labels").first }
            let uid = try #require(job.metadata.uid)
            let labels = pod.metadata.labels ?? [:]
            #expect(labels["batch.kubernetes.io/controller-uid"] == uid)
            #expect(labels["controller-uid"] == uid)
            #expect(labels["batch.kubernetes.io/job-name"] == "labels")
            #expect(labels["job-name"] == "labels")
            #expect(pod.metadata.finalizers == ["batch.kubernetes.io/job-tracking"])
            #expect(pod.metadata.generateName == "labels-")
            #expect(pod.controllerReference?.uid == uid)
            #expect(pod.controllerReference?.kind == "Job")
            #expect(pod.metadata.annotations?["batch.kubernetes.io/job-completion-index"] == nil)
            #expect(job.spec.selector?.matchLabels == ["batch.kubernetes.io/controller-uid": uid])
            try await harness.eventually("SuccessfulCreate") { try await harness.eventReasons(about: "labels").contains("SuccessfulCreate") }
        }
    }

    @Test func indexedJobGivesEachIndexItsPodAndCompressesCompletedIndexes() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([JobController(context: harness.context)]) {
            _ = try await harness.jobs.create(batchJob("indexed", completions: 4, parallelism: 4) { $0.spec.completionMode = "Indexed" })
            let pods = try await harness.eventually("4 pods") {
                let pods = try await harness.pods(of: "indexed")
                return pods.count == 4 ? pods : nil
            }
            let byIndex = Dictionary(uniqueKeysWithValues: pods.map { ($0.completionIndex ?? -1, $0) })
            #expect(byIndex.keys.sorted() == [0, 1, 2, 3])
            for (index, pod) in byIndex {
                #expect(pod.metadata.labels?["batch.kubernetes.io/job-completion-index"] == String(index))
                #expect(pod.spec.hostname == "indexed-\(index)")
                #expect(pod.metadata.generateName == "indexed-\(index)-")
                let variable = pod.spec.containers[0].env?.first { $0.name == "JOB_COMPLETION_INDEX" }
                #expect(variable?.valueFrom?.fieldRef?.fieldPath == "metadata.labels['batch.kubernetes.io/job-completion-index']")
            }
            for index in [0, 1, 3] { try await harness.finish(byIndex[index]!) }
            try await harness.eventually("completedIndexes 0,1,3") {
                let status = try await harness.job("indexed").status
                return status.completedIndexes == "0,1,3" && status.succeeded == 3
            }
            try await harness.finish(byIndex[2]!)
            try await harness.eventually("Complete") { try await harness.condition("Complete", of: "indexed") != nil }
            #expect(try await harness.job("indexed").status.completedIndexes == "0-3")
        }
    }

    @Test func failedPodsAreReplacedAfterExponentialBackoffUntilTheLimit() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([JobController(context: harness.context)]) {
            _ = try await harness.jobs.create(batchJob("flaky", backoffLimit: 2))
            var failedAt: [Date] = []
            var replacementsCreatedAt: [Date] = []
            for attempt in 0..<3 {
                let pod = try await harness.eventually("pod \(attempt)", tick: .milliseconds(200)) {
                    try await harness.activePods(of: "flaky").first
                }
                if attempt > 0 { replacementsCreatedAt.append(try #require(pod.metadata.creationTimestamp?.date)) }
                let failed = try await harness.finish(pod, exitCode: 1)
                failedAt.append(try #require(failed.status.containerStatuses?.first?.state?.terminated?.finishedAt?.date))
            }
            // 10 s after the first failure, 20 s after the second (creation times are whole seconds).
            #expect(replacementsCreatedAt[0].timeIntervalSince(failedAt[0]) >= 9)
            #expect(replacementsCreatedAt[0].timeIntervalSince(failedAt[0]) < 15)
            #expect(replacementsCreatedAt[1].timeIntervalSince(failedAt[1]) >= 19)
            #expect(replacementsCreatedAt[1].timeIntervalSince(failedAt[1]) < 25)
            let failed = try await harness.eventually("Failed") { try await harness.condition("Failed", of: "flaky") }
            #expect(failed.reason == "BackoffLimitExceeded")
            #expect(failed.message == "Job has reached the specified backoff limit")
            let job = try await harness.job("flaky")
            #expect(job.status.failed == 3)
            #expect(job.status.conditions?.map(\.type) == ["FailureTarget", "Failed"])
            #expect(job.status.completionTime == nil)
            try await harness.eventually("event") { try await harness.eventReasons(about: "flaky").contains("BackoffLimitExceeded") }
        }
    }

    @Test func activeDeadlineFailsTheJobAndStopsItsPods() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([JobController(context: harness.context)]) {
            _ = try await harness.jobs.create(batchJob("deadline", completions: 2, parallelism: 2) { $0.spec.activeDeadlineSeconds = 30 })
            let pods = try await harness.eventually("pods") {
                let pods = try await harness.activePods(of: "deadline")
                return pods.count == 2 ? pods : nil
            }
            try await harness.markRunningAndReady(pods[0])
            try await harness.eventually("ready 1") { try await harness.job("deadline").status.ready == 1 }
            harness.clock.advance(by: .seconds(31))
            let failed = try await harness.eventually("Failed") { try await harness.condition("Failed", of: "deadline") }
            #expect(failed.reason == "DeadlineExceeded")
            #expect(failed.message == "Job was active longer than specified deadline")
            let job = try await harness.job("deadline")
            #expect(job.status.failed == 2)
            #expect(job.status.active == nil)
            #expect(try await harness.pods(of: "deadline").isEmpty)
        }
    }

    @Test func podFailurePolicyFailJobOnExitCode() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([JobController(context: harness.context)]) {
            _ = try await harness.jobs.create(batchJob("policy", backoffLimit: 6) { job in
                job.spec.podFailurePolicy = BatchV1.PodFailurePolicy(rules: [
                    BatchV1.PodFailurePolicyRule(action: "FailJob", onExitCodes: BatchV1.PodFailurePolicyOnExitCodesRequirement(operator: "In", values: [42])),
                ])
            })
            let pod = try await harness.eventually("pod") { try await harness.activePods(of: "policy").first }
            try await harness.finish(pod, exitCode: 42)
            let failed = try await harness.eventually("Failed") { try await harness.condition("Failed", of: "policy") }
            #expect(failed.reason == "PodFailurePolicy")
            #expect(failed.message == "Container main for pod default/\(pod.metadata.name ?? "") failed with exit code 42 matching FailJob rule at index 0")
            #expect(try await harness.job("policy").status.failed == 1)
        }
    }

    @Test func podFailurePolicyIgnoreDoesNotCountTheFailure() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([JobController(context: harness.context)]) {
            _ = try await harness.jobs.create(batchJob("ignore", backoffLimit: 0) { job in
                job.spec.podFailurePolicy = BatchV1.PodFailurePolicy(rules: [
                    BatchV1.PodFailurePolicyRule(action: "Ignore", onPodConditions: [
                        BatchV1.PodFailurePolicyOnPodConditionsPattern(type: "DisruptionTarget", status: "True"),
                    ]),
                ])
            })
            let first = try await harness.eventually("pod") { try await harness.activePods(of: "ignore").first }
            try await harness.finish(first, exitCode: 137, conditions: [CoreV1.PodCondition(type: "DisruptionTarget", status: "True")])
            let second = try await harness.eventually("replacement", tick: .milliseconds(200)) {
                try await harness.activePods(of: "ignore").first
            }
            #expect(second.metadata.uid != first.metadata.uid)
            try await harness.finish(second)
            try await harness.eventually("Complete") { try await harness.condition("Complete", of: "ignore") != nil }
            #expect(try await harness.job("ignore").status.failed == nil)
        }
    }

    @Test func backoffLimitPerIndexFailsOnlyTheIndex() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([JobController(context: harness.context)]) {
            _ = try await harness.jobs.create(batchJob("perindex", completions: 2, parallelism: 2) { job in
                job.spec.completionMode = "Indexed"
                job.spec.backoffLimitPerIndex = 1
            })
            let pods = try await harness.eventually("2 pods") {
                let pods = try await harness.activePods(of: "perindex")
                return pods.count == 2 ? pods : nil
            }
            let index0 = try #require(pods.first { $0.completionIndex == 0 })
            let index1 = try #require(pods.first { $0.completionIndex == 1 })
            #expect(index0.metadata.annotations?["batch.kubernetes.io/job-index-failure-count"] == "0")
            try await harness.finish(index1)
            try await harness.finish(index0, exitCode: 1)
            let retry = try await harness.eventually("index 0 again", tick: .milliseconds(200)) {
                try await harness.activePods(of: "perindex").first { $0.completionIndex == 0 }
            }
            #expect(retry.metadata.annotations?["batch.kubernetes.io/job-index-failure-count"] == "1")
            try await harness.finish(retry, exitCode: 1)
            let failed = try await harness.eventually("Failed") { try await harness.condition("Failed", of: "perindex") }
            #expect(failed.reason == "FailedIndexes")
            let status = try await harness.job("perindex").status
            #expect(status.failedIndexes == "0")
            #expect(status.completedIndexes == "1")
            #expect(status.failed == 2)
            #expect(status.succeeded == 1)
        }
    }

    @Test func suspendedJobStartsNothingAndResumingResetsStartTime() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([JobController(context: harness.context)]) {
            _ = try await harness.jobs.create(batchJob("sleepy", completions: 2, parallelism: 2) { $0.spec.suspend = true })
            let suspended = try await harness.eventually("Suspended") { try await harness.condition("Suspended", of: "sleepy") }
            #expect(suspended.reason == "JobSuspended")
            #expect(suspended.message == "Job suspended")
            #expect(try await harness.job("sleepy").status.startTime == nil)
            #expect(try await harness.pods(of: "sleepy").isEmpty)

            harness.clock.advance(by: .seconds(60))
            var job = try await harness.job("sleepy")
            job.spec.suspend = false
            _ = try await harness.jobs.update(job)
            try await harness.eventually("2 pods") { try await harness.activePods(of: "sleepy").count == 2 }
            job = try await harness.eventually("resumed") {
                let job = try await harness.job("sleepy")
                return job.condition("Suspended")?.status == "False" ? job : nil
            }
            #expect(job.condition("Suspended")?.reason == "JobResumed")
            let start = try #require(job.status.startTime?.date)
            #expect(start >= BatchHarness.start.addingTimeInterval(60))

            // Suspending a running Job deletes its pods.
            job.spec.suspend = true
            _ = try await harness.jobs.update(job)
            try await harness.eventually("pods gone") { try await harness.pods(of: "sleepy").isEmpty }
            try await harness.eventually("suspended again") {
                let job = try await harness.job("sleepy")
                return job.condition("Suspended")?.status == "True" && job.status.active == nil
            }
            #expect(try await harness.job("sleepy").status.startTime == nil)
            #expect(try await harness.job("sleepy").status.failed == nil)
            let reasons = try await harness.eventReasons(about: "sleepy")
            #expect(reasons.isSuperset(of: ["Suspended", "Resumed", "SuccessfulDelete"]))
        }
    }

    @Test(arguments: [("TerminatingOrFailed", true), ("Failed", false)])
    func podReplacementPolicy(policy: String, replacedWhileTerminating: Bool) async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([JobController(context: harness.context)]) {
            _ = try await harness.jobs.create(batchJob("replace") { $0.spec.podReplacementPolicy = policy })
            let pod = try await harness.eventually("pod") { try await harness.activePods(of: "replace").first }
            // An extra finalizer keeps the deleted pod terminating.
            var held = pod
            held.metadata.finalizers = (held.metadata.finalizers ?? []) + ["test/hold"]
            _ = try await harness.pods.update(held)
            try await harness.pods.delete(pod.metadata.name ?? "")
            try await harness.eventually("terminating 1") { try await harness.job("replace").status.terminating == 1 }
            if replacedWhileTerminating {
                try await harness.eventually("replacement", tick: .milliseconds(200)) { try await harness.activePods(of: "replace").count == 1 }
                #expect(try await harness.job("replace").status.failed == 1)
            } else {
                try await harness.holds("no replacement") { try await harness.activePods(of: "replace").isEmpty }
                #expect(try await harness.job("replace").status.failed == nil)
            }
        }
    }

    @Test func jobsManagedByAnotherControllerAreLeftAlone() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([JobController(context: harness.context)]) {
            _ = try await harness.jobs.create(batchJob("external") { $0.spec.managedBy = "example.com/other" })
            _ = try await harness.jobs.create(batchJob("ours"))
            try await harness.eventually("our pod") { try await !harness.pods(of: "ours").isEmpty }
            try await harness.holds("no pods") { try await harness.pods(of: "external").isEmpty }
            #expect(try await harness.job("external").status.startTime == nil)
        }
    }

    @Test func orphanPodsOfADeletedJobLoseTheirFinalizer() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([JobController(context: harness.context)]) {
            _ = try await harness.jobs.create(batchJob("gone"))
            let pod = try await harness.eventually("pod") { try await harness.pods(of: "gone").first }
            try await harness.jobs.delete("gone")
            try await harness.eventually("finalizer removed") {
                let current = try await harness.pods.get(pod.metadata.name ?? "")
                return !current.hasJobTrackingFinalizer
            }
        }
    }
}

/// The pure parts: back-off delays, index intervals, pod failure policy verdicts.
@Suite struct JobRulesTests {
    @Test(arguments: [(1, 10.0), (2, 20.0), (3, 40.0), (4, 80.0), (5, 160.0), (6, 320.0), (7, 600.0), (20, 600.0)])
    func backoffDoublesFromTenSecondsToTheCap(failures: Int, delay: TimeInterval) {
        let failedAt = Date(timeIntervalSince1970: 1000)
        #expect(PodFailureBackoff.remaining(failures: failures, lastFailure: failedAt, now: failedAt) == delay)
        #expect(PodFailureBackoff.remaining(failures: failures, lastFailure: failedAt, now: failedAt.addingTimeInterval(5)) == delay - 5)
        #expect(PodFailureBackoff.remaining(failures: failures, lastFailure: failedAt, now: failedAt.addingTimeInterval(delay + 1)) == 0)
        #expect(PodFailureBackoff.remaining(failures: 0, lastFailure: failedAt, now: failedAt) == 0)
    }

    @Test func backoffRecordCountsFailuresSinceTheLastSuccess() {
        func pod(finishedAt seconds: Double) -> CoreV1.Pod {
            var pod = CoreV1.Pod()
            var container = CoreV1.ContainerStatus()
            var terminated = CoreV1.ContainerStateTerminated()
            terminated.finishedAt = Time(Date(timeIntervalSince1970: seconds))
            container.state = CoreV1.ContainerState(terminated: terminated)
            pod.status.containerStatuses = [container]
            return pod
        }
        let record = PodBackoffRecord().adding(succeeded: [], failed: [pod(finishedAt: 10), pod(finishedAt: 20)])
        #expect(record == PodBackoffRecord(failuresAfterLastSuccess: 2, lastFailureTime: Date(timeIntervalSince1970: 20)))
        let afterSuccess = record.adding(succeeded: [pod(finishedAt: 30)], failed: [pod(finishedAt: 25), pod(finishedAt: 40)])
        #expect(afterSuccess == PodBackoffRecord(failuresAfterLastSuccess: 1, lastFailureTime: Date(timeIntervalSince1970: 40)))
        #expect(afterSuccess.adding(succeeded: [pod(finishedAt: 50)], failed: []) == PodBackoffRecord())
    }

    @Test(arguments: [
        ("", 10, ""), ("0", 10, "0"), ("0,1", 10, "0,1"), ("0-2", 10, "0-2"), ("1,3-5,7", 10, "1,3-5,7"),
        ("0,1,2", 10, "0-2"), ("3-9", 5, "3,4"), ("7", 5, ""), ("x,2", 10, "2"), ("1-2,3-4", 10, "1-4"),
    ])
    func indexIntervalsParseAndFormatAsUpstream(text: String, completions: Int, formatted: String) {
        #expect(IndexIntervals(parsing: text, completions: completions).description == formatted)
    }

    @Test func indexIntervalsMergeCountAndFindGaps() {
        let intervals = IndexIntervals([5, 1, 2, 3, 9])
        #expect(intervals.description == "1-3,5,9")
        #expect(intervals.total == 5)
        #expect(intervals.contains(2) && intervals.contains(9) && !intervals.contains(4) && !intervals.contains(0))
        #expect(intervals.adding([4]).description == "1-5,9")
        #expect(intervals.firstMissing(3, below: 10) == [0, 4, 6])
        #expect(intervals.firstMissing(10, below: 7) == [0, 4, 6])
        #expect(intervals.overlapCount(with: IndexIntervals(parsing: "0-3", completions: 10)) == 3)
    }

    static func failedPod(exitCode: Int, container: String = "main", conditions: [String] = []) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.namespace = "ns"
        pod.metadata.name = "p"
        pod.status.phase = "Failed"
        var status = CoreV1.ContainerStatus()
        status.name = container
        var terminated = CoreV1.ContainerStateTerminated()
        terminated.exitCode = exitCode
        status.state = CoreV1.ContainerState(terminated: terminated)
        pod.status.containerStatuses = [status]
        pod.status.conditions = conditions.map { CoreV1.PodCondition(type: $0, status: "True") }
        return pod
    }

    static let policy = BatchV1.PodFailurePolicy(rules: [
        BatchV1.PodFailurePolicyRule(action: "Ignore", onPodConditions: [BatchV1.PodFailurePolicyOnPodConditionsPattern(type: "DisruptionTarget")]),
        BatchV1.PodFailurePolicyRule(action: "FailJob", onExitCodes: BatchV1.PodFailurePolicyOnExitCodesRequirement(
            containerName: "main", operator: "In", values: [1, 2])),
        BatchV1.PodFailurePolicyRule(action: "Count", onExitCodes: BatchV1.PodFailurePolicyOnExitCodesRequirement(operator: "NotIn", values: [3])),
        BatchV1.PodFailurePolicyRule(action: "FailIndex", onExitCodes: BatchV1.PodFailurePolicyOnExitCodesRequirement(operator: "In", values: [3])),
    ])

    @Test(arguments: [
        (failedPod(exitCode: 1), "FailJob", true),
        (failedPod(exitCode: 2, conditions: ["DisruptionTarget"]), "Ignore", false),
        (failedPod(exitCode: 1, container: "sidecar"), "Count", true),
        (failedPod(exitCode: 3), "FailIndex", true),
        (failedPod(exitCode: 0), nil, true),
    ] as [(CoreV1.Pod, String?, Bool)])
    func podFailurePolicyFirstMatchingRuleDecides(pod: CoreV1.Pod, action: String?, counts: Bool) {
        let verdict = PodFailureVerdict(policy: Self.policy, pod: pod)
        #expect(verdict.action == action)
        #expect(verdict.countsAsFailure == counts)
        #expect((verdict.failJobMessage != nil) == (action == "FailJob"))
    }

    @Test func failJobMessageNamesContainerCodeAndRule() {
        let verdict = PodFailureVerdict(policy: Self.policy, pod: Self.failedPod(exitCode: 2))
        #expect(verdict.failJobMessage == "Container main for pod ns/p failed with exit code 2 matching FailJob rule at index 1")
    }

    @Test(arguments: [
        ("0,2-3", nil, "0,2", false), ("0,2-3", nil, "0,2-3", true), ("0,2-3", 1, "3", true),
        (nil, 2, "5,7", true), (nil, 3, "5,7", false),
    ] as [(String?, Int?, String, Bool)])
    func successPolicyRules(indexes: String?, count: Int?, succeeded: String, met: Bool) {
        let policy = BatchV1.SuccessPolicy(rules: [BatchV1.SuccessPolicyRule(succeededCount: count, succeededIndexes: indexes)])
        let message = JobController.successPolicyMatch(policy, completions: 10, succeeded: IndexIntervals(parsing: succeeded, completions: 10))
        #expect((message != nil) == met)
        if met { #expect(message == "Matched rules at index 0") }
    }
}
