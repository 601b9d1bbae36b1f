import Foundation
import KubeAPIServer
import KubeClient
import KubeControllers
import KubeModel
import KubeStore
import Logging
import Testing

/// A real API server over the in-memory store, reached in process as a cluster admin, with the
/// batch controllers' context on a manual clock that the server's clock follows too (so
/// creation and condition times agree). Tests play the kubelet by writing pod status.
struct BatchHarness: Sendable {
    let core: APIServerCore
    let client: APIClient
    let clock: ManualClock
    let context: ControllerContext
    let namespace = "default"

    /// 2024-01-01T10:00:30Z: half a minute before a minute boundary.
    static let start = Date(timeIntervalSince1970: 1_704_103_230)

    static func make(start: Date = start) async throws -> BatchHarness {
        let clock = ManualClock(now: start)
        var logger = Logger(label: "skiff.controllers-test")
        logger.logLevel = .critical
        let core = APIServerCore(store: MemoryStore(), logger: logger, now: { clock.now() }, bookmarkInterval: .milliseconds(200))
        try await core.bootstrap()
        let client = APIClient(transport: InProcessTransport(router: core.router, user: UserInfo(name: "test", groups: ["system:masters"])))
        var settings = ControllerSettings()
        settings.workers = 2
        settings.jobSyncBatchPeriod = .zero
        settings.localTimeZone = TimeZone(identifier: "UTC")!
        let context = ControllerContext(
            client: client, informers: SharedInformerFactory(client: client, logger: logger),
            events: EventRecorder(client: client, component: "kube-controller-manager", logger: logger),
            clock: clock, settings: settings, logger: logger)
        return BatchHarness(core: core, client: client, clock: clock, context: context)
    }

    /// Runs the controllers while `body` runs.
    func run<T: Sendable>(_ controllers: [any Controller], _ body: @Sendable () async throws -> T) async throws -> T {
        let manager = ControllerManager(context: context, controllers: controllers)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await manager.run()
                return nil
            }
            try await context.informers.waitForSync()
            let result = try await body()
            group.cancelAll()
            return result
        }!
    }

    /// Polls until `condition` holds. Each round moves the manual clock on by `tick`, so that
    /// retries the controllers scheduled after an API conflict come due.
    func eventually(_ what: String = "condition", timeout: Duration = .seconds(10), tick: Duration = .milliseconds(10),
                    _ condition: @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try await condition() { return }
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting for \(what)")
                throw BatchTestTimeout(what: what)
            }
            if tick > .zero { clock.advance(by: tick) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits for `condition` and returns what it produced.
    func eventually<T: Sendable>(_ what: String, timeout: Duration = .seconds(10), tick: Duration = .milliseconds(10),
                                 _ produce: @Sendable () async throws -> T?) async throws -> T {
        let box = ResultBox<T>()
        try await eventually(what, timeout: timeout, tick: tick) {
            guard let value = try await produce() else { return false }
            box.value = value
            return true
        }
        return box.value!
    }

    /// Checks that `condition` stays true while the controllers get a moment to act.
    func holds(_ what: String, for rounds: Int = 20, _ condition: @Sendable () async throws -> Bool) async throws {
        for _ in 0..<rounds {
            #expect(try await condition(), "\(what)")
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    // MARK: - Objects

    var jobs: ResourceClient<BatchV1.Job> { client.resource(BatchV1.Job.self, namespace: namespace) }
    var cronJobs: ResourceClient<BatchV1.CronJob> { client.resource(BatchV1.CronJob.self, namespace: namespace) }
    var pods: ResourceClient<CoreV1.Pod> { client.resource(CoreV1.Pod.self, namespace: namespace) }

    /// The pods of a Job (by its controller reference), oldest first.
    func pods(of job: String) async throws -> [CoreV1.Pod] {
        try await pods.list().items.filter { $0.controllerReference?.name == job }
            .sorted { ($0.metadata.creationTimestamp?.date ?? .distantPast, $0.metadata.name ?? "")
                < ($1.metadata.creationTimestamp?.date ?? .distantPast, $1.metadata.name ?? "") }
    }

    func activePods(of job: String) async throws -> [CoreV1.Pod] {
        try await pods(of: job).filter { $0.status.phase != "Succeeded" && $0.status.phase != "Failed" && $0.metadata.deletionTimestamp == nil }
    }

    /// Plays the kubelet: the pod's one container terminated with `exitCode` now, and the pod
    /// Succeeded (exit code 0) or Failed.
    @discardableResult
    func finish(_ pod: CoreV1.Pod, exitCode: Int = 0, conditions: [CoreV1.PodCondition] = []) async throws -> CoreV1.Pod {
        var pod = try await pods.get(pod.metadata.name ?? "")
        let now = Time(clock.now())
        pod.status.phase = exitCode == 0 ? "Succeeded" : "Failed"
        pod.status.conditions = conditions.isEmpty ? nil : conditions
        var terminated = CoreV1.ContainerStateTerminated()
        terminated.exitCode = exitCode
        terminated.finishedAt = now
        terminated.startedAt = now
        terminated.reason = exitCode == 0 ? "Completed" : "Error"
        var container = CoreV1.ContainerStatus()
        container.name = pod.spec.containers.first?.name ?? "main"
        container.image = pod.spec.containers.first?.image ?? ""
        container.state = CoreV1.ContainerState(terminated: terminated)
        pod.status.containerStatuses = [container]
        return try await pods.updateStatus(pod)
    }

    /// Plays the kubelet: the pod runs and is Ready.
    func markRunningAndReady(_ pod: CoreV1.Pod) async throws {
        var pod = try await pods.get(pod.metadata.name ?? "")
        pod.status.phase = "Running"
        pod.status.conditions = [CoreV1.PodCondition(lastTransitionTime: Time(clock.now()), type: "Ready", status: "True")]
        _ = try await pods.updateStatus(pod)
    }

    func job(_ name: String) async throws -> BatchV1.Job { try await jobs.get(name) }

    func condition(_ type: String, of job: String) async throws -> BatchV1.JobCondition? {
        try await self.job(job).status.conditions?.first { $0.type == type && $0.status == "True" }
    }

    /// Events recorded about an object, by reason.
    func events(about name: String) async throws -> [CoreV1.Event] {
        try await client.resource(CoreV1.Event.self, namespace: namespace).list().items.filter { $0.involvedObject.name == name }
    }

    func eventReasons(about name: String) async throws -> Set<String> {
        Set(try await events(about: name).compactMap(\.reason))
    }
}

struct BatchTestTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

final class ResultBox<T: Sendable>: @unchecked Sendable {
    var value: T?
}

/// A Job whose pods run one container that the test finishes.
func batchJob(_ name: String, completions: Int? = 1, parallelism: Int? = 1, backoffLimit: Int? = nil,
              _ configure: (inout BatchV1.Job) -> Void = { _ in }) -> BatchV1.Job {
    var job = BatchV1.Job()
    job.metadata.name = name
    job.spec.completions = completions
    job.spec.parallelism = parallelism
    job.spec.backoffLimit = backoffLimit
    let container = CoreV1.Container(command: ["sh", "-c", "exit 0"], image: "busybox", name: "main")
    job.spec.template.spec = CoreV1.PodSpec(containers: [container], restartPolicy: "Never")
    configure(&job)
    return job
}
