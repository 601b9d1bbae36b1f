import KubeModel
import KubeStore

/// Upstream's NamespaceLifecycle admission: nothing is created in a namespace that does not
/// exist or is terminating, and the system namespaces cannot be deleted.
public struct NamespaceLifecycle: AdmissionPlugin {
    let store: any Store
    static let immortal: Set<String> = ["default", "kube-system", "kube-public"]
    static let namespaceKeys = StorageKeys(group: "", plural: "namespaces", namespaced: false)
    static let terminatingMarker = Array("\"Terminating\"".utf8)

    public init(store: any Store) { self.store = store }

    public func admit(_ attributes: inout AdmissionAttributes) async throws {
        let resource = attributes.resource
        if resource.plural == "namespaces", resource.group.isEmpty {
            if attributes.operation == .delete, Self.immortal.contains(attributes.name) {
                throw APIError.forbidden(QualifiedResource(group: "", resource: "namespaces"), name: attributes.name,
                                         message: "this namespace may not be deleted")
            }
            return
        }
        guard attributes.operation == .create, resource.namespaced, let namespace = attributes.namespace else { return }
        guard let kv = try await store.get(Self.namespaceKeys.key(namespace: nil, name: namespace)) else {
            throw APIError(code: 404, reason: "NotFound", message: "namespaces \"\(namespace)\" not found",
                           details: MetaV1.StatusDetails(kind: "namespaces", name: namespace))
        }
        // Parse only when the word occurs at all: this check runs on every namespaced create.
        let mayTerminate = StoredObject.firstIndex(of: Self.terminatingMarker, in: kv.value) != nil
        let phase = mayTerminate ? (try? JSONParser.parse(kv.value))?[path: ["status", "phase"]]?.stringValue : nil
        if phase == "Terminating" {
            throw APIError.forbidden(QualifiedResource(group: resource.group, resource: resource.plural), name: attributes.name,
                                     message: "unable to create new content in namespace \(namespace) because it is being terminated")
        }
    }
}
