import KubeModel

/// A REST resource: group, version, plural name and whether it lives in namespaces. Builds the
/// request paths (`/api/v1/namespaces/default/pods/web/status`).
public struct APIResource: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    /// The plural resource name in URLs: "pods", "deployments".
    public var plural: String
    public var namespaced: Bool

    public init(group: String, version: String, plural: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.plural = plural
        self.namespaced = namespaced
    }

    public init(_ descriptor: ResourceDescriptor) {
        self.init(group: descriptor.group, version: descriptor.version, plural: descriptor.plural, namespaced: descriptor.namespaced)
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var description: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// The resource serving a generated kind, from the generated catalog.
    public static func of<Object: KubeObject>(_ type: Object.Type) -> APIResource {
        guard let resource = byKind[Object.groupVersionKind] else {
            preconditionFailure("\(Object.groupVersionKind) is not a served resource kind")
        }
        return resource
    }

    /// The served resource of a kind, nil for kinds without a REST endpoint.
    public static func of(kind: GroupVersionKind) -> APIResource? { byKind[kind] }

    private static let byKind: [GroupVersionKind: APIResource] = {
        var table: [GroupVersionKind: APIResource] = [:]
        for descriptor in generatedResourceCatalog where table[descriptor.groupVersionKind] == nil {
            table[descriptor.groupVersionKind] = APIResource(descriptor)
        }
        return table
    }()

    /// The path of the collection (name nil) or one object, optionally a subresource. A nil
    /// namespace on a namespaced resource means all namespaces (lists and watches).
    public func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace { path += "/namespaces/\(namespace)" }
        path += "/\(plural)"
        if let name {
            path += "/\(name)"
            if let subresource { path += "/\(subresource)" }
        }
        return path
    }
}
