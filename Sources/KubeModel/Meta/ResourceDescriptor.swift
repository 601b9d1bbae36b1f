/// A served resource as discovery describes it: its plural name, kind, scope, verbs and
/// subresources. The generated `generatedResourceCatalog` lists those of the served groups.
public struct ResourceDescriptor: Sendable, Hashable {
    public var group: String
    public var version: String
    public var plural: String
    public var kind: String
    public var namespaced: Bool
    public var verbs: [String]
    public var subresources: [SubresourceDescriptor]

    public init(group: String, version: String, plural: String, kind: String, namespaced: Bool,
                verbs: [String], subresources: [SubresourceDescriptor]) {
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.namespaced = namespaced
        self.verbs = verbs
        self.subresources = subresources
    }

    public var groupVersionKind: GroupVersionKind { GroupVersionKind(group: group, version: version, kind: kind) }
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
}

/// A subresource (status, scale, binding…) and the kind its requests and responses carry.
public struct SubresourceDescriptor: Sendable, Hashable {
    public var name: String
    public var group: String
    public var version: String
    public var kind: String
    public var verbs: [String]

    public init(name: String, group: String, version: String, kind: String, verbs: [String]) {
        self.name = name
        self.group = group
        self.version = version
        self.kind = kind
        self.verbs = verbs
    }
}
