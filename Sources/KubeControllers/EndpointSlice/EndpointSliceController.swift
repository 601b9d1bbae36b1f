import Foundation
import KubeClient
import KubeModel
import Logging

/// Keeps the EndpointSlices of every Service with a selector (upstream's endpointslice
/// controller): one endpoint per selected pod with an address of the slice's type, with the
/// ready/serving/terminating conditions, node, zone, hostname and pod reference; slices labelled
/// with the service name and this controller, owned by the service, grouped by resolved ports.
public final class EndpointSliceController: Controller {
    public let name = "endpointslice"
    static let zoneLabel = "topology.kubernetes.io/zone"

    let loop: ReconcileLoop
    let services: Informer<CoreV1.Service>
    let pods: Informer<CoreV1.Pod>
    let slices: Informer<DiscoveryV1.EndpointSlice>
    let nodes: Informer<CoreV1.Node>
    let client: APIClient
    let tracker = EndpointSliceTracker()
    let maxEndpointsPerSlice: Int
    let logger: Logger

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context)
        services = context.informers.informer(CoreV1.Service.self)
        pods = context.informers.informer(CoreV1.Pod.self)
        slices = context.informers.informer(DiscoveryV1.EndpointSlice.self)
        nodes = context.informers.informer(CoreV1.Node.self)
        client = context.client
        maxEndpointsPerSlice = context.settings.maxEndpointsPerSlice
        logger = context.logger(for: name)
        let loop = self.loop
        services.addEventHandler(InformerEventHandler(onChange: { loop.enqueue($0) }))
        slices.addEventHandler(InformerEventHandler(onChange: { slice in
            guard let service = Self.serviceKey(of: slice) else { return }
            loop.enqueue(service)
        }))
        pods.addEventHandler(ServicePodEvents.handler(services: services, enqueue: { loop.enqueue($0) }))
    }

    public func run() async throws {
        await loop.run { [self] key in try await sync(key) }
    }

    /// The key of the service a managed slice belongs to.
    static func serviceKey(of slice: DiscoveryV1.EndpointSlice) -> String? {
        guard let labels = slice.metadata.labels, labels[EndpointSliceReconciler.managedByLabel] == EndpointSliceReconciler.controllerName,
              let service = labels[EndpointSliceReconciler.serviceNameLabel], !service.isEmpty else { return nil }
        return ObjectKey.make(namespace: slice.metadata.namespace, name: service)
    }

    struct StaleCache: Error, CustomStringConvertible {
        var service: String
        var description: String { "EndpointSlice informer cache is out of date for \(service)" }
    }

    // MARK: - Sync

    func sync(_ key: String) async throws {
        guard let service = services.store.get(key) else {
            // Owner references let the garbage collector remove the slices.
            tracker.forget(service: key)
            return
        }
        // ExternalName services get no endpoints; services without a selector get theirs
        // from whoever manages them.
        guard service.spec.type != "ExternalName", service.podSelector != nil else { return }
        let namespace = service.metadata.namespace ?? ""
        let existing = slices.store.list(namespace: namespace).filter { Self.serviceKey(of: $0) == key }
        if tracker.isStale(service: key, cached: existing) { throw StaleCache(service: key) }

        let reconciler = EndpointSliceReconciler(service: service, maxEndpointsPerSlice: maxEndpointsPerSlice)
        let plan = reconciler.plan(desired: desiredGroups(for: service), existing: existing)
        guard !plan.isEmpty else { return }
        let resource = client.resource(DiscoveryV1.EndpointSlice.self, namespace: namespace)
        do {
            for slice in plan.create { tracker.wrote(try await resource.create(slice), service: key) }
            for slice in plan.update { tracker.wrote(try await resource.update(slice), service: key) }
            for slice in plan.delete {
                guard let name = slice.metadata.name else { continue }
                do { try await resource.delete(name) } catch let error as APIStatusError where error.isNotFound {}
                tracker.deleted(name, service: key)
            }
        } catch let error as APIStatusError where error.isForbidden && service.metadata.deletionTimestamp == nil {
            // A terminating namespace takes no new slices; anything else is retried.
            if try await namespaceIsTerminating(namespace) { return }
            throw error
        }
    }

    func namespaceIsTerminating(_ namespace: String) async throws -> Bool {
        let current = try await client.resource(CoreV1.Namespace.self).get(namespace)
        return current.isBeingDeleted
    }

    /// The wanted endpoints: address type → port mapping → ports and endpoints.
    func desiredGroups(for service: CoreV1.Service) -> [String: [String: EndpointSliceReconciler.Group]] {
        let addressTypes = (service.spec.ipFamilies ?? ["IPv4"]).map { $0 == "IPv6" ? "IPv6" : "IPv4" }
        var desired: [String: [String: EndpointSliceReconciler.Group]] = [:]
        for addressType in addressTypes { desired[addressType] = [:] }
        let selected = pods.store.list(namespace: service.metadata.namespace ?? "")
            .filter { service.selects($0) && $0.belongsInEndpoints(includeTerminating: true) }
            .sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
        for pod in selected {
            let ports = endpointPorts(of: pod, for: service)
            let key = EndpointSliceReconciler.portsKey(ports)
            for addressType in addressTypes {
                let addresses = pod.addresses.filter { $0.contains(":") == (addressType == "IPv6") }
                guard let address = addresses.first else { continue }
                let endpoint = endpoint(for: pod, address: address, service: service)
                desired[addressType, default: [:]][key, default: EndpointSliceReconciler.Group(ports: ports, endpoints: [])]
                    .endpoints.append(endpoint)
            }
        }
        return desired
    }

    /// The service ports this pod serves, resolved; ports it cannot serve are left out.
    func endpointPorts(of pod: CoreV1.Pod, for service: CoreV1.Service) -> [DiscoveryV1.EndpointPort] {
        (service.spec.ports ?? []).compactMap { servicePort in
            guard let number = pod.port(for: servicePort) else { return nil }
            return DiscoveryV1.EndpointPort(appProtocol: servicePort.appProtocol, name: servicePort.name ?? "",
                                            port: number, protocol: servicePort.protocol ?? "TCP")
        }
    }

    /// Upstream's podToEndpoint: ready only when serving and not terminating, unless the
    /// service publishes not-ready addresses.
    func endpoint(for pod: CoreV1.Pod, address: String, service: CoreV1.Service) -> DiscoveryV1.Endpoint {
        let serving = pod.isReady
        let terminating = pod.isTerminating
        let ready = (service.spec.publishNotReadyAddresses ?? false) || (serving && !terminating)
        let nodeName = pod.spec.nodeName.flatMap { $0.isEmpty ? nil : $0 }
        let zone = nodeName.flatMap { nodes.store.get($0)?.metadata.labels?[Self.zoneLabel] }
        return DiscoveryV1.Endpoint(
            addresses: [address],
            conditions: DiscoveryV1.EndpointConditions(ready: ready, serving: serving, terminating: terminating),
            hostname: pod.endpointHostname(for: service), nodeName: nodeName, targetRef: pod.endpointTargetRef,
            zone: zone.flatMap { $0.isEmpty ? nil : $0 })
    }
}
