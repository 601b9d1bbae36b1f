import KubeClient
import KubeModel

/// Which objects a controller owns (upstream's ControllerRefManager): its own that still match
/// its selector, plus matching orphans it adopts; its own that stopped matching are released.
/// Objects controlled by someone else are never touched. Adoption and release are strategic
/// merge patches guarded by the child's UID, so a recreated object of the same name is left alone.
struct ControllerRefManager<Owner: KubeObject, Child: KubeObject>: Sendable {
    let owner: Owner
    let selector: LabelSelector
    let client: ResourceClient<Child>
    /// A further test a child must pass to belong to the owner (StatefulSets: a member's name).
    var belongs: @Sendable (Child) -> Bool = { _ in true }

    init(owner: Owner, selector: LabelSelector, client: ResourceClient<Child>,
         belongs: @escaping @Sendable (Child) -> Bool = { _ in true }) {
        self.owner = owner
        self.selector = selector
        self.client = client
        self.belongs = belongs
    }

    /// The children of `candidates` the owner controls once adoption and release are done.
    func claim(_ candidates: [Child]) async throws -> [Child] {
        var owned: [Child] = []
        for child in candidates {
            let matches = selector.matches(child.metadata.labels ?? [:]) && belongs(child)
            if child.isControlled(by: owner) {
                if matches {
                    owned.append(child)
                } else if !owner.isBeingDeleted {
                    try await release(child)
                }
            } else if child.controllerReference == nil, matches, !owner.isBeingDeleted, !child.isBeingDeleted,
                      child.metadata.namespace == owner.metadata.namespace {
                if let adopted = try await adopt(child) { owned.append(adopted) }
            }
        }
        return owned
    }

    /// Makes the owner the child's controller; nil when the child is gone or was replaced.
    func adopt(_ child: Child) async throws -> Child? {
        let patch = OwnerReferencePatch.adopt(by: owner, objectUID: child.metadata.uid)
        do {
            return try await client.patch(child.metadata.name ?? "", type: .strategicMerge, body: patch)
        } catch let error as APIStatusError where error.isNotFound || error.isInvalid {
            return nil
        }
    }

    /// Removes the owner's reference from the child; a child already gone or replaced is ignored.
    func release(_ child: Child) async throws {
        let patch = OwnerReferencePatch.release(from: owner, objectUID: child.metadata.uid)
        do {
            _ = try await client.patch(child.metadata.name ?? "", type: .strategicMerge, body: patch)
        } catch let error as APIStatusError where error.isNotFound || error.isInvalid {
            return
        }
    }
}
