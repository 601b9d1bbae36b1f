import KubeClient
import KubeModel
import Logging

/// What every controller is built from: the API client, the shared informers, the event
/// recorder, the clock and the tunable periods. Passed in, so tests hand in fakes.
public struct ControllerContext: Sendable {
    public let client: APIClient
    public let informers: SharedInformerFactory
    public let events: EventRecorder
    public let clock: any ClientClock
    public let settings: ControllerSettings
    public let logger: Logger

    public init(client: APIClient, informers: SharedInformerFactory, events: EventRecorder,
                clock: any ClientClock = SystemClock(), settings: ControllerSettings = ControllerSettings(),
                logger: Logger = Logger(label: "skiff.controllers")) {
        self.client = client
        self.informers = informers
        self.events = events
        self.clock = clock
        self.settings = settings
        self.logger = logger
    }

    /// A logger tagged with the controller's name.
    public func logger(for controller: String) -> Logger {
        var logger = self.logger
        logger[metadataKey: "controller"] = "\(controller)"
        return logger
    }
}
