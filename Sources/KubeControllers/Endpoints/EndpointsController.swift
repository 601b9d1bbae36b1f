import Foundation
import KubeClient
import KubeModel
import Logging

/// Keeps one Endpoints object per Service with a selector (upstream's endpoint controller):
/// the addresses of the selected pods that have an IP, ready ones in `addresses` and the others
/// in `notReadyAddresses` (all ready with `publishNotReadyAddresses`), each service port
/// resolved against the pod's container ports. Endpoints of deleted services are deleted.
public final class EndpointsController: Controller {
    public let name = "endpoint"
    static let managedByLabel = "endpoints.kubernetes.io/managed-by"
    static let controllerName = "endpoint-controller"
    static let headlessLabel = "service.kubernetes.io/headless"
    static let overCapacityAnnotation = "endpoints.kubernetes.io/over-capacity"
    /// Addresses beyond this are left out (upstream's maxCapacity).
    static let maxCapacity = 1000

    let loop: ReconcileLoop
    let services: Informer<CoreV1.Service>
    let pods: Informer<CoreV1.Pod>
    let endpoints: Informer<CoreV1.Endpoints>
    let client: APIClient
    let logger: Logger

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context)
        services = context.informers.informer(CoreV1.Service.self)
        pods = context.informers.informer(CoreV1.Pod.self)
        endpoints = context.informers.informer(CoreV1.Endpoints.self)
        client = context.client
        logger = context.logger(for: name)
        let loop = self.loop
        services.addEventHandler(InformerEventHandler(onChange: { loop.enqueue($0) }))
        endpoints.addEventHandler(InformerEventHandler(
            onAdd: { [weak self] in self?.endpointsChanged($0) }, onDelete: { [weak self] in self?.endpointsChanged($0) }))
        pods.addEventHandler(ServicePodEvents.handler(services: services, enqueue: { loop.enqueue($0) }))
    }

    public func run() async throws {
        await loop.run { [self] key in try await sync(key) }
    }

    // MARK: - Events

    /// Managed Endpoints without a service are deleted; deleted ones are recreated.
    func endpointsChanged(_ endpoints: CoreV1.Endpoints) {
        let key = ObjectKey.of(endpoints)
        if let service = services.store.get(key), service.podSelector != nil {
            loop.enqueue(key)
        } else if services.store.get(key) == nil, endpoints.metadata.labels?[Self.managedByLabel] == Self.controllerName {
            loop.enqueue(key)
        }
    }

    // MARK: - Sync

    func sync(_ key: String) async throws {
        let (namespace, name) = ObjectKey.split(key)
        let resource = client.resource(CoreV1.Endpoints.self, namespace: namespace)
        guard let service = services.store.get(key) else {
            do { try await resource.delete(name) } catch let error as APIStatusError where error.isNotFound {}
            return
        }
        guard service.podSelector != nil else { return }

        let desired = desiredEndpoints(for: service)
        if var current = endpoints.store.get(key) {
            if current.subsets ?? [] == desired.subsets ?? [], current.metadata.labels == desired.metadata.labels,
               current.metadata.annotations?[Self.overCapacityAnnotation] == desired.metadata.annotations?[Self.overCapacityAnnotation] {
                return
            }
            current.subsets = desired.subsets
            current.metadata.labels = desired.metadata.labels
            var annotations = current.metadata.annotations ?? [:]
            annotations[Self.overCapacityAnnotation] = desired.metadata.annotations?[Self.overCapacityAnnotation]
            current.metadata.annotations = annotations.isEmpty ? nil : annotations
            do {
                _ = try await resource.update(current)
            } catch let error as APIStatusError where error.isNotFound {
                loop.enqueue(key)
            }
        } else {
            do {
                _ = try await resource.create(desired)
            } catch let error as APIStatusError where error.isForbidden || error.isNotFound {
                // The namespace is terminating or gone.
            }
        }
    }

    func desiredEndpoints(for service: CoreV1.Service) -> CoreV1.Endpoints {
        let publishNotReady = service.spec.publishNotReadyAddresses ?? false
        var builder = EndpointSubsetBuilder()
        let namespace = service.metadata.namespace ?? ""
        let selected = pods.store.list(namespace: namespace)
            .filter { service.selects($0) && $0.belongsInEndpoints(includeTerminating: publishNotReady) }
            .sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
        for pod in selected {
            guard let ip = Self.address(of: pod, for: service) else { continue }
            let address = CoreV1.EndpointAddress(hostname: pod.endpointHostname(for: service), ip: ip,
                                                 nodeName: pod.spec.nodeName.flatMap { $0.isEmpty ? nil : $0 },
                                                 targetRef: pod.endpointTargetRef)
            let ready = publishNotReady || pod.isReady
            let ports = service.spec.ports ?? []
            if ports.isEmpty {
                if service.isHeadless { builder.add(address, ready: ready, port: nil) }
                continue
            }
            for servicePort in ports {
                guard let number = pod.port(for: servicePort) else {
                    logger.debug("no suitable port on pod", metadata: ["pod": "\(ObjectKey.of(pod))", "port": "\(servicePort.name ?? "")"])
                    continue
                }
                builder.add(address, ready: ready, port: CoreV1.EndpointPort(
                    appProtocol: servicePort.appProtocol, name: servicePort.name, port: number, protocol: servicePort.protocol ?? "TCP"))
            }
        }
        var result = CoreV1.Endpoints()
        result.metadata.name = service.metadata.name
        result.metadata.namespace = namespace
        var labels = service.metadata.labels ?? [:]
        labels[Self.managedByLabel] = Self.controllerName
        if service.isHeadless { labels[Self.headlessLabel] = "" } else { labels[Self.headlessLabel] = nil }
        result.metadata.labels = labels
        var subsets = builder.subsets()
        if builder.addressCount > Self.maxCapacity {
            subsets = Self.truncated(subsets, to: Self.maxCapacity)
            result.metadata.annotations = [Self.overCapacityAnnotation: "truncated"]
        }
        result.subsets = subsets.isEmpty ? nil : subsets
        return result
    }

    /// The pod address of the service's IP family (IPv4 unless the service is IPv6 only).
    static func address(of pod: CoreV1.Pod, for service: CoreV1.Service) -> String? {
        let wantsIPv6 = service.spec.ipFamilies?.first == "IPv6"
        return pod.addresses.first { $0.contains(":") == wantsIPv6 }
    }

    /// Keeps at most `limit` addresses, ready ones first (upstream keeps a proportional share
    /// of each subset; the total is what matters to readers).
    static func truncated(_ subsets: [CoreV1.EndpointSubset], to limit: Int) -> [CoreV1.EndpointSubset] {
        var remaining = limit
        var result: [CoreV1.EndpointSubset] = []
        for subset in subsets {
            var subset = subset
            let ready = Array((subset.addresses ?? []).prefix(remaining))
            remaining -= ready.count
            let notReady = Array((subset.notReadyAddresses ?? []).prefix(remaining))
            remaining -= notReady.count
            subset.addresses = ready.isEmpty ? nil : ready
            subset.notReadyAddresses = notReady.isEmpty ? nil : notReady
            if subset.addresses != nil || subset.notReadyAddresses != nil { result.append(subset) }
        }
        return result
    }
}
