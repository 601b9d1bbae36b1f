import Foundation
import KubeModel

/// A pod with everything the scheduler derives from it computed once: its key, requests,
/// parsed affinity terms and host ports (upstream's framework.PodInfo).
///
/// An immutable reference: every property is a constant, so sharing one instance between the
/// cache, snapshots and cycles is sharing a value; a changed pod is a new PodInfo.
public final class PodInfo: Sendable {
    public let pod: CoreV1.Pod
    /// The UID, or `namespace/name` when the pod has none (test objects).
    public let key: String
    public let namespace: String
    public let name: String
    public let labels: [String: String]
    public let nodeName: String
    /// `spec.priority`, 0 when unset (admission fills it from the PriorityClass).
    public let priority: Int
    /// What the pod occupies on a node (NodeResourcesFit).
    public let requests: Resource
    /// Requests with the scoring defaults for unstated CPU and memory.
    public let nonZeroRequests: Resource
    public let requiredAffinityTerms: [AffinityTerm]
    public let requiredAntiAffinityTerms: [AffinityTerm]
    public let preferredAffinityTerms: [WeightedAffinityTerm]
    public let preferredAntiAffinityTerms: [WeightedAffinityTerm]
    /// Container ports with a host port, defaults applied.
    public let hostPorts: [HostPort]
    public let isTerminating: Bool
    public let startTime: Date?
    public let preemptionPolicy: String?
    /// `spec.tolerations`.
    public let tolerations: [CoreV1.Toleration]

