import KubeModel
import KubeStore

/// Upstream's ServiceAccount admission, in part: a pod without `serviceAccountName` runs as
/// `default`, and takes its account's imagePullSecrets when it names none; mirror pods (the
/// kubelet's copies of static pods) are left alone but may reference neither service accounts
/// nor secrets. The account need not exist yet (the controller that creates `default` comes
/// later) and no token volume is mounted.
public struct ServiceAccountAdmission: AdmissionPlugin {
    static let defaultName = "default"
    static let mirrorPodAnnotation = "kubernetes.io/config.mirror"
    static let accountKeys = StorageKeys(group: "", plural: "serviceaccounts", namespaced: true)
    static let pods = QualifiedResource(group: "", resource: "pods")

    let store: any Store

    public init(store: any Store) { self.store = store }

    public func mutates(_ resource: ResourceDescriptor) -> Bool { resource.plural == "pods" && resource.group.isEmpty }

    public func mutate(_ attributes: inout AdmissionAttributes) async throws {
        guard attributes.isMain("pods"), attributes.operation == .create, var pod = attributes.object,
            !Self.isMirrorPod(pod)
        else { return }
        var spec = pod["spec"]?.objectValue ?? [:]
        var account = spec["serviceAccountName"]?.stringValue ?? ""
        if account.isEmpty {
            account = Self.defaultName
            spec["serviceAccountName"] = .string(account)
            // v1 keeps the deprecated field in step.
            spec["serviceAccount"] = .string(account)
        }
        if (spec["imagePullSecrets"]?.arrayValue ?? []).isEmpty, let namespace = attributes.namespace,
            let kv = try await store.get(Self.accountKeys.key(namespace: namespace, name: account)),
            let secrets = (try? JSONParser.parse(kv.value))?["imagePullSecrets"]?.arrayValue, !secrets.isEmpty
        {
            spec["imagePullSecrets"] = .array(secrets.map { ["name": $0["name"] ?? ""] })
        }
        pod["spec"] = .object(spec)
        attributes.object = pod
    }

    public func admit(_ attributes: inout AdmissionAttributes) async throws {
        guard attributes.isMain("pods"), attributes.operation == .create, let pod = attributes.object else { return }
        let account = pod[path: ["spec", "serviceAccountName"]]?.stringValue ?? ""
        if Self.isMirrorPod(pod) {
            if !account.isEmpty { throw forbidden(attributes, "a mirror pod may not reference service accounts") }
            if Self.referencesSecrets(pod) { throw forbidden(attributes, "a mirror pod may not reference secrets") }
            if Self.usesClusterTrustBundles(pod) {
                throw forbidden(attributes, "a mirror pod may not use ClusterTrustBundle projected volumes")
            }
        } else if account.isEmpty {
            throw forbidden(attributes, "no service account specified for pod \(attributes.namespace ?? "")/\(attributes.name)")
        }
    }

    func forbidden(_ attributes: AdmissionAttributes, _ message: String) -> APIError {
        APIError.forbidden(Self.pods, name: attributes.name, message: message)
    }

    static func isMirrorPod(_ pod: JSONValue) -> Bool {
        pod[path: ["metadata", "annotations", mirrorPodAnnotation]] != nil
    }

    /// Whether any part of the pod names a Secret (upstream's VisitPodSecretNames): pull
    /// secrets, env and envFrom of every container, and volume sources.
    static func referencesSecrets(_ pod: JSONValue) -> Bool {
        guard case .object(let spec)? = pod["spec"] else { return false }
        if !(spec["imagePullSecrets"]?.arrayValue ?? []).isEmpty { return true }
        for list in ["containers", "initContainers", "ephemeralContainers"] {
            for container in spec[list]?.arrayValue ?? [] {
                if (container["envFrom"]?.arrayValue ?? []).contains(where: { $0["secretRef"] != nil }) { return true }
                if (container["env"]?.arrayValue ?? []).contains(where: { $0[path: ["valueFrom", "secretKeyRef"]] != nil }) {
                    return true
                }
            }
        }
        for volume in spec["volumes"]?.arrayValue ?? [] {
            guard case .object(let sources) = volume else { continue }
            for (kind, source) in sources where kind != "name" {
                if kind == "secret" || source["secretRef"] != nil || source["secretName"] != nil
                    || source["nodePublishSecretRef"] != nil
                {
                    return true
                }
                if kind == "projected", (source["sources"]?.arrayValue ?? []).contains(where: { $0["secret"] != nil }) {
                    return true
                }
            }
        }
        return false
    }

    static func usesClusterTrustBundles(_ pod: JSONValue) -> Bool {
        (pod[path: ["spec", "volumes"]]?.arrayValue ?? []).contains { volume in
            (volume[path: ["projected", "sources"]]?.arrayValue ?? []).contains { $0["clusterTrustBundle"] != nil }
        }
    }
}
