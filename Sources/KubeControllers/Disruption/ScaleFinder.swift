import KubeClient
import KubeModel

/// The scale of the controllers of a set of pods (upstream's disruption controller finders):
/// each pod's controller is looked up and read through its `scale` subresource; a ReplicaSet
/// controlled by a Deployment counts as the Deployment. Pods without a controller are
/// reported as unmanaged.
struct ScaleFinder: Sendable {
    let client: APIClient

    struct NoController: Error, CustomStringConvertible {
        var pod: String
        var description: String { "found no controllers for pod \"\(pod)\"" }
    }

    /// Sum of the scales of the distinct controllers, and the names of unmanaged pods.
    func expectedScale(of pods: [CoreV1.Pod], namespace: String) async throws -> (Int, [String]) {
        var scales: [String: Int] = [:]
        var unmanaged: [String] = []
        for pod in pods {
            guard let reference = pod.controllerReference else {
                unmanaged.append(pod.metadata.name ?? "")
                continue
            }
            if scales[reference.uid] != nil { continue }
            guard let (uid, replicas) = try await scale(of: reference, namespace: namespace) else {
                throw NoController(pod: pod.metadata.name ?? "")
            }
            scales[uid] = replicas
        }
        return (scales.values.reduce(0, +), unmanaged)
    }

    /// The UID and replicas of the controller a reference names (its Deployment for a
    /// Deployment's ReplicaSet); nil when it does not exist or has no scale.
    func scale(of reference: MetaV1.OwnerReference, namespace: String) async throws -> (String, Int)? {
        let (group, version) = GroupVersionKind.split(apiVersion: reference.apiVersion)
        if group == "apps", reference.kind == "ReplicaSet" {
            guard let replicaSet = try await get(AppsV1.ReplicaSet.self, reference.name, namespace: namespace),
                  replicaSet.metadata.uid == reference.uid else { return nil }
            if let owner = replicaSet.controllerReference, owner.kind == "Deployment",
               GroupVersionKind.split(apiVersion: owner.apiVersion).group == "apps" {
                return try await scale(of: owner, namespace: namespace)
            }
        }
        var resource = APIResource.of(kind: GroupVersionKind(group: group, version: version, kind: reference.kind))
        if resource == nil { resource = try await discovered(group: group, kind: reference.kind) }
        guard let resource else { return nil }
        let json: JSONValue
        do {
            json = try await client.dynamic(resource, namespace: namespace).get(reference.name, subresource: "scale")
        } catch let error as APIStatusError where error.isNotFound || error.isMethodNotSupported {
            return nil
        }
        guard json[path: ["metadata", "uid"]]?.stringValue == reference.uid else { return nil }
        return (reference.uid, Int(json[path: ["spec", "replicas"]]?.intValue ?? 0))
    }

    private func get<T: KubeObject>(_ type: T.Type, _ name: String, namespace: String) async throws -> T? {
        do { return try await client.resource(type, namespace: namespace).get(name) } catch let error as APIStatusError where error.isNotFound {
            return nil
        }
    }

    private func discovered(group: String, kind: String) async throws -> APIResource? {
        try await ResourceDiscovery(client: client).preferredResources().resource(group: group, kind: kind)?.resource
    }
}
