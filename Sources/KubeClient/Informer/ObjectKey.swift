import KubeModel

/// Cache keys as client-go's MetaNamespaceKeyFunc builds them: "namespace/name", or "name" for
/// cluster-scoped objects.
public enum ObjectKey {
    public static func of(_ object: some KubeObject) -> String {
        make(namespace: object.metadata.namespace, name: object.metadata.name ?? "")
    }

    public static func make(namespace: String?, name: String) -> String {
        guard let namespace, !namespace.isEmpty else { return name }
        return "\(namespace)/\(name)"
    }

    /// The namespace (nil for cluster-scoped keys) and name of a key.
    public static func split(_ key: String) -> (namespace: String?, name: String) {
        guard let slash = key.firstIndex(of: "/") else { return (nil, key) }
        return (String(key[..<slash]), String(key[key.index(after: slash)...]))
    }
}
