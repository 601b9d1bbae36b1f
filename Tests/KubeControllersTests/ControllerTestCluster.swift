import Foundation
import KubeAPIServer
import KubeClient
import KubeControllers
import KubeModel
import KubeStore
import Logging

/// A real API server over an in-memory store, reached in-process, with chosen controllers
/// running until `stop()`.
final class ControllerTestCluster: Sendable {
    let core: APIServerCore
    let client: APIClient
    let context: ControllerContext
    private let task: Task<Void, Error>

    init(controllers make: (ControllerContext) -> [any Controller]) async throws {
        var logger = Logger(label: "skiff.test")
        logger.logLevel = .warning
        let server = try await TestAPIServer.make()
        core = server.core
        client = server.client
        context = ControllerContext(client: client, informers: SharedInformerFactory(client: client, logger: logger),
                                    events: EventRecorder(client: client, component: "test", logger: logger), logger: logger)
        let manager = ControllerManager(context: context, controllers: make(context))
        task = Task { try await manager.run() }
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
    /// The default is generous: the whole test suite shares two cores with CPU-bound tests
    /// (the scheduler's scale test), and convergence, not speed, is what these tests check.
    func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    func pods(_ namespace: String = "default", selector: String? = nil) async throws -> [CoreV1.Pod] {
        var options = ListOptions()
        options.labelSelector = selector
        return try await client.resource(CoreV1.Pod.self, namespace: namespace).list(options).items
    }

    /// Reports every pod Running and Ready, as a kubelet would.
    func markPodsReady(_ namespace: String = "default") async throws {
        let resource = client.resource(CoreV1.Pod.self, namespace: namespace)
        for var pod in try await pods(namespace) where !pod.isReady && !pod.isTerminating {
            pod.status.phase = "Running"
            pod.status.conditions = [CoreV1.PodCondition(lastTransitionTime: Time(Date()), type: "Ready", status: "True")]
            _ = try? await resource.updateStatus(pod)
        }
    }

    static func template(app: String, image: String = "busybox:1") -> CoreV1.PodTemplateSpec {
        var template = CoreV1.PodTemplateSpec()
        template.metadata.labels = ["app": app]
        template.spec = CoreV1.PodSpec(containers: [CoreV1.Container(image: image, name: "app")])
        return template
    }
}
