import KubeClient
import KubeModel
import Logging

/// Publishes the cluster CA as the `kube-root-ca.crt` ConfigMap in every namespace, so pods
/// can verify the API server (upstream's root-ca-cert-publisher); edits and deletions are
/// undone. Runs only when the CA is known (`ControllerSettings.rootCAPEM`).
public final class RootCAPublisher: Controller {
    public let name = "root-ca-cert-publisher"
    static let configMapName = "kube-root-ca.crt"
    static let descriptionAnnotation = "kubernetes.io/description"
    static let description = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints "
        + "such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."

    let loop: ReconcileLoop
    let namespaces: Informer<CoreV1.Namespace>
    let configMaps: Informer<CoreV1.ConfigMap>
    let client: APIClient
    let rootCA: String

    public init(context: ControllerContext, rootCA: String) {
        loop = ReconcileLoop(name: name, context: context)
        namespaces = context.informers.informer(CoreV1.Namespace.self)
        configMaps = context.informers.informer(CoreV1.ConfigMap.self)
        client = context.client
        self.rootCA = rootCA
        let loop = self.loop
        namespaces.addEventHandler(InformerEventHandler(
            onAdd: { loop.enqueue($0) },
            onUpdate: { _, new in if new.status.phase == "Active" { loop.enqueue(new) } }))
        let published: @Sendable (CoreV1.ConfigMap) -> Void = { configMap in
            guard configMap.metadata.name == Self.configMapName, let namespace = configMap.metadata.namespace else { return }
            loop.enqueue(namespace)
        }
        configMaps.addEventHandler(InformerEventHandler(onUpdate: { _, new in published(new) }, onDelete: published))
    }

    public func run() async throws {
        await loop.run { [self] key in try await sync(key) }
    }

    var data: [String: String] { ["ca.crt": rootCA] }

    func sync(_ namespace: String) async throws {
        let resource = client.resource(CoreV1.ConfigMap.self, namespace: namespace)
        guard let existing = configMaps.store.get(namespace: namespace, name: Self.configMapName) else {
            guard let current = namespaces.store.get(namespace), !current.isBeingDeleted else { return }
            var configMap = CoreV1.ConfigMap()
            configMap.metadata.name = Self.configMapName
            configMap.metadata.namespace = namespace
            configMap.metadata.annotations = [Self.descriptionAnnotation: Self.description]
            configMap.data = data
            do {
                _ = try await resource.create(configMap)
            } catch let error as APIStatusError where error.isNotFound || error.isForbidden || error.isAlreadyExists {
                // The namespace is gone or terminating, or the cache has not seen the map yet.
            }
            return
        }
        if existing.data == data, !(existing.metadata.annotations?[Self.descriptionAnnotation] ?? "").isEmpty { return }
        var configMap = existing
        configMap.data = data
        configMap.metadata.annotations = (configMap.metadata.annotations ?? [:]).merging([Self.descriptionAnnotation: Self.description]) { $1 }
        do {
            _ = try await resource.update(configMap)
        } catch let error as APIStatusError where error.isNotFound {
            loop.enqueue(namespace)
        }
    }
}
