import KubeModel
import Logging
import NIOHTTP1

/// What exists in every cluster, created at start through the ordinary create path (so
/// defaults and admission apply): the system namespaces, the `kubernetes` Service and the
/// system PriorityClasses.
struct Bootstrap {
    let context: ServerContext
    let registry: ResourceRegistry
    let logger: Logger

    static let namespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]
    static let systemUser = UserInfo(name: "system:apiserver", groups: ["system:masters"])

    func run() async throws {
        for name in Self.namespaces {
            try await ensure(group: "", plural: "namespaces", namespace: nil,
                             object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
        }
        try await ensure(group: "", plural: "services", namespace: "default", object: [
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": "kubernetes", "labels": ["component": "apiserver", "provider": "kubernetes"]],
            "spec": ["clusterIP": .string(ServiceNetwork.kubernetesServiceIP), "type": "ClusterIP", "sessionAffinity": "None",
                     "ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443]]],
        ])
        for (name, description) in Self.systemPriorityClasses {
            try await ensure(group: "scheduling.k8s.io", plural: "priorityclasses", namespace: nil, object: [
                "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": .string(name)],
                "value": .int(Int64(PriorityClassStrategy.systemClasses[name]!)), "description": .string(description),
            ])
        }
    }

    static let systemPriorityClasses = [
        ("system-node-critical", "Used for system critical pods that must not be moved from their current node."),
        ("system-cluster-critical", "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
    ]

    /// Creates the object unless it exists.
    func ensure(group: String, plural: String, namespace: String?, object: JSONValue) async throws {
        guard let resource = registry.resource(group: group, version: "v1", plural: plural) else { return }
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let keys = StorageKeys(group: group, plural: plural, namespaced: namespace != nil)
        if try await context.store.get(keys.key(namespace: namespace, name: name)) != nil { return }
        var path = group.isEmpty ? "/api/v1" : "/apis/\(group)/v1"
        if let namespace { path += "/namespaces/\(namespace)" }
        path += "/\(plural)"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        let request = APIRequest(method: .POST, uri: path, headers: headers, body: JSONWriter.bytes(object), user: Self.systemUser)
        let scope = RequestScope(
            http: request,
            resource: ResourceRequest(group: group, version: "v1", namespace: namespace, resource: plural, name: nil, subresource: nil, verb: .create),
            user: Self.systemUser)
        do {
            _ = try await resource.handler.handle(scope, resource: resource)
            logger.info("created", metadata: ["resource": "\(plural)", "name": "\(name)"])
        } catch let error as APIError where error.code == 409 {
            return
        }
    }
}
