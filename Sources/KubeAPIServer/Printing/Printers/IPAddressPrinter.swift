import Foundation
import KubeModel

/// `kubectl get ipaddresses`: the object that holds each allocated address.
struct IPAddressPrinter: TypedTablePrinter {
    // Upstream also appends an age cell without declaring its column; kubectl drops such
    // extra cells, so the row stops at the declared columns.
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("ParentRef", description: FieldDoc.api("networking.v1.IPAddressSpec", "parentRef")),
    ]

    func cells(of address: NetworkingV1.IPAddress, now: Date) -> [JSONValue] {
        [CellText.name(address.metadata), .string(parent(address.spec.parentRef))]
    }

    /// "resource.group[/namespace]/name", lowercased like a GroupResource.
    private func parent(_ reference: NetworkingV1.ParentReference) -> String {
        var resource = reference.resource
        if let group = reference.group, !group.isEmpty { resource += "." + group }
        var text = resource.lowercased()
        if let namespace = reference.namespace, !namespace.isEmpty { text += "/" + namespace }
        return text + "/" + reference.name
    }
}
