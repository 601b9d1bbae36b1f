import Foundation
import KubeModel

/// Keeps metadata.managedFields as upstream's field manager does: ordinary writes record an
/// "Update" entry for their manager; server-side apply merges under "Apply" ownership.
enum FieldOwnership {
    static func recordUpdate(old: JSONValue?, new: inout JSONValue, scope: RequestScope, apiVersion: String, now: Date) {
    }

    static func apply(config: JSONValue, to live: JSONValue?, manager: String, force: Bool, kind: GroupVersionKind,
                      now: Date, statusSubresource: Bool, target: UpdateTarget) throws -> JSONValue {
        throw APIError.unsupportedMediaType("application/apply-patch+yaml", accepted: RequestBody.patchMediaTypes)
    }
}
