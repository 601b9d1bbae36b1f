import KubeClient
import KubeModel

/// Which owners must look again when one of their children (pods, revisions) changes, as the
/// pod event handlers of upstream's workload controllers decide: the owner named by the child's
/// controller reference (same UID), or, for an orphan, every owner whose selector matches it and
/// so may adopt it.
struct OwnerResolver<Owner: KubeObject>: Sendable {
    let owners: Informer<Owner>
    let selector: @Sendable (Owner) -> LabelSelector

    /// The key of the owner of this kind that controls `child`, if it is in the cache.
    func ownerKey(of child: some KubeObject) -> String? {
        guard let reference = child.controllerReference, reference.kind == Owner.groupVersionKind.kind,
              let owner = owners.store.get(namespace: child.metadata.namespace, name: reference.name),
              owner.metadata.uid == reference.uid else { return nil }
        return ObjectKey.of(owner)
    }

    /// Owners in the child's namespace whose selector matches it: they may adopt an orphan.
    func adopters(of child: some KubeObject) -> [String] {
        guard let namespace = child.metadata.namespace else { return [] }
        let labels = child.metadata.labels ?? [:]
        return owners.store.list(namespace: namespace).filter { selector($0).matches(labels) }.map { ObjectKey.of($0) }
    }

    /// Owners to sync after a child appeared: its owner, or for an orphan the ones that may adopt it.
    func keysForAdd(_ child: some KubeObject) -> [String] {
        if let key = ownerKey(of: child) { return [key] }
        return child.controllerReference == nil ? adopters(of: child) : []
    }

    /// Owners to sync after a child changed: its owner now and before, and the possible
    /// adopters of an orphan whose labels or ownership changed.
    func keysForUpdate<Child: KubeObject>(old: Child, new: Child) -> Set<String> {
        var keys = Set<String>()
        if let key = ownerKey(of: new) { keys.insert(key) }
        if old.controllerReference?.uid != new.controllerReference?.uid, let key = ownerKey(of: old) { keys.insert(key) }
        if new.controllerReference == nil, old.metadata.labels != new.metadata.labels || old.controllerReference != nil {
            keys.formUnion(adopters(of: new))
        }
        return keys
    }

    /// Event handlers that enqueue the owners a child change concerns and, when given
    /// expectations, record the creations and deletions the owner's controller waits to see.
    func handler<Child: KubeObject>(tracking expectations: Expectations? = nil,
                                    enqueue: @escaping @Sendable (String) -> Void) -> InformerEventHandler<Child> {
        let gone: @Sendable (Child) -> Void = { child in
            guard let key = ownerKey(of: child) else { return }
            expectations?.deletionObserved(key, objectKey: ObjectKey.of(child))
            enqueue(key)
        }
        return InformerEventHandler(
            onAdd: { child in
                // A child that shows up already being deleted (after a relist) counts as gone.
                if child.isBeingDeleted { return gone(child) }
                if let key = ownerKey(of: child) { expectations?.creationObserved(key) }
                keysForAdd(child).forEach(enqueue)
            },
            onUpdate: { old, new in
                if new.isBeingDeleted, !old.isBeingDeleted, let key = ownerKey(of: new) {
                    expectations?.deletionObserved(key, objectKey: ObjectKey.of(new))
                }
                keysForUpdate(old: old, new: new).forEach(enqueue)
            },
            onDelete: gone)
    }
}
