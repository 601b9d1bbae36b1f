import Foundation
import KubeModel
import Logging
import Synchronization

/// A shared informer: keeps an `ObjectStore` of one resource in step with the server through a
/// `Reflector` and tells registered handlers about every change, in order. `run()` does the
/// work until its task is cancelled; `hasSynced` turns true after the first full sync.
public final class Informer<Object: KubeObject>: Sendable {
    public let store: ObjectStore<Object>
    public let options: InformerOptions
    private let listWatch: ListWatch<Object>
    private let clock: any ClientClock
    private let logger: Logger

    /// Store changes and the notifications they cause are made together under this lock, so a
    /// handler added at any moment sees every object exactly once (as an add, then changes).
    private let delivery: Mutex<Delivery>
    private let notifications: AsyncStream<Dispatch>
    private let syncWaiters = ParkingLot()

    private struct Delivery {
        var handlers: [InformerEventHandler<Object>] = []
        var hasSynced = false
        var started = false
        let continuation: AsyncStream<Dispatch>.Continuation
    }

    private struct Dispatch: Sendable {
        var handlers: [InformerEventHandler<Object>]
        var notification: InformerNotification<Object>
    }

    public init(listWatch: ListWatch<Object>, options: InformerOptions = InformerOptions(),
                indexers: [String: ObjectStore<Object>.IndexFunction] = [:], clock: any ClientClock = SystemClock(),
                logger: Logger = Logger(label: "skiff.informer")) {
        self.listWatch = listWatch
        self.options = options
        self.clock = clock
        var logger = logger
        logger[metadataKey: "resource"] = "\(APIResource.of(kind: Object.groupVersionKind)?.description ?? Object.groupVersionKind.kind)"
        self.logger = logger
        store = ObjectStore(indexers: indexers)
        let (stream, continuation) = AsyncStream.makeStream(of: Dispatch.self)
        notifications = stream
        delivery = Mutex(Delivery(continuation: continuation))
    }

    /// An informer over `client`'s resource in `namespace` (nil: all namespaces).
    public convenience init(client: APIClient, namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
                            options: InformerOptions = InformerOptions(), indexers: [String: ObjectStore<Object>.IndexFunction] = [:],
                            clock: any ClientClock = SystemClock(), logger: Logger = Logger(label: "skiff.informer")) {
        let resource = client.resource(Object.self, namespace: namespace)
        self.init(listWatch: ListWatch(resource, labelSelector: labelSelector, fieldSelector: fieldSelector),
                  options: options, indexers: indexers, clock: clock, logger: logger)
    }

    // MARK: - Handlers and sync

    /// Registers a handler. Objects already cached are delivered to it as adds first.
    public func addEventHandler(_ handler: InformerEventHandler<Object>) {
        delivery.withLock { delivery in
            delivery.handlers.append(handler)
            for object in store.list() {
                delivery.continuation.yield(Dispatch(handlers: [handler], notification: .added(object)))
            }
        }
    }

    /// True once the store holds a complete list from the server.
    public var hasSynced: Bool { delivery.withLock { $0.hasSynced } }

    /// Returns once the store has synced; throws `CancellationError` if the task is cancelled first.
    public func waitForSync() async throws {
        try await syncWaiters.wait { hasSynced }
    }

    // MARK: - Running

    /// Lists, watches, delivers notifications and resyncs until the task is cancelled. Runs once.
    public func run() async throws {
        let alreadyStarted = delivery.withLock { delivery in
            defer { delivery.started = true }
            return delivery.started
        }
        guard !alreadyStarted else { throw InformerError.alreadyRunning }
        let reflector = Reflector(
            listWatch: listWatch, options: options, clock: clock, logger: logger,
            replace: { objects, _ in self.replace(with: objects) },
            apply: { event in self.apply(event) })
        await withDiscardingTaskGroup { group in
            group.addTask { await self.deliverNotifications() }
            if let period = options.resyncPeriod {
                group.addTask { await self.resync(every: period) }
            }
            await reflector.run()
            group.cancelAll()
        }
    }

    private func deliverNotifications() async {
        for await dispatch in notifications {
            for handler in dispatch.handlers { dispatch.notification.deliver(to: handler) }
        }
    }

    private func resync(every period: Duration) async {
        while true {
            do { try await clock.sleep(for: period) } catch { return }
            delivery.withLock { delivery in
                guard delivery.hasSynced, !delivery.handlers.isEmpty else { return }
                for object in store.list() {
                    delivery.continuation.yield(Dispatch(handlers: delivery.handlers, notification: .updated(old: object, new: object)))
                }
            }
        }
    }

    // MARK: - Store updates from the reflector

    private func replace(with objects: [Object]) {
        delivery.withLock { delivery in
            var previous = store.replace(with: objects)
            for object in objects {
                if let old = previous.removeValue(forKey: ObjectKey.of(object)) {
                    notify(&delivery, .updated(old: old, new: object))
                } else {
                    notify(&delivery, .added(object))
                }
            }
            // Deletions the watch missed: the last state we knew.
            for old in previous.values { notify(&delivery, .deleted(old)) }
            delivery.hasSynced = true
        }
        syncWaiters.wakeAll()
    }

    private func apply(_ event: WatchEvent<Object>) {
        delivery.withLock { delivery in
            switch event {
            case .added(let object), .modified(let object):
                if let old = store.upsert(object) {
                    notify(&delivery, .updated(old: old, new: object))
                } else {
                    notify(&delivery, .added(object))
                }
            case .deleted(let object):
                store.remove(ObjectKey.of(object))
                notify(&delivery, .deleted(object))
            case .bookmark, .error:
                break
            }
        }
    }

    private func notify(_ delivery: inout Delivery, _ notification: InformerNotification<Object>) {
        guard !delivery.handlers.isEmpty else { return }
        delivery.continuation.yield(Dispatch(handlers: delivery.handlers, notification: notification))
    }
}

public enum InformerError: Error, Sendable, Equatable {
    case alreadyRunning
}
