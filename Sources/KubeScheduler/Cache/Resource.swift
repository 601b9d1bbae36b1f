import KubeModel

/// Amounts of schedulable resources in the units upstream's scheduler uses: millicores of CPU,
/// bytes of memory and ephemeral storage, a pod count, and whole units of scalar resources
/// (extended resources such as `example.com/gpu`, hugepages-*, attachable-volumes-*).
public struct Resource: Sendable, Hashable {
    public var milliCPU: Int64 = 0
    public var memory: Int64 = 0
    public var ephemeralStorage: Int64 = 0
    public var allowedPodNumber: Int = 0
    public var scalarResources: [String: Int64] = [:]

    public init(milliCPU: Int64 = 0, memory: Int64 = 0, ephemeralStorage: Int64 = 0, allowedPodNumber: Int = 0,
                scalarResources: [String: Int64] = [:]) {
        self.milliCPU = milliCPU
        self.memory = memory
        self.ephemeralStorage = ephemeralStorage
        self.allowedPodNumber = allowedPodNumber
        self.scalarResources = scalarResources
    }

    /// Reads a resource list (a node's allocatable, a pod's requests).
    public init(_ list: [String: Quantity]) {
        for (name, quantity) in list { add(name, quantity) }
    }

    public static let cpu = "cpu"
    public static let memoryName = "memory"
    public static let ephemeralStorageName = "ephemeral-storage"
    public static let pods = "pods"

    /// Whether a resource name is a scalar resource the scheduler accounts for (upstream's
    /// `IsScalarResourceName`): extended, hugepages, prefixed native or attachable volumes.
    public static func isScalar(_ name: String) -> Bool {
        if name.hasPrefix("hugepages-") || name.hasPrefix("attachable-volumes-") { return true }
        guard name.contains("/") else { return false }
        // Extended resources are fully qualified outside kubernetes.io; prefixed native
        // resources (kubernetes.io/…) count too. Quota-only "requests." names do not.
        return !name.hasPrefix("requests.")
    }

    public mutating func add(_ name: String, _ quantity: Quantity) {
        switch name {
        case Self.cpu: milliCPU += quantity.milliValue
        case Self.memoryName: memory += quantity.value
        case Self.ephemeralStorageName: ephemeralStorage += quantity.value
        case Self.pods: allowedPodNumber += Int(quantity.value)
        default:
            if Self.isScalar(name) { scalarResources[name, default: 0] += quantity.value }
        }
    }

    public mutating func add(_ other: Resource) {
        milliCPU += other.milliCPU
        memory += other.memory
        ephemeralStorage += other.ephemeralStorage
        allowedPodNumber += other.allowedPodNumber
        for (name, amount) in other.scalarResources { scalarResources[name, default: 0] += amount }
    }

    public mutating func subtract(_ other: Resource) {
        milliCPU -= other.milliCPU
        memory -= other.memory
        ephemeralStorage -= other.ephemeralStorage
        allowedPodNumber -= other.allowedPodNumber
        for (name, amount) in other.scalarResources {
            let left = (scalarResources[name] ?? 0) - amount
            scalarResources[name] = left == 0 ? nil : left
        }
    }

    /// Raises every amount to at least `other`'s.
    public mutating func setMax(_ other: Resource) {
        milliCPU = max(milliCPU, other.milliCPU)
        memory = max(memory, other.memory)
        ephemeralStorage = max(ephemeralStorage, other.ephemeralStorage)
        allowedPodNumber = max(allowedPodNumber, other.allowedPodNumber)
        for (name, amount) in other.scalarResources { scalarResources[name] = max(scalarResources[name] ?? 0, amount) }
    }

    /// The amount of a named resource (pods as a count).
    public func amount(of name: String) -> Int64 {
        switch name {
        case Self.cpu: return milliCPU
        case Self.memoryName: return memory
        case Self.ephemeralStorageName: return ephemeralStorage
        case Self.pods: return Int64(allowedPodNumber)
        default: return scalarResources[name] ?? 0
        }
    }

    /// True when the pod asks for nothing (a BestEffort pod as far as scheduling goes).
    public var isZero: Bool {
        milliCPU == 0 && memory == 0 && ephemeralStorage == 0 && scalarResources.values.allSatisfy { $0 == 0 }
    }
}

/// How upstream computes what a pod asks of a node (resourcehelper.PodRequests).
public enum PodRequests {
    /// The CPU a container without a CPU request is assumed to use when scoring (100m).
    public static let defaultMilliCPURequest: Int64 = 100
    /// The memory a container without a memory request is assumed to use when scoring (200Mi).
    public static let defaultMemoryRequest: Int64 = 200 * 1024 * 1024

    /// The pod's effective requests: the larger of the sum of its containers (plus restartable
    /// init containers, which keep running) and what each init container needs while it runs
    /// (itself plus the sidecars started before it), plus the pod overhead. With `nonZero`, a
    /// container that states no CPU or memory request counts the scoring defaults instead.
    public static func compute(_ spec: CoreV1.PodSpec, nonZero: Bool = false) -> Resource {
        var total = Resource()
        for container in spec.containers {
            total.add(containerRequests(container, nonZero: nonZero))
        }
        var sidecars = Resource()
        var initMaximum = Resource()
        for container in spec.initContainers ?? [] {
            let requests = containerRequests(container, nonZero: nonZero)
            var whileRunning: Resource
            if container.restartPolicy == "Always" {
                total.add(requests)
                sidecars.add(requests)
                whileRunning = sidecars
            } else {
                whileRunning = requests
                whileRunning.add(sidecars)
            }
            initMaximum.setMax(whileRunning)
        }
        total.setMax(initMaximum)
        if let overhead = spec.overhead { total.add(Resource(overhead)) }
        return total
    }

    static func containerRequests(_ container: CoreV1.Container, nonZero: Bool) -> Resource {
        let requests = container.resources?.requests ?? [:]
        var resource = Resource(requests)
        if nonZero {
            if requests[Resource.cpu] == nil { resource.milliCPU = defaultMilliCPURequest }
            if requests[Resource.memoryName] == nil { resource.memory = defaultMemoryRequest }
        }
        return resource
    }
}
