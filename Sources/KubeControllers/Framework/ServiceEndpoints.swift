import KubeClient
import KubeModel

/// What the Endpoints and EndpointSlice controllers share about services and their pods
/// (upstream's endpointutil and podutil helpers).
extension CoreV1.Service {
    /// The pod selector, nil when the service selects nothing itself (its endpoints are
    /// managed by someone else).
    public var podSelector: [String: String]? { spec.selector }

    public var isHeadless: Bool { spec.clusterIP == "None" }

    /// Pods of its namespace whose labels match the selector.
    public func selects(_ pod: CoreV1.Pod) -> Bool {
        guard let selector = podSelector, pod.metadata.namespace == metadata.namespace else { return false }
        let labels = pod.metadata.labels ?? [:]
        return selector.allSatisfy { labels[$0.key] == $0.value }
    }
}

extension CoreV1.Pod {
    /// Upstream's ShouldPodBeInEndpoints: not finished, has an address, and not terminating
    /// unless terminating pods are wanted.
    public func belongsInEndpoints(includeTerminating: Bool) -> Bool {
        if isTerminal { return false }
        if (status.podIP ?? "").isEmpty, (status.podIPs ?? []).isEmpty { return false }
        if !includeTerminating, isTerminating { return false }
        return true
    }

    /// The pod's addresses: podIPs, or podIP when the list is empty.
    public var addresses: [String] {
        let listed = (status.podIPs ?? []).map(\.ip).filter { !$0.isEmpty }
        if !listed.isEmpty { return listed }
        return [status.podIP].compactMap { $0 }.filter { !$0.isEmpty }
    }

    /// The container port a service port targets (upstream's FindPort): a number as given, or
    /// the port of that name and protocol among the containers (and sidecar init containers).
    public func port(for servicePort: CoreV1.ServicePort) -> Int? {
        let target = servicePort.targetPort ?? .int(servicePort.port)
        switch target {
        case .int(let number):
            return number == 0 ? servicePort.port : number
        case .string(let name):
            let serviceProtocol = servicePort.protocol ?? "TCP"
            let sidecars = (spec.initContainers ?? []).filter { $0.restartPolicy == "Always" }
            for container in spec.containers + sidecars {
                for port in container.ports ?? [] where port.name == name && (port.protocol ?? "TCP") == serviceProtocol {
                    return port.containerPort
                }
            }
            return nil
        }
    }

    /// The hostname endpoints publish for this pod: its own when its subdomain is the service.
    public func endpointHostname(for service: CoreV1.Service) -> String? {
        guard let hostname = spec.hostname, !hostname.isEmpty, spec.subdomain == service.metadata.name,
              metadata.namespace == service.metadata.namespace else { return nil }
        return hostname
    }

    /// The pod reference endpoints carry.
    public var endpointTargetRef: CoreV1.ObjectReference {
        CoreV1.ObjectReference(kind: "Pod", name: metadata.name, namespace: metadata.namespace, uid: metadata.uid)
    }

    /// Everything about the pod an endpoint shows; a pod update that leaves this unchanged
    /// (and the labels) cannot change any endpoints.
    public var endpointSignature: [String] {
        [addresses.joined(separator: ","), String(isReady), String(isTerminating), String(isTerminal),
         spec.nodeName ?? "", spec.hostname ?? "", spec.subdomain ?? "",
         (spec.containers.flatMap { $0.ports ?? [] }).map { "\($0.name ?? ""):\($0.containerPort)/\($0.protocol ?? "")" }.joined(separator: ",")]
    }
}

/// Pod changes that can change a service's endpoints, turned into the services to sync
/// (shared by the Endpoints and EndpointSlice controllers).
enum ServicePodEvents {
    /// Enqueues, through `enqueue`, the services selecting a pod that was added or deleted,
    /// that changed labels (old and new selectors) or anything an endpoint shows.
    static func handler(services: Informer<CoreV1.Service>,
                        enqueue: @escaping @Sendable (CoreV1.Service) -> Void) -> InformerEventHandler<CoreV1.Pod> {
        let selecting: @Sendable (CoreV1.Pod) -> Void = { pod in
            for service in services.store.list(namespace: pod.metadata.namespace ?? "") where service.selects(pod) { enqueue(service) }
        }
        return InformerEventHandler(
            onAdd: selecting,
            onUpdate: { old, new in
                if old.metadata.labels != new.metadata.labels {
                    selecting(old)
                    selecting(new)
                } else if old.endpointSignature != new.endpointSignature {
                    selecting(new)
                }
            },
            onDelete: selecting)
    }
}
