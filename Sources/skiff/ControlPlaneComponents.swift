import Foundation
import KubeAPIServer
import KubeClient
import KubeControllers
import KubeModel
import KubeScheduler
import Logging

/// The components that run inside `skiff server` next to the API server and reach it through
/// the in-process transport: the controller manager and the scheduler, each behind its own
/// leader election lease so that only one server of several acts.
struct ControlPlaneComponents {
    let core: APIServerCore
    let settings: ControllerSettings
    /// The controllers' clock (the system clock unless a test speeds it up).
    let clock: any ClientClock
    let logger: Logger

    /// A client that reaches the router directly as `user` (no TLS, no sockets).
    func client(user: String, agent: String) -> APIClient {
        let identity = UserInfo(name: user, groups: ["system:authenticated"])
        return APIClient(transport: InProcessTransport(router: core.router, user: identity), userAgent: agent)
    }

    func runControllerManager() async throws {
        let client = client(user: "system:kube-controller-manager", agent: "kube-controller-manager")
        try await whileLeading(component: "kube-controller-manager", client: client) { [settings, clock] logger in
            let context = ControllerContext(
                client: client, informers: SharedInformerFactory(client: client, logger: logger),
                events: EventRecorder(client: client, component: "kube-controller-manager", host: ProcessInfo.processInfo.hostName),
                clock: clock, settings: settings, logger: logger)
            try await ControllerManager(context: context, controllers: BuiltinControllers.all(context: context)).run()
        }
    }

    func runScheduler() async throws {
        let client = client(user: "system:kube-scheduler", agent: "kube-scheduler")
        try await whileLeading(component: "kube-scheduler", client: client) { logger in
            let informers = SharedInformerFactory(client: client, logger: logger)
            let events = EventRecorder(client: client, component: "default-scheduler")
            let scheduler = try Scheduler(client: client, informers: informers, events: events, logger: logger)
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await informers.run() }
                group.addTask { await events.run() }
                try await scheduler.run()
                group.cancelAll()
            }
        }
    }

    /// Campaigns for the component's lease and runs `work` while leading; campaigns again after
    /// losing the lease, until cancelled.
    func whileLeading(component: String, client: APIClient,
                      work: @escaping @Sendable (Logger) async throws -> Void) async throws {
        var logger = self.logger
        logger[metadataKey: "component"] = "\(component)"
        let componentLogger = logger
        let identity = ProcessInfo.processInfo.hostName + "_" + RandomIdentifiers.uid()
        while !Task.isCancelled {
            let elector = LeaderElector(client: client, configuration: LeaderElectionConfiguration(leaseName: component, identity: identity))
            do {
                try await elector.run(callbacks: LeaderElectionCallbacks(onStartedLeading: {
                    componentLogger.info("became leader", metadata: ["identity": "\(identity)"])
                })) { try await work(componentLogger) }
            } catch LeaderElectionError.leadershipLost {
                logger.warning("lost the lease; campaigning again")
            }
        }
    }
}
