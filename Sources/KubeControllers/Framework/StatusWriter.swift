import KubeClient
import KubeModel

extension ResourceClient {
    /// Writes a controller's view of `object`'s status through the status subresource: `apply`
    /// sets it on the cached copy; after a conflict once more on a fresh read of the same object
    /// (a newer generation does not make the counts wrong, only the observedGeneration older).
    /// An object already gone, or replaced by another of the same name, is left alone.
    func writeStatus(of object: Object, _ apply: (inout Object) -> Void) async throws {
        var updated = object
        apply(&updated)
        do {
            _ = try await updateStatus(updated)
        } catch let error as APIStatusError where error.isConflict {
            var fresh = try await get(object.metadata.name ?? "")
            guard fresh.metadata.uid == object.metadata.uid else { return }
            apply(&fresh)
            _ = try await updateStatus(fresh)
        } catch let error as APIStatusError where error.isNotFound {
            return
        }
    }
}
