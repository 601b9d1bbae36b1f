import Testing
import KubeModel
@testable import KubeAPIServer

/// Workload rules: selectors, templates, replicas, update strategies, immutability.
@Suite struct StrategyWorkloadValidationTests {
    static let mismatch = "`selector` does not match template `labels`"

    static let deploymentCases: [InvalidCase<AppsV1.Deployment>] = [
        .init("selector required", "spec.selector", .required) { $0.spec.selector = MetaV1.LabelSelector() },
        .init("missing selector selects nothing", "spec.template.metadata.labels", .invalid, detail: mismatch) {
            $0.spec.selector = MetaV1.LabelSelector()
        },
        .init("selector matches template", "spec.template.metadata.labels", .invalid, detail: mismatch) {
            $0.spec.selector.matchLabels = ["app": "api"]
        },
        .init("selector operators", "spec.selector.matchExpressions[0].operator", .invalid) {
            $0.spec.selector.matchExpressions = [MetaV1.LabelSelectorRequirement(key: "app", operator: "Near")]
        },
        .init("replicas non-negative", "spec.replicas", .invalid, detail: "must be greater than or equal to 0") { $0.spec.replicas = -1 },
        .init("template restarts always", "spec.template.spec.restartPolicy", .notSupported) { $0.spec.template.spec?.restartPolicy = "Never" },
        .init("no deadline in templates", "spec.template.spec.activeDeadlineSeconds", .forbidden) {
            $0.spec.template.spec?.activeDeadlineSeconds = 30
        },
        .init("template containers valid", "spec.template.spec.containers[0].image", .required) {
            $0.spec.template.spec?.containers[0].image = nil
        },
        .init("template labels valid", "spec.template.labels", .invalid) {
            $0.spec.template.metadata.labels?["bad key!"] = "x"
        },
        .init("strategy type supported", "spec.strategy", .notSupported) { $0.spec.strategy = AppsV1.DeploymentStrategy(type: "BlueGreen") },
        .init("recreate has no rolling update", "spec.strategy.rollingUpdate", .forbidden) {
            $0.spec.strategy = AppsV1.DeploymentStrategy(rollingUpdate: AppsV1.RollingUpdateDeployment(maxSurge: 1), type: "Recreate")
        },
        .init("surge or unavailable", "spec.strategy.rollingUpdate.maxUnavailable", .invalid, detail: "may not be 0 when `maxSurge` is 0") {
            $0.spec.strategy = AppsV1.DeploymentStrategy(rollingUpdate: AppsV1.RollingUpdateDeployment(maxSurge: 0, maxUnavailable: "0%"))
        },
        .init("unavailable at most 100%", "spec.strategy.rollingUpdate.maxUnavailable", .invalid, detail: "must not be greater than 100%") {
            $0.spec.strategy = AppsV1.DeploymentStrategy(rollingUpdate: AppsV1.RollingUpdateDeployment(maxUnavailable: "120%"))
        },
        .init("percentages well formed", "spec.strategy.rollingUpdate.maxSurge", .invalid, detail: "a valid percent string") {
            $0.spec.strategy = AppsV1.DeploymentStrategy(rollingUpdate: AppsV1.RollingUpdateDeployment(maxSurge: "lots"))
        },
        .init("deadline beyond minReady", "spec.progressDeadlineSeconds", .invalid, detail: "must be greater than minReadySeconds") {
            $0.spec.minReadySeconds = 600
        },
        .init("revision history non-negative", "spec.revisionHistoryLimit", .invalid) { $0.spec.revisionHistoryLimit = -1 },
    ]

    @Test(arguments: deploymentCases)
    func invalidDeployment(_ testCase: InvalidCase<AppsV1.Deployment>) {
        var deployment = Fixtures.deployment()
        testCase.change(&deployment)
        expectError(StrategyHarness.create(DeploymentStrategy(), deployment).errors, field: testCase.field, type: testCase.type, detail: testCase.detail)
    }

