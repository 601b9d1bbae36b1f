import KubeClient
import KubeModel

/// How the collector sees one owner of an object (upstream's classifyReferences).
enum OwnerState: Equatable {
    /// Exists and is not waiting for its dependents: the object stays.
    case solid
    /// Gone, or replaced by another object with the same name.
    case dangling
    /// Being deleted in the foreground: its dependents go first.
    case waitingForDependents
}

/// A cluster-scoped object names a namespaced owner, which cannot be resolved; retrying will
/// not help, so the object is left alone.
struct NamespacedOwnerOfClusterScopedObject: Error {}

/// The owner kind is not served (yet): retried with back-off until discovery knows it.
struct UnresolvableOwner: Error, CustomStringConvertible {
    var reference: MetaV1.OwnerReference
    var description: String { "cannot resolve owner kind \(reference.kind) in \(reference.apiVersion)" }
}

extension GarbageCollector {
    /// What to do with an object that has owners (upstream's attemptToDeleteItem).
    func collect(_ object: PartialObject, _ monitor: MonitoredResources.Monitor) async throws {
        let references = object.metadata.ownerReferences ?? []
        var states: [(reference: MetaV1.OwnerReference, state: OwnerState)] = []
        do {
            for reference in references {
                states.append((reference, try await state(of: reference, dependent: object)))
            }
        } catch is NamespacedOwnerOfClusterScopedObject {
            events.record(regarding: objectReference(object, monitor), type: .warning, reason: "OwnerRefInvalidNamespace",
                          message: "ownerRef \(references.map { "[\($0.apiVersion)/\($0.kind), name: \($0.name), uid: \($0.uid)]" }.joined()) "
                            + "does not exist in namespace \"\(object.metadata.namespace ?? "")\"")
            return
        }
        let solid = states.filter { $0.state == .solid }
        let dangling = states.filter { $0.state == .dangling }.map(\.reference.uid)
        let waiting = states.filter { $0.state == .waitingForDependents }.map(\.reference.uid)
        let updater = MetadataUpdater(client: dynamicClient(monitor, object))

        if !solid.isEmpty {
            // A live owner keeps the object; references to absent owners and to owners that
            // wait for their dependents are dropped so neither blocks anything.
            let dropped = Set(dangling + waiting)
            guard !dropped.isEmpty else { return }
            logger.debug("removing dangling owner references", metadata: ["object": "\(Self.key(monitor, object))"])
            try await updater.update(object) { metadata in
                let references = metadata.ownerReferences ?? []
                let kept = references.filter { !dropped.contains($0.uid) }
                guard kept.count != references.count else { return false }
                metadata.ownerReferences = kept
                return true
            }
            return
        }

        let hasDependents = !monitors.dependents(of: object.metadata.uid ?? "").isEmpty
        let policy: String
        if !waiting.isEmpty, hasDependents {
            // The object's own dependents go first: delete it in the foreground too. When one of
            // them is itself waiting for dependents, unblock our owners to avoid a cycle.
            if monitors.dependents(of: object.metadata.uid ?? "").contains(where: { Self.isDeletingDependents($0.object) }) {
                try await updater.update(object) { metadata in
                    let references = metadata.ownerReferences ?? []
                    let unblocked = references.map { reference in
                        var reference = reference
                        if reference.blockOwnerDeletion == true { reference.blockOwnerDeletion = false }
                        return reference
                    }
                    guard unblocked != references else { return false }
                    metadata.ownerReferences = unblocked
                    return true
                }
            }
            policy = PropagationPolicy.foreground
        } else {
            // No owner left: honour a propagation already chosen for the object, else background.
            let finalizers = object.metadata.finalizers ?? []
            if finalizers.contains(Self.orphanFinalizer) {
                policy = PropagationPolicy.orphan
            } else if finalizers.contains(Self.foregroundFinalizer) {
                policy = PropagationPolicy.foreground
            } else {
                policy = PropagationPolicy.background
            }
        }
        logger.debug("deleting object whose owners are gone",
                     metadata: ["object": "\(Self.key(monitor, object))", "propagation": "\(policy)"])
        do {
            try await dynamicClient(monitor, object).delete(
                object.metadata.name ?? "", options: .with(propagationPolicy: policy, preconditionUID: object.metadata.uid))
        } catch let error as APIStatusError where error.isNotFound || error.isConflict {
            // Gone already, or replaced by a new object of the same name.
        }
    }