    public init(_ pod: CoreV1.Pod) {
        self.pod = pod
        let namespace = pod.metadata.namespace ?? "default"
        let name = pod.metadata.name ?? ""
        self.namespace = namespace
        self.name = name
        key = pod.metadata.uid.flatMap { $0.isEmpty ? nil : $0 } ?? "\(namespace)/\(name)"
        labels = pod.metadata.labels ?? [:]
        nodeName = pod.spec.nodeName ?? ""
        priority = pod.spec.priority ?? 0
        requests = PodRequests.compute(pod.spec)
        nonZeroRequests = PodRequests.compute(pod.spec, nonZero: true)
        let affinity = pod.spec.affinity
        requiredAffinityTerms = (affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
            .map { AffinityTerm($0, podNamespace: namespace) }
        requiredAntiAffinityTerms = (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
            .map { AffinityTerm($0, podNamespace: namespace) }
        preferredAffinityTerms = (affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
            .map { WeightedAffinityTerm(term: AffinityTerm($0.podAffinityTerm, podNamespace: namespace), weight: $0.weight) }
        preferredAntiAffinityTerms = (affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
            .map { WeightedAffinityTerm(term: AffinityTerm($0.podAffinityTerm, podNamespace: namespace), weight: $0.weight) }
        hostPorts = HostPort.wanted(by: pod.spec)
        isTerminating = pod.metadata.deletionTimestamp != nil
        startTime = pod.status.startTime?.date
        preemptionPolicy = pod.spec.preemptionPolicy
        tolerations = pod.spec.tolerations ?? []
    }

    /// This pod as if bound to `node` (what `assume` records).
    public func bound(to node: String) -> PodInfo {
        var copy = pod
        copy.spec.nodeName = node
        return PodInfo(copy)
    }

    public var hasAffinityTerms: Bool {
        !requiredAffinityTerms.isEmpty || !requiredAntiAffinityTerms.isEmpty
            || !preferredAffinityTerms.isEmpty || !preferredAntiAffinityTerms.isEmpty
    }

    public var hasRequiredAntiAffinity: Bool { !requiredAntiAffinityTerms.isEmpty }
}

/// A pod (anti-)affinity term with its selectors parsed (upstream's framework.AffinityTerm).
public struct AffinityTerm: Sendable, Hashable {
    /// Explicit namespaces; the owning pod's namespace when the term names none and has no
    /// namespace selector.
    public var namespaces: Set<String>
    /// Selects namespaces by their labels; `.nothing` when absent, everything when empty.
    public var namespaceSelector: LabelSelector
    public var selector: LabelSelector
    public var topologyKey: String

    public init(namespaces: Set<String>, namespaceSelector: LabelSelector = .nothing, selector: LabelSelector,
                topologyKey: String) {
        self.namespaces = namespaces
        self.namespaceSelector = namespaceSelector
        self.selector = selector
        self.topologyKey = topologyKey
    }

    init(_ term: CoreV1.PodAffinityTerm, podNamespace: String) {
        var namespaces = Set(term.namespaces ?? [])
        if namespaces.isEmpty && term.namespaceSelector == nil { namespaces.insert(podNamespace) }
        self.init(
            namespaces: namespaces,
            namespaceSelector: SelectorConversion.selector(term.namespaceSelector),
            selector: SelectorConversion.selector(term.labelSelector),
            topologyKey: term.topologyKey)
    }

    /// Whether `pod` is one the term selects; `namespaceLabels` are the labels of the pod's
    /// namespace (nil when unknown: only explicit namespaces, or an empty namespace selector,
    /// can match then).
    public func matches(_ pod: PodInfo, namespaceLabels: [String: String]?) -> Bool {
        guard namespaces.contains(pod.namespace) || namespaceSelector.isEmpty
            || (namespaceLabels.map(namespaceSelector.matches) ?? false)
        else { return false }
        return selector.matches(pod.labels)
    }
}

public struct WeightedAffinityTerm: Sendable, Hashable {
    public var term: AffinityTerm
    public var weight: Int
}

/// Conversion of API label selectors to parsed ones.
public enum SelectorConversion {
    /// Upstream's `LabelSelectorAsSelector`: nil selects nothing, an empty one everything, and
    /// an invalid one nothing.
    public static func selector(_ selector: MetaV1.LabelSelector?) -> LabelSelector {
        guard let selector else { return .nothing }
        let expressions = (selector.matchExpressions ?? []).map {
            LabelSelectorExpression(key: $0.key, operator: $0.operator, values: $0.values ?? [])
        }
        do {
            return try LabelSelector(matchLabels: selector.matchLabels ?? [:], matchExpressions: expressions)
        } catch {
            return .nothing
        }
    }
}

/// A host port a container wants: protocol and IP defaulted as upstream does (TCP, 0.0.0.0).
public struct HostPort: Sendable, Hashable {
    public var ip: String
    public var `protocol`: String
    public var port: Int

    public init(ip: String = "0.0.0.0", protocol: String = "TCP", port: Int) {
        self.ip = ip.isEmpty ? "0.0.0.0" : ip
        self.protocol = `protocol`.isEmpty ? "TCP" : `protocol`
        self.port = port
    }

    static func wanted(by spec: CoreV1.PodSpec) -> [HostPort] {
        var ports: [HostPort] = []
        for container in spec.containers {
            for port in container.ports ?? [] {
                guard let hostPort = port.hostPort, hostPort > 0 else { continue }
                ports.append(HostPort(ip: port.hostIP ?? "", protocol: port.protocol ?? "", port: hostPort))
            }
        }
        return ports
    }
}

/// Host ports in use on a node (upstream's HostPortInfo): IP → protocol/port pairs.
public struct HostPortUsage: Sendable, Hashable {
    struct ProtocolPort: Hashable, Sendable {
        var `protocol`: String
        var port: Int
    }

    private var byIP: [String: [ProtocolPort: Int]] = [:]

    public init() {}

    public var isEmpty: Bool { byIP.isEmpty }

    mutating func add(_ port: HostPort) {
        byIP[port.ip, default: [:]][ProtocolPort(protocol: port.protocol, port: port.port), default: 0] += 1
    }

    mutating func remove(_ port: HostPort) {
        let key = ProtocolPort(protocol: port.protocol, port: port.port)
        guard var ports = byIP[port.ip], let count = ports[key] else { return }
        ports[key] = count > 1 ? count - 1 : nil
        byIP[port.ip] = ports.isEmpty ? nil : ports
    }

    /// Whether `port` collides with one in use: 0.0.0.0 collides with every IP.
    public func conflicts(with port: HostPort) -> Bool {
        let key = ProtocolPort(protocol: port.protocol, port: port.port)
        if port.ip == "0.0.0.0" {
            return byIP.values.contains { $0[key] != nil }
        }
        return byIP["0.0.0.0"]?[key] != nil || byIP[port.ip]?[key] != nil
    }
}
