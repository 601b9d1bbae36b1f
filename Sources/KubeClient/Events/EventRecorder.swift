import Foundation
import KubeModel
import Logging
import Synchronization

/// core/v1 Event types.
public enum EventType: String, Sendable {
    case normal = "Normal"
    case warning = "Warning"
}

/// Records core/v1 Events about objects (client-go's record.EventRecorder). `record` never
/// blocks: events go into a bounded buffer (dropped when it is full, logged at the first drop and
/// every thousandth, so a burst does not flood the log) and
/// `run()` writes them, folding repeats into one Event with a growing count.
public final class EventRecorder: Sendable {
    public let component: String
    public let host: String?
    public let reportingInstance: String?
    private let client: APIClient
    private let clock: any ClientClock
    private let logger: Logger
    private let aggregationWindow: Duration
    private let retryInterval: Duration
    private let maximumAttempts: Int
    private let buffer: (stream: AsyncStream<CoreV1.Event>, continuation: AsyncStream<CoreV1.Event>.Continuation)
    private let droppedCount = Atomic<Int>(0)

    /// - Parameters:
    ///   - component: who reports ("kube-scheduler", "replicaset-controller"); also the
    ///     reportingComponent.
    ///   - host: the node or host name of the source, if any.
    ///   - bufferSize: events waiting to be written before new ones are dropped.
    public init(client: APIClient, component: String, host: String? = nil, reportingInstance: String? = nil,
                bufferSize: Int = 1000, aggregationWindow: Duration = .seconds(600), retryInterval: Duration = .seconds(1),
                maximumAttempts: Int = 5, clock: any ClientClock = SystemClock(), logger: Logger = Logger(label: "skiff.events")) {
        self.component = component
        self.host = host
        self.reportingInstance = reportingInstance ?? host
        self.client = client
        self.clock = clock
        self.logger = logger
        self.aggregationWindow = aggregationWindow
        self.retryInterval = retryInterval
        self.maximumAttempts = maximumAttempts
        buffer = AsyncStream.makeStream(of: CoreV1.Event.self, bufferingPolicy: .bufferingOldest(bufferSize))
    }

    /// Records an event about `object`.
    public func record<Object: KubeObject>(_ object: Object, type: EventType, reason: String, message: String) {
        var reference = CoreV1.ObjectReference()
        reference.apiVersion = object.apiVersion ?? Object.groupVersionKind.apiVersion
        reference.kind = object.kind ?? Object.groupVersionKind.kind
        reference.name = object.metadata.name
        reference.namespace = object.metadata.namespace
        reference.uid = object.metadata.uid
        reference.resourceVersion = object.metadata.resourceVersion
        record(regarding: reference, type: type, reason: reason, message: message)
    }

    /// Records an event about the referenced object.
    public func record(regarding reference: CoreV1.ObjectReference, type: EventType, reason: String, message: String) {
        let now = Time(clock.now())
        var event = CoreV1.Event()
        event.metadata.namespace = (reference.namespace ?? "").isEmpty ? "default" : reference.namespace
        event.involvedObject = reference
        event.type = type.rawValue
        event.reason = reason
        event.message = message
        event.source = CoreV1.EventSource(component: component, host: host)
        event.reportingComponent = component
        event.reportingInstance = reportingInstance ?? ""
        event.firstTimestamp = now
        event.lastTimestamp = now
        event.count = 1
        if case .dropped = buffer.continuation.yield(event) {
            let dropped = droppedCount.add(1, ordering: .relaxed).newValue
            if dropped == 1 || dropped % 1000 == 0 {
                logger.warning("event buffer full; dropping events", metadata: [
                    "dropped": "\(dropped)", "object": "\(reference.kind ?? "")/\(reference.name ?? "")", "reason": "\(reason)",
                ])
            }
        }
    }

    /// Writes recorded events until the task is cancelled.
    public func run() async {
        var correlator = EventCorrelator(window: aggregationWindow)
        for await event in buffer.stream {
            let action = correlator.correlate(event, now: clock.now())
            guard let stored = await write(action) else { continue }
            correlator.recorded(stored, as: event, now: clock.now())
        }
    }

    private func events(_ event: CoreV1.Event) -> ResourceClient<CoreV1.Event> {
        client.resource(CoreV1.Event.self, namespace: event.metadata.namespace ?? "default")
    }

    /// Performs the create or patch, retrying transient failures; nil when it gave up.
    private func write(_ action: EventCorrelator.Action) async -> CoreV1.Event? {
        for attempt in 1...maximumAttempts {
            do {
                switch action {
                case .create(let event):
                    return try await events(event).create(event)
                case .patch(let event, let patch):
                    do {
                        return try await events(event).patch(event.metadata.name ?? "", type: .strategicMerge, body: patch)
                    } catch let error as APIStatusError where error.isNotFound {
                        // The Event expired or was deleted: start it again.
                        var fresh = event
                        fresh.metadata.resourceVersion = nil
                        return try await events(event).create(fresh)
                    }
                }
            } catch {
                if Task.isCancelled { return nil }
                let status = error as? APIStatusError
                let permanent = status.map { (400..<500).contains($0.code) && !$0.isTooManyRequests } ?? false
                if permanent || attempt == maximumAttempts {
                    logger.warning("could not write event; dropping it", metadata: ["error": "\(error)"])
                    return nil
                }
                do { try await clock.sleep(for: retryInterval) } catch { return nil }
            }
        }
        return nil
    }
}