    /// The state of one owner: from the cache when it holds the owner, else from the server
    /// (the cache may not have seen a new owner yet).
    func state(of reference: MetaV1.OwnerReference, dependent: PartialObject) async throws -> OwnerState {
        let group = GroupVersionKind.split(apiVersion: reference.apiVersion).group
        guard let owner = monitors.monitor(group: group, kind: reference.kind) else { throw UnresolvableOwner(reference: reference) }
        let dependentNamespace = dependent.metadata.namespace ?? ""
        if dependentNamespace.isEmpty, owner.resource.namespaced { throw NamespacedOwnerOfClusterScopedObject() }
        let namespace = owner.resource.namespaced ? dependentNamespace : nil
        if let cached = owner.informer.store.get(namespace: namespace, name: reference.name), cached.metadata.uid == reference.uid {
            return Self.isDeletingDependents(cached) ? .waitingForDependents : .solid
        }
        let live: PartialObject
        do {
            live = try PartialObject(json: try await client.dynamic(owner.resource.resource, namespace: namespace).get(reference.name))
        } catch let error as APIStatusError where error.isNotFound {
            return .dangling
        }
        guard live.metadata.uid == reference.uid else { return .dangling }
        return Self.isDeletingDependents(live) ? .waitingForDependents : .solid
    }

    func dynamicClient(_ monitor: MonitoredResources.Monitor, _ object: PartialObject) -> DynamicResourceClient {
        client.dynamic(monitor.resource.resource, namespace: monitor.resource.namespaced ? object.metadata.namespace : nil)
    }

    func objectReference(_ object: PartialObject, _ monitor: MonitoredResources.Monitor) -> CoreV1.ObjectReference {
        CoreV1.ObjectReference(apiVersion: monitor.resource.resource.apiVersion, kind: monitor.resource.kind,
                               name: object.metadata.name, namespace: object.metadata.namespace, uid: object.metadata.uid)
    }

    // MARK: - Owners being deleted

    /// Foreground deletion: dependents are deleted; the owner's finalizer goes once no
    /// dependent that blocks owner deletion remains (upstream's processDeletingDependentsItem).
    func deleteDependents(of owner: PartialObject, _ monitor: MonitoredResources.Monitor) async throws {
        let uid = owner.metadata.uid ?? ""
        let dependents = monitors.dependents(of: uid)
        let blocking = dependents.filter { dependent in
            (dependent.object.metadata.ownerReferences ?? []).contains { $0.uid == uid && $0.blockOwnerDeletion == true }
        }
        if blocking.isEmpty {
            logger.debug("dependents gone; removing the foreground finalizer", metadata: ["object": "\(Self.key(monitor, owner))"])
            try await MetadataUpdater(client: dynamicClient(monitor, owner)).removeFinalizer(Self.foregroundFinalizer, from: owner)
            return
        }
        for dependent in dependents where !dependent.object.isBeingDeleted {
            enqueue(dependent.monitor, dependent.object)
        }
    }

    /// Orphan propagation: the owner's references are removed from its dependents, then the
    /// `orphan` finalizer from the owner (upstream's attemptToOrphan).
    func orphanDependents(of owner: PartialObject, _ monitor: MonitoredResources.Monitor) async throws {
        let uid = owner.metadata.uid ?? ""
        for dependent in monitors.dependents(of: uid) {
            try await MetadataUpdater(client: dynamicClient(dependent.monitor, dependent.object)).update(dependent.object) { metadata in
                let references = metadata.ownerReferences ?? []
                let kept = references.filter { $0.uid != uid }
                guard kept.count != references.count else { return false }
                metadata.ownerReferences = kept
                return true
            }
        }
        try await MetadataUpdater(client: dynamicClient(monitor, owner)).removeFinalizer(Self.orphanFinalizer, from: owner)
    }
}
