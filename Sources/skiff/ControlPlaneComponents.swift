import Foundation
import KubeAPIServer
import KubeClient
import KubeControllers
import KubeModel
import Logging

/// The components that run inside `skiff server` next to the API server and reach it through
/// the in-process transport: the controller manager, behind leader election so that only one
/// server of several acts.
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

    /// Campaigns for leadership and runs the controllers while leading; campaigns again after
    /// losing the lease, until cancelled.
    func runControllerManager() async throws {
        while !Task.isCancelled {
            do {
                try await leadControllerManager()
            } catch LeaderElectionError.leadershipLost {
                logger.warning("controller manager lost its lease; campaigning again")
            }
        }
    }

    private func leadControllerManager() async throws {
        let client = client(user: "system:kube-controller-manager", agent: "kube-controller-manager")
        let identity = ProcessInfo.processInfo.hostName + "_" + RandomIdentifiers.uid()
        let elector = LeaderElector(client: client, configuration: LeaderElectionConfiguration(
            leaseName: "kube-controller-manager", identity: identity))
        var logger = self.logger
        logger[metadataKey: "component"] = "controller-manager"
        let componentLogger = logger
        try await elector.run(callbacks: LeaderElectionCallbacks(onStartedLeading: {
            componentLogger.info("became leader", metadata: ["identity": "\(identity)"])
        })) { [settings, clock] in
            let context = ControllerContext(
                client: client, informers: SharedInformerFactory(client: client, logger: componentLogger),
                events: EventRecorder(client: client, component: "kube-controller-manager", host: ProcessInfo.processInfo.hostName),
                clock: clock, settings: settings, logger: componentLogger)
            try await ControllerManager(context: context, controllers: BuiltinControllers.all(context: context)).run()
        }
    }
}
