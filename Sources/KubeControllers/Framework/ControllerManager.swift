import KubeClient
import Logging

/// Runs a set of controllers over shared informers: the informers and the event recorder
/// start first, the controllers once every informer they asked for has synced. Everything
/// stops when the task is cancelled.
public struct ControllerManager: Sendable {
    public let context: ControllerContext
    public let controllers: [any Controller]

    public init(context: ControllerContext, controllers: [any Controller]) {
        self.context = context
        self.controllers = controllers
    }

    public func run() async throws {
        let context = self.context
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await context.informers.run() }
            group.addTask { await context.events.run() }
            try await context.informers.waitForSync()
            context.logger.info("informers synced; starting controllers", metadata: ["count": "\(controllers.count)"])
            for controller in controllers {
                group.addTask { try await controller.run() }
            }
        }
    }
}
