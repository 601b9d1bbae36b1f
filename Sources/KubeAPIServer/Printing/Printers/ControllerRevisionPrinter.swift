import Foundation
import KubeModel

/// `kubectl get controllerrevisions`: the owning controller ("daemonset.apps/name") and the
/// revision number.
struct ControllerRevisionPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Controller", description: "Controller of the object"),
        TableColumn("Revision", description: FieldDoc.api("apps.v1.ControllerRevision", "revision")),
        .age,
    ]

    func cells(of revision: AppsV1.ControllerRevision, now: Date) -> [JSONValue] {
        [
            CellText.name(revision.metadata),
            .string(controller(revision.metadata)),
            .int(Int64(revision.revision)),
            CellText.age(revision.metadata, now: now),
        ]
    }

    /// The controller owner as lowercased "kind.group/name" ("kind/name" for the core group).
    private func controller(_ metadata: MetaV1.ObjectMeta) -> String {
        guard let owner = metadata.ownerReferences?.first(where: { $0.controller == true }) else { return "<none>" }
        // "apps/v1" → "apps"; a bare version ("v1") is the core group.
        let parts = owner.apiVersion.split(separator: "/", omittingEmptySubsequences: false)
        let group = parts.count == 2 ? String(parts[0]) : ""
        if owner.kind.isEmpty && group.isEmpty { return owner.name }
        let groupKind = group.isEmpty ? owner.kind : "\(owner.kind).\(group)"
        return groupKind.lowercased() + "/" + owner.name
    }
}
