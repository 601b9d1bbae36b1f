import Foundation
import KubeModel

/// Keeps metadata.managedFields as upstream's field manager does: ordinary writes record an
/// "Update" entry for their manager; server-side apply merges under "Apply" ownership.
struct FieldManagement {
    let kind: GroupVersionKind
    let schema: JSONValue
    let statusSubresource: Bool

    init(kind: GroupVersionKind, statusSubresource: Bool) {
        self.kind = kind
        self.statusSubresource = statusSubresource
        schema = SchemaCatalog.definitionNameByKind[kind].flatMap { SchemaCatalog.definitions[$0] } ?? [:]
    }

    /// Upstream's default manager when the request names none: the User-Agent up to its first "/".
    static func manager(for scope: RequestScope) -> String {
        if let manager = scope.fieldManager, !manager.isEmpty { return manager }
        let agent = scope.http.headers.first(name: "user-agent") ?? "unknown"
        return String(agent.prefix { $0 != "/" }.prefix(128))
    }

    /// Fields a write through `target` resets, which nobody owns through it.
    func ignoredFields(_ target: UpdateTarget) -> FieldSet {
        switch target {
        case .main: return statusSubresource ? FieldSet([FieldSetPath(fields: "status")]) : FieldSet()
        case .status: return FieldSet([FieldSetPath(fields: "spec"), FieldSetPath(fields: "metadata")])
        case .finalize, .binding: return FieldSet()
        }
    }

    static func subresource(_ target: UpdateTarget) -> String {
        switch target {
        case .main: return ""
        case .status: return "status"
        case .finalize: return "finalize"
        case .binding: return "binding"
        }
    }

    /// An ordinary create, update or patch; apply requests record their own ownership.
    func recordUpdate(old: JSONValue?, new: inout JSONValue, scope: RequestScope, target: UpdateTarget, now: Date) {
        guard scope.http.contentType != "application/apply-patch+yaml" else { return }
        new = ManagedFields.applyUpdate(
            live: old, new: new, manager: Self.manager(for: scope), apiVersion: kind.apiVersion,
            time: Time(now).description, schema: schema, ignoredFields: ignoredFields(target),
            subresource: Self.subresource(target))
    }

    /// Server-side apply of `config` onto the live object (nil when it does not exist yet).
    func apply(config: JSONValue, to live: JSONValue?, manager: String, force: Bool, target: UpdateTarget, now: Date) throws -> JSONValue {
        do {
            return try ManagedFields.apply(
                live: live, config: config, manager: manager, force: force, apiVersion: kind.apiVersion,
                time: Time(now).description, schema: schema, ignoredFields: ignoredFields(target),
                subresource: Self.subresource(target))
        } catch let conflict as ApplyConflict {
            throw APIError(status: conflict.status)
        } catch let error as ManagedFieldsError {
            throw APIError(status: error.status)
        }
    }
}
