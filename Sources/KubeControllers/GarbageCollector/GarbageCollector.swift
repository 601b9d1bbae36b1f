import Foundation
import KubeClient
import KubeModel
import Logging

/// Deletes objects whose owners are gone (upstream's garbage collector). Every deletable
/// resource found through discovery is watched (metadata only); the owner references of the
/// cached objects form the ownership graph, walked through the monitors' UID and owner-UID
/// indexes. Three kinds of work share one queue, keyed by object:
/// - an object with owner references: deleted once every owner is absent (background), or
///   while an owner waits for its dependents (foreground); dangling references are dropped
///   while a live owner remains;
/// - an owner being deleted with the `foregroundDeletion` finalizer: its dependents are deleted,
///   and the finalizer removed once no dependent blocks it (`blockOwnerDeletion`);
/// - an owner being deleted with the `orphan` finalizer: its references are removed from its
///   dependents, then the finalizer.
public final class GarbageCollector: Controller {
    public let name = "garbagecollector"
    static let orphanFinalizer = "orphan"
    static let foregroundFinalizer = "foregroundDeletion"
    /// Never collected nor watched, as upstream's ignored resources.
    static let ignoredResources: Set<String> = ["events", "events.events.k8s.io"]

    let loop: ReconcileLoop
    let client: APIClient
    let events: EventRecorder
    let clock: any ClientClock
    let monitors: MonitoredResources
    let discovery: ResourceDiscovery
    let discoveryPeriod: Duration
    let logger: Logger

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context, workers: context.settings.garbageCollectorWorkers)
        client = context.client
        events = context.events
        clock = context.clock
        monitors = MonitoredResources(client: context.client, options: context.informers.options, clock: context.clock)
        discovery = ResourceDiscovery(client: context.client)
        discoveryPeriod = context.settings.garbageCollectorDiscoveryPeriod
        logger = context.logger(for: name)
    }

    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.monitors.run() }
            try await self.discoverUntilSuccess()
            try await self.monitors.waitForSync()
            logger.info("garbage collector synced", metadata: ["resources": "\(monitors.all.count)"])
            group.addTask { await self.loop.run { key in try await self.sync(key) } }
            group.addTask { await self.rediscoverPeriodically() }
        }
    }

    // MARK: - Discovery

    /// Watches every deletable resource discovery lists that is not watched yet.
    func discover() async throws {
        let result = try await discovery.preferredResources()
        for (groupVersion, failure) in result.failures {
            logger.warning("discovery failed for a group; its resources are not collected", metadata: ["group": "\(groupVersion)", "error": "\(failure)"])
        }
        for resource in result.resources where resource.isDeletable && !Self.ignoredResources.contains(resource.description) {
            if monitors.add(resource, handler: handler(for:)) {
                logger.debug("monitoring resource", metadata: ["resource": "\(resource)"])
            }
        }
    }

    private func discoverUntilSuccess() async throws {
        while true {
            do {
                try await discover()
                return
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("discovery failed; retrying", metadata: ["error": "\(error)"])
                try await clock.sleep(for: .seconds(1))
            }
        }
    }

    /// New resources (custom resources) are monitored once discovery lists them.
    private func rediscoverPeriodically() async {
        while true {
            do { try await clock.sleep(for: discoveryPeriod) } catch { return }
            do { try await discover() } catch {
                logger.warning("discovery failed", metadata: ["error": "\(error)"])
            }
        }
    }

    // MARK: - Events → keys

    /// `plural.group|namespace/name`: the monitor and the object.
    static func key(_ monitor: MonitoredResources.Monitor, _ object: PartialObject) -> String {
        "\(monitor.resource.description)|\(ObjectKey.of(object))"
    }

    func enqueue(_ monitor: MonitoredResources.Monitor, _ object: PartialObject) {
        loop.enqueue(Self.key(monitor, object))
    }

    private func handler(for monitor: MonitoredResources.Monitor) -> InformerEventHandler<PartialObject> {
        InformerEventHandler(
            onAdd: { [weak self] object in self?.added(object, monitor) },
            onUpdate: { [weak self] old, new in self?.updated(old: old, new: new, monitor) },
            onDelete: { [weak self] object in self?.deleted(object, monitor) })
    }

    func added(_ object: PartialObject, _ monitor: MonitoredResources.Monitor) {
        if !(object.metadata.ownerReferences ?? []).isEmpty || Self.awaitsCollector(object) {
            enqueue(monitor, object)
        }
    }

    func updated(old: PartialObject, new: PartialObject, _ monitor: MonitoredResources.Monitor) {
        let referencesChanged = old.metadata.ownerReferences != new.metadata.ownerReferences
        let deletionChanged = old.metadata.deletionTimestamp != new.metadata.deletionTimestamp
            || old.metadata.finalizers != new.metadata.finalizers
        if (referencesChanged && !(new.metadata.ownerReferences ?? []).isEmpty) || (deletionChanged && Self.awaitsCollector(new)) {
            enqueue(monitor, new)
        }
        // An owner waiting for its dependents may stop waiting when one lets go of it.
        if referencesChanged || deletionChanged {
            let uids = Set((old.metadata.ownerReferences ?? []).map(\.uid))
            enqueueWaitingOwners(uids)
        }
    }

    func deleted(_ object: PartialObject, _ monitor: MonitoredResources.Monitor) {
        if let uid = object.metadata.uid {
            for dependent in monitors.dependents(of: uid) { enqueue(dependent.monitor, dependent.object) }
        }
        enqueueWaitingOwners(Set((object.metadata.ownerReferences ?? []).map(\.uid)))
    }

    private func enqueueWaitingOwners(_ uids: Set<String>) {
        for uid in uids {
            if let owner = monitors.object(uid: uid), Self.isDeletingDependents(owner.object) {
                enqueue(owner.monitor, owner.object)
            }
        }
    }

    /// Being deleted with a finalizer the collector acts on.
    static func awaitsCollector(_ object: PartialObject) -> Bool {
        guard object.isBeingDeleted else { return false }
        let finalizers = object.metadata.finalizers ?? []
        return finalizers.contains(orphanFinalizer) || finalizers.contains(foregroundFinalizer)
    }

    static func isDeletingDependents(_ object: PartialObject) -> Bool {
        object.isBeingDeleted && (object.metadata.finalizers ?? []).contains(foregroundFinalizer)
    }

    // MARK: - Sync

    func sync(_ key: String) async throws {
        guard let separator = key.firstIndex(of: "|"),
              let monitor = monitors.monitor(named: String(key[..<separator])),
              let object = monitor.informer.store.get(String(key[key.index(after: separator)...])) else { return }
        if object.isBeingDeleted {
            let finalizers = object.metadata.finalizers ?? []
            if finalizers.contains(Self.orphanFinalizer) {
                try await orphanDependents(of: object, monitor)
            } else if finalizers.contains(Self.foregroundFinalizer) {
                try await deleteDependents(of: object, monitor)
            }
            return
        }
        guard !(object.metadata.ownerReferences ?? []).isEmpty else { return }
        try await collect(object, monitor)
    }
}