    @Test func deploymentSelectorIsImmutable() {
        let (_, errors) = StrategyHarness.update(DeploymentStrategy(), Fixtures.deployment()) { deployment in
            deployment.spec.selector.matchLabels = ["app": "web", "tier": "front"]
            deployment.spec.template.metadata.labels?["tier"] = "front"
        }
        expectError(errors, field: "spec.selector", type: .invalid, detail: "field is immutable")
        #expect(errors.first { $0.field == "spec.selector" }?.badValue
                == .rendered(#"v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"front"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"#))
        let (_, scaleErrors) = StrategyHarness.update(DeploymentStrategy(), Fixtures.deployment()) { $0.spec.replicas = 5 }
        #expect(scaleErrors.isEmpty)
    }

    @Test func mismatchMessageShowsTheLabels() {
        var deployment = Fixtures.deployment()
        deployment.spec.selector.matchLabels = ["app": "api"]
        let error = StrategyHarness.create(DeploymentStrategy(), deployment).errors.first { $0.field == "spec.template.metadata.labels" }
        #expect(error?.description == #"spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`"#)
    }

    static let replicaSetCases: [InvalidCase<AppsV1.ReplicaSet>] = [
        .init("replicas non-negative", "spec.replicas", .invalid) { $0.spec.replicas = -2 },
        .init("selector required", "spec.selector", .required) { $0.spec.selector = MetaV1.LabelSelector() },
        .init("selector matches template", "spec.template.metadata.labels", .invalid, detail: mismatch) { $0.spec.selector.matchLabels = ["app": "x"] },
        .init("minReadySeconds non-negative", "spec.minReadySeconds", .invalid) { $0.spec.minReadySeconds = -1 },
    ]

    @Test(arguments: replicaSetCases)
    func invalidReplicaSet(_ testCase: InvalidCase<AppsV1.ReplicaSet>) {
        var replicaSet = Fixtures.replicaSet()
        testCase.change(&replicaSet)
        expectError(StrategyHarness.create(ReplicaSetStrategy(), replicaSet).errors, field: testCase.field, type: testCase.type, detail: testCase.detail)
    }

    @Test func replicaSetSelectorImmutable() {
        let (_, errors) = StrategyHarness.update(ReplicaSetStrategy(), Fixtures.replicaSet()) { $0.spec.selector.matchLabels = [:]; $0.spec.selector.matchExpressions = [MetaV1.LabelSelectorRequirement(key: "app", operator: "Exists")] }
        expectError(errors, field: "spec.selector", type: .invalid, detail: "field is immutable")
    }

    static let controllerCases: [InvalidCase<CoreV1.ReplicationController>] = [
        .init("template required", "spec.template", .required) { $0.spec.template = nil },
        .init("selector required without template labels", "spec.selector", .required) { $0.spec.template = nil },
        .init("selector matches template", "spec.template.metadata.labels", .invalid, detail: mismatch) { $0.spec.selector = ["app": "x"] },
        .init("replicas non-negative", "spec.replicas", .invalid) { $0.spec.replicas = -1 },
        .init("no deadline", "spec.template.spec.activeDeadlineSeconds", .forbidden, detail: "activeDeadlineSeconds in ReplicationController is not Supported") {
            $0.spec.template?.spec?.activeDeadlineSeconds = 10
        },
    ]

    @Test(arguments: controllerCases)
    func invalidReplicationController(_ testCase: InvalidCase<CoreV1.ReplicationController>) {
        var controller = Fixtures.replicationController()
        testCase.change(&controller)
        expectError(StrategyHarness.create(ReplicationControllerStrategy(), controller).errors, field: testCase.field, type: testCase.type,
                    detail: testCase.detail)
    }

    static let statefulSetCases: [InvalidCase<AppsV1.StatefulSet>] = [
        .init("pod management policy", "spec.podManagementPolicy", .invalid, detail: "must be 'OrderedReady' or 'Parallel'") {
            $0.spec.podManagementPolicy = "Random"
        },
        .init("update strategy type", "spec.updateStrategy", .invalid) { $0.spec.updateStrategy = AppsV1.StatefulSetUpdateStrategy(type: "Blue") },
        .init("partition non-negative", "spec.updateStrategy.rollingUpdate.partition", .invalid) {
            $0.spec.updateStrategy = AppsV1.StatefulSetUpdateStrategy(rollingUpdate: AppsV1.RollingUpdateStatefulSetStrategy(partition: -1), type: "RollingUpdate")
        },
        .init("retention policy", "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", .notSupported) {
            $0.spec.persistentVolumeClaimRetentionPolicy = AppsV1.StatefulSetPersistentVolumeClaimRetentionPolicy(whenDeleted: "Keep")
        },
        .init("selector required", "spec.selector", .required) { $0.spec.selector = MetaV1.LabelSelector() },
        .init("selector matches template", "spec.template.metadata.labels", .invalid, detail: mismatch) { $0.spec.selector.matchLabels = ["app": "web"] },
        .init("restart always", "spec.template.spec.restartPolicy", .notSupported) { $0.spec.template.spec?.restartPolicy = "OnFailure" },
        .init("ordinals start non-negative", "spec.ordinals.start", .invalid) { $0.spec.ordinals = AppsV1.StatefulSetOrdinals(start: -1) },
        .init("mounts refer to volumes or claims", "spec.template.spec.containers[0].volumeMounts[0].name", .notFound) {
            $0.spec.volumeClaimTemplates?[0].metadata.name = "other"
        },
    ]

    @Test(arguments: statefulSetCases)
    func invalidStatefulSet(_ testCase: InvalidCase<AppsV1.StatefulSet>) {
        var statefulSet = Fixtures.statefulSet()
        testCase.change(&statefulSet)
        expectError(StrategyHarness.create(StatefulSetStrategy(), statefulSet).errors, field: testCase.field, type: testCase.type,
                    detail: testCase.detail)
    }

    @Test func statefulSetUpdates() {
        let (_, forbidden) = StrategyHarness.update(StatefulSetStrategy(), Fixtures.statefulSet()) { $0.spec.serviceName = "other" }
        expectError(forbidden, field: "spec", type: .forbidden, detail: "updates to statefulset spec for fields other than 'replicas'")
        let (_, allowed) = StrategyHarness.update(StatefulSetStrategy(), Fixtures.statefulSet()) { statefulSet in
            statefulSet.spec.replicas = 3
            statefulSet.spec.template.spec?.containers[0].image = "postgres:17"
            statefulSet.spec.minReadySeconds = 5
            statefulSet.spec.persistentVolumeClaimRetentionPolicy = AppsV1.StatefulSetPersistentVolumeClaimRetentionPolicy(whenDeleted: "Delete")
        }
        #expect(allowed.isEmpty)
    }

    static let daemonSetCases: [InvalidCase<AppsV1.DaemonSet>] = [
        .init("selector matches template", "spec.template.metadata.labels", .invalid, detail: mismatch) { $0.spec.selector.matchLabels = ["app": "x"] },
        .init("restart always", "spec.template.spec.restartPolicy", .notSupported) { $0.spec.template.spec?.restartPolicy = "Never" },
        .init("surge or unavailable, not both", "spec.updateStrategy.rollingUpdate.maxSurge", .invalid, detail: "may not be set when maxUnavailable is non-zero") {
            $0.spec.updateStrategy = AppsV1.DaemonSetUpdateStrategy(rollingUpdate: AppsV1.RollingUpdateDaemonSet(maxSurge: 1, maxUnavailable: 1))
        },
        .init("one of them", "spec.updateStrategy.rollingUpdate.maxUnavailable", .required) {
            $0.spec.updateStrategy = AppsV1.DaemonSetUpdateStrategy(rollingUpdate: AppsV1.RollingUpdateDaemonSet(maxSurge: 0, maxUnavailable: 0))
        },
        .init("strategy type", "spec.updateStrategy", .notSupported) { $0.spec.updateStrategy = AppsV1.DaemonSetUpdateStrategy(type: "Fast") },
    ]

    @Test(arguments: daemonSetCases)
    func invalidDaemonSet(_ testCase: InvalidCase<AppsV1.DaemonSet>) {
        var daemonSet = Fixtures.daemonSet()
        testCase.change(&daemonSet)
        expectError(StrategyHarness.create(DaemonSetStrategy(), daemonSet).errors, field: testCase.field, type: testCase.type, detail: testCase.detail)
    }

    static let jobCases: [InvalidCase<BatchV1.Job>] = [
        .init("restart OnFailure or Never", "spec.template.spec.restartPolicy", .required, detail: #"valid values: ["OnFailure" "Never"]"#) {
            $0.spec.template.spec?.restartPolicy = nil
        },
        .init("restart policy supported", "spec.template.spec.restartPolicy", .notSupported) { $0.spec.template.spec?.restartPolicy = "Sometimes" },
        .init("completions non-negative", "spec.completions", .invalid) { $0.spec.completions = -1 },
        .init("parallelism non-negative", "spec.parallelism", .invalid) { $0.spec.parallelism = -1 },
        .init("backoffLimit non-negative", "spec.backoffLimit", .invalid) { $0.spec.backoffLimit = -1 },
        .init("completion mode", "spec.completionMode", .notSupported) { $0.spec.completionMode = "Sometimes" },
        .init("indexed needs completions", "spec.completions", .required) { $0.spec.completionMode = "Indexed"; $0.spec.parallelism = 2 },
        .init("manual selector required", "spec.selector", .required) { $0.spec.manualSelector = true },
        .init("manual selector matches", "spec.template.metadata.labels", .invalid, detail: mismatch) {
            $0.spec.manualSelector = true
            $0.spec.selector = MetaV1.LabelSelector(matchLabels: ["app": "other"])
        },
        .init("failure policy needs Never", "spec.template.spec.restartPolicy", .invalid) {
            $0.spec.template.spec?.restartPolicy = "OnFailure"
            $0.spec.podFailurePolicy = BatchV1.PodFailurePolicy(rules: [BatchV1.PodFailurePolicyRule(action: "FailJob",
                onExitCodes: BatchV1.PodFailurePolicyOnExitCodesRequirement(operator: "In", values: [42]))])
        },
    ]

    @Test(arguments: jobCases)
    func invalidJob(_ testCase: InvalidCase<BatchV1.Job>) {
        var job = Fixtures.job()
        testCase.change(&job)
        expectError(StrategyHarness.create(JobStrategy(), job).errors, field: testCase.field, type: testCase.type, detail: testCase.detail)
    }

    @Test func jobUpdates() {
        let (_, template) = StrategyHarness.update(JobStrategy(), Fixtures.job()) { $0.spec.template.spec?.containers[0].image = "perl:5.40" }
        expectError(template, field: "spec.template", type: .invalid, detail: "field is immutable")
        let (_, completions) = StrategyHarness.update(JobStrategy(), Fixtures.job()) { $0.spec.completions = 3 }
        expectError(completions, field: "spec.completions", type: .invalid, detail: "field is immutable")
        let (_, allowed) = StrategyHarness.update(JobStrategy(), Fixtures.job()) { $0.spec.parallelism = 4; $0.spec.suspend = true }
        #expect(allowed.isEmpty)
        var suspended = Fixtures.job()
        suspended.spec.suspend = true
        let (_, scheduling) = StrategyHarness.update(JobStrategy(), suspended) { $0.spec.template.spec?.nodeSelector = ["zone": "a"] }
        #expect(scheduling.isEmpty)
    }

    static let cronJobCases: [InvalidCase<BatchV1.CronJob>] = [
        .init("schedule required", "spec.schedule", .required) { $0.spec.schedule = "" },
        .init("five fields", "spec.schedule", .invalid, detail: "expected exactly 5 fields, found 1: [hourly]") { $0.spec.schedule = "hourly" },
        .init("minutes in range", "spec.schedule", .invalid, detail: "end of range (61) above maximum (59): 61") { $0.spec.schedule = "61 * * * *" },
        .init("unknown descriptor", "spec.schedule", .invalid, detail: "unrecognized descriptor: @fortnightly") { $0.spec.schedule = "@fortnightly" },
        .init("every needs a duration", "spec.schedule", .invalid, detail: #"failed to parse duration @every 5x: time: unknown unit "x" in duration "5x""#) {
            $0.spec.schedule = "@every 5x"
        },
        .init("no TZ in schedule", "spec.schedule", .invalid, detail: "cannot use TZ or CRON_TZ in schedule, use timeZone field instead") {
            $0.spec.schedule = "TZ=UTC 0 3 * * *"
        },
        .init("known time zone", "spec.timeZone", .invalid, detail: "unknown time zone Mars/Olympus_Mons") { $0.spec.timeZone = "Mars/Olympus_Mons" },
        .init("explicit time zone", "spec.timeZone", .invalid) { $0.spec.timeZone = "Local" },
        .init("concurrency policy", "spec.concurrencyPolicy", .notSupported) { $0.spec.concurrencyPolicy = "Sometimes" },
        .init("job template restart policy", "spec.jobTemplate.spec.template.spec.restartPolicy", .required) {
            $0.spec.jobTemplate.spec?.template.spec?.restartPolicy = "Always"
        },
        .init("no selector in job template", "spec.jobTemplate.spec.selector", .invalid, detail: "`selector` will be auto-generated") {
            $0.spec.jobTemplate.spec?.selector = MetaV1.LabelSelector(matchLabels: ["a": "b"])
        },
        .init("history non-negative", "spec.successfulJobsHistoryLimit", .invalid) { $0.spec.successfulJobsHistoryLimit = -1 },
        .init("names leave room for the suffix", "metadata.name", .invalid, detail: "must be no more than 52 characters") {
            $0.metadata.name = String(repeating: "a", count: 53)
        },
    ]

    @Test(arguments: cronJobCases)
    func invalidCronJob(_ testCase: InvalidCase<BatchV1.CronJob>) {
        var cronJob = Fixtures.cronJob()
        testCase.change(&cronJob)
        expectError(StrategyHarness.create(CronJobStrategy(), cronJob).errors, field: testCase.field, type: testCase.type, detail: testCase.detail)
    }

    @Test(arguments: ["@hourly", "@every 1h30m", "*/5 1-3 * jan-mar mon-fri", "0 0 1,15 * ?", "30 2 * * SUN", "0 12 * * 1-5/2"])
    func validSchedules(_ schedule: String) {
        var cronJob = Fixtures.cronJob()
        cronJob.spec.schedule = schedule
        cronJob.spec.timeZone = "Europe/Berlin"
        #expect(StrategyHarness.create(CronJobStrategy(), cronJob).errors.isEmpty)
    }
}
