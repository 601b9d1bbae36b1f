import KubeClient
import KubeModel

/// Changes to an object's metadata (finalizers, owner references) made as JSON merge patches
/// guarded by resourceVersion, so they work on every resource, custom ones included, and never
/// overwrite a change made in between: on a conflict the object is read again and the change
/// recomputed.
public struct MetadataUpdater: Sendable {
    let client: DynamicResourceClient
    static let attempts = 5

    public init(client: DynamicResourceClient) { self.client = client }

    /// Applies `change` to the metadata of `object` (last known state) until it sticks.
    /// `change` returns false when there is nothing to do. Returns false when the object is
    /// gone or was replaced by another with the same name.
    @discardableResult
    public func update(_ object: PartialObject, _ change: (inout MetaV1.ObjectMeta) -> Bool) async throws -> Bool {
        let name = object.metadata.name ?? ""
        let uid = object.metadata.uid
        var current = object.metadata
        for attempt in 1...Self.attempts {
            var updated = current
            guard change(&updated) else { return true }
            var patch = JSONObject()
            patch["resourceVersion"] = .string(current.resourceVersion ?? "")
            if updated.finalizers != current.finalizers {
                patch["finalizers"] = .array((updated.finalizers ?? []).map { .string($0) })
            }
            if updated.ownerReferences != current.ownerReferences {
                patch["ownerReferences"] = .array((updated.ownerReferences ?? []).map { $0.toJSON() })
            }
            do {
                _ = try await client.patch(name, type: .merge, body: ["metadata": .object(patch)])
                return true
            } catch let error as APIStatusError where error.isNotFound {
                return false
            } catch let error as APIStatusError where error.isConflict && attempt < Self.attempts {
                do {
                    current = try PartialObject(json: try await client.get(name)).metadata
                } catch let error as APIStatusError where error.isNotFound {
                    return false
                }
                if current.uid != uid { return false }
            }
        }
        return false
    }

    /// Removes `finalizer` from the object.
    @discardableResult
    public func removeFinalizer(_ finalizer: String, from object: PartialObject) async throws -> Bool {
        try await update(object) { metadata in
            guard let finalizers = metadata.finalizers, finalizers.contains(finalizer) else { return false }
            metadata.finalizers = finalizers.filter { $0 != finalizer }
            return true
        }
    }
}
