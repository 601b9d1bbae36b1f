import Foundation

/// A ResourceQuota scope a quota applies to (`spec.scopes` read as `Exists`, and
/// `spec.scopeSelector` expressions).
public struct QuotaScope: Equatable, Sendable {
    public var name: String
    public var `operator`: String
    public var values: [String]

    public static func of(_ quota: CoreV1.ResourceQuota) -> [QuotaScope] {
        (quota.spec.scopes ?? []).map { QuotaScope(name: $0, operator: "Exists", values: []) }
            + (quota.spec.scopeSelector?.matchExpressions ?? []).map {
                QuotaScope(name: $0.scopeName, operator: $0.operator, values: $0.values ?? [])
            }
    }
}

/// How quota measures one kind of object (upstream's quota evaluators): which operations
/// charge, which quota resources it answers for, its usage, the pod-only constraints and scopes.
public struct QuotaEvaluator: Sendable {
    public enum Kind: Sendable { case pods, services, persistentVolumeClaims, objectCount }

    public let kind: Kind
    /// `count/<resource>` or `count/<resource>.<group>`.
    public let countName: String
    /// The short name older quotas count objects by (`configmaps`, `secrets`…).
    public let alias: String?

    static let legacyAliases: Set<String> = ["configmaps", "resourcequotas", "replicationcontrollers", "secrets"]
    static let podResources: Set<String> = [
        "count/pods", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods",
    ]
    /// Resources a pod must request or limit explicitly once a quota tracks them.
    static let explicitResources: Set<String> = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]
    static let serviceResources: Set<String> = ["count/services", "services", "services.nodeports", "services.loadbalancers"]
    static let claimResources = ["persistentvolumeclaims", "count/persistentvolumeclaims", "requests.storage"]
    static let storageClassSuffix = ".storageclass.storage.k8s.io/"

    public init(group: String, plural: String) {
        countName = group.isEmpty ? "count/\(plural)" : "count/\(plural).\(group)"
        alias = group.isEmpty && Self.legacyAliases.contains(plural) ? plural : nil
        switch (group, plural) {
        case ("", "pods"): kind = .pods
        case ("", "services"): kind = .services
        case ("", "persistentvolumeclaims"): kind = .persistentVolumeClaims
        default: kind = .objectCount
        }
    }

    public func matchingResources(_ names: [String]) -> [String] {
        switch kind {
        case .pods:
            names.filter {
                Self.podResources.contains($0) || $0.hasPrefix("hugepages-") || $0.hasPrefix("requests.hugepages-")
                    || Self.isExtendedRequest($0)
            }
        case .services:
            names.filter { Self.serviceResources.contains($0) }
        case .persistentVolumeClaims:
            names.filter { name in
                Self.claimResources.contains(name)
                    || Self.claimResources.contains { name.hasSuffix(Self.storageClassSuffix + $0) }
            }
        case .objectCount:
            names.filter { $0 == countName || $0 == alias }
        }
    }

    /// Whether the quota covers the object: it limits one of the object's resources and every
    /// scope matches (only pods have scopes; any scope excludes other objects).
    public func matches(_ quota: CoreV1.ResourceQuota, object: JSONValue) throws -> Bool {
        guard !matchingResources(Array((quota.status.hard ?? [:]).keys)).isEmpty else { return false }
        for scope in QuotaScope.of(quota) where try !matchesScope(scope, object: object) { return false }
        return true
    }

    public func matchesScope(_ scope: QuotaScope, object: JSONValue) throws -> Bool {
        guard kind == .pods else { return false }
        let pod = try CoreV1.Pod(json: object)
        switch scope.name {
        case "Terminating": return Self.isTerminating(pod)
        case "NotTerminating": return !Self.isTerminating(pod)
        case "BestEffort": return PodQOS.compute(pod.spec) == "BestEffort"
        case "NotBestEffort": return PodQOS.compute(pod.spec) != "BestEffort"
        case "PriorityClass":
            let className = pod.spec.priorityClassName ?? ""
            switch scope.operator {
            case "In": return !className.isEmpty && scope.values.contains(className)
            case "NotIn": return className.isEmpty || !scope.values.contains(className)
            case "Exists": return !className.isEmpty
            case "DoesNotExist": return className.isEmpty
            default: return false
            }
        case "CrossNamespacePodAffinity": return Self.usesCrossNamespaceAffinity(pod)
        default: return false
        }
    }

    /// Pods under a quota of cpu or memory must request (or limit) them in every container:
    /// `must specify limits.cpu for: app; requests.memory for: app,sidecar`.
    public func constraintViolation(required: [String], object: JSONValue) throws -> String? {
        guard kind == .pods else { return nil }
        let pod = try CoreV1.Pod(json: object)
        let requiredSet = Set(required).intersection(Self.explicitResources)
        guard !requiredSet.isEmpty else { return nil }
        var missing: [String: Set<String>] = [:]
        for container in pod.spec.containers.map(ContainerResources.init) + (pod.spec.initContainers ?? []).map(ContainerResources.init) {
            let present = Set(Self.computeUsage(requests: container.requests, limits: container.limits).keys)
            for name in requiredSet.subtracting(present) { missing[name, default: []].insert(container.name) }
        }
        guard !missing.isEmpty else { return nil }
        let parts = missing.keys.sorted().map { "\($0) for: \(missing[$0]!.sorted().joined(separator: ","))" }
        return "must specify " + parts.joined(separator: "; ")
    }

    public func usage(_ object: JSONValue, now: Date) throws -> ResourceList {
        let one = Quantity(value: 1)
        switch kind {
        case .objectCount:
            var usage: ResourceList = [countName: one]
            if let alias { usage[alias] = one }
            return usage
        case .pods:
            return Self.podUsage(try CoreV1.Pod(json: object), now: now)
        case .services:
            return Self.serviceUsage(object)
        case .persistentVolumeClaims:
            return Self.claimUsage(object)
        }
    }

    // MARK: Pods

    struct ContainerResources {
        var name: String
        var requests: ResourceList
        var limits: ResourceList
        var restartsAlways: Bool

        init(_ container: CoreV1.Container) {
            name = container.name
            requests = container.resources?.requests ?? [:]
            limits = container.resources?.limits ?? [:]
            restartsAlways = container.restartPolicy == "Always"
        }
    }

    /// `count/pods` always; `pods` and compute resources while the pod is not finished.
    public static func podUsage(_ pod: CoreV1.Pod, now: Date) -> ResourceList {
        var usage: ResourceList = ["count/pods": Quantity(value: 1)]
        guard isCharged(pod, now: now) else { return usage }
        let containers = pod.spec.containers.map(ContainerResources.init)
        let initContainers = (pod.spec.initContainers ?? []).map(ContainerResources.init)
        var requests = aggregate(containers, initContainers, \.requests)
        var limits = aggregate(containers, initContainers, \.limits)
        // Pod-level resources replace what the containers add up to.
        for (name, amount) in pod.spec.resources?.requests ?? [:] where isPodLevel(name) { requests[name] = amount }
        for (name, amount) in pod.spec.resources?.limits ?? [:] where isPodLevel(name) { limits[name] = amount }
        for (name, amount) in pod.spec.overhead ?? [:] {
            requests[name] = (requests[name] ?? .zero) + amount
            if let limit = limits[name] { limits[name] = limit + amount }
        }
        usage = QuotaResourceList.add(usage, computeUsage(requests: requests, limits: limits))
        return usage
    }

    /// A pod stops counting once it finished, or once its deletion's grace period ran out.
    public static func isCharged(_ pod: CoreV1.Pod, now: Date) -> Bool {
        if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" { return false }
        if let deletion = pod.metadata.deletionTimestamp, let grace = pod.metadata.deletionGracePeriodSeconds,
            now > deletion.date.addingTimeInterval(TimeInterval(grace))
        {
            return false
        }
        return true
    }

    static func isPodLevel(_ name: String) -> Bool { name == "cpu" || name == "memory" || name.hasPrefix("hugepages-") }

    /// Upstream's PodRequests/PodLimits: the containers add up; each init container runs alone
    /// beside the sidecars started before it, and the largest of those moments counts if larger.
    static func aggregate(_ containers: [ContainerResources], _ initContainers: [ContainerResources],
                          _ amounts: KeyPath<ContainerResources, ResourceList>) -> ResourceList {
        var total = containers.reduce(into: ResourceList()) { $0 = QuotaResourceList.add($0, $1[keyPath: amounts]) }
        var sidecars: ResourceList = [:]
        var initPeak: ResourceList = [:]
        for container in initContainers {
            let own = container[keyPath: amounts]
            let moment: ResourceList
            if container.restartsAlways {
                total = QuotaResourceList.add(total, own)
                sidecars = QuotaResourceList.add(sidecars, own)
                moment = sidecars
            } else {
                moment = QuotaResourceList.add(own, sidecars)
            }
            initPeak.merge(moment) { Swift.max($0, $1) }
        }
        total.merge(initPeak) { Swift.max($0, $1) }
        return total
    }

    /// The quota resources of some requests and limits (upstream's podComputeUsageHelper).
    public static func computeUsage(requests: ResourceList, limits: ResourceList) -> ResourceList {
        var usage: ResourceList = ["pods": Quantity(value: 1)]
        for name in ["cpu", "memory", "ephemeral-storage"] {
            if let request = requests[name] {
                usage[name] = request
                usage["requests." + name] = request
            }
            if let limit = limits[name] { usage["limits." + name] = limit }
        }
        for (name, request) in requests {
            if name.hasPrefix("hugepages-") {
                usage[name] = request
                usage["requests." + name] = request
            }
            if isExtendedResource(name) { usage["requests." + name] = request }
        }
        return usage
    }

    /// Native resources have no domain or the kubernetes.io one; the rest are extended.
    static func isNativeResource(_ name: String) -> Bool { !name.contains("/") || name.contains("kubernetes.io/") }

    /// An extended resource a container may request (`example.com/gpu`).
    static func isExtendedResource(_ name: String) -> Bool { !isNativeResource(name) && !name.hasPrefix("requests.") }

    /// How a quota names an extended resource (`requests.example.com/gpu`).
    static func isExtendedRequest(_ name: String) -> Bool { !isNativeResource(name) && name.hasPrefix("requests.") }

    static func isTerminating(_ pod: CoreV1.Pod) -> Bool { (pod.spec.activeDeadlineSeconds ?? -1) >= 0 }

    static func usesCrossNamespaceAffinity(_ pod: CoreV1.Pod) -> Bool {
        let affinity = pod.spec.affinity
        let required = (affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
            + (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
        let preferred = (affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
            + (affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
        return (required + preferred.map(\.podAffinityTerm)).contains { !($0.namespaces ?? []).isEmpty || $0.namespaceSelector != nil }
    }

    // MARK: Services and claims

    /// Every service counts; NodePort and LoadBalancer ones count their node ports, and
    /// LoadBalancers count themselves.
    public static func serviceUsage(_ service: JSONValue) -> ResourceList {
        let ports = service[path: ["spec", "ports"]]?.arrayValue ?? []
        var usage: ResourceList = [
            "count/services": Quantity(value: 1), "services": Quantity(value: 1),
            "services.loadbalancers": .zero, "services.nodeports": .zero,
        ]
        switch service[path: ["spec", "type"]]?.stringValue {
        case "NodePort":
            usage["services.nodeports"] = Quantity(value: Int64(ports.count))
        case "LoadBalancer":
            // Without allocated node ports only the ports that ask for one count.
            let allocates = service[path: ["spec", "allocateLoadBalancerNodePorts"]]?.boolValue ?? true
            let counted = allocates ? ports.count : ports.filter { ($0["nodePort"]?.intValue ?? 0) != 0 }.count
            usage["services.nodeports"] = Quantity(value: Int64(counted))
            usage["services.loadbalancers"] = Quantity(value: 1)
        default:
            break
        }
        return usage
    }

    /// A claim counts once, and its storage request (or the larger allocated size), in total and
    /// under its storage class.
    public static func claimUsage(_ claim: JSONValue) -> ResourceList {
        let one = Quantity(value: 1)
        var usage: ResourceList = ["persistentvolumeclaims": one, "count/persistentvolumeclaims": one]
        let storageClass = claim[path: ["metadata", "annotations", "volume.beta.kubernetes.io/storage-class"]]?.stringValue
            ?? claim[path: ["spec", "storageClassName"]]?.stringValue ?? ""
        if !storageClass.isEmpty { usage[storageClass + storageClassSuffix + "persistentvolumeclaims"] = one }
        var storage = QuotaResourceList.parse(claim[path: ["spec", "resources", "requests"]])["storage"]
        if let allocated = QuotaResourceList.parse(claim[path: ["status", "allocatedResources"]])["storage"],
            allocated > storage ?? .zero
        {
            storage = allocated
        }
        if let storage {
            // Storage counts in whole bytes.
            let bytes = Quantity(value: storage.value, format: storage.format)
            usage["requests.storage"] = bytes
            if !storageClass.isEmpty { usage[storageClass + storageClassSuffix + "requests.storage"] = bytes }
        }
        return usage
    }
}
