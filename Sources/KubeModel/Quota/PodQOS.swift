/// A pod's quality-of-service class, computed as upstream's ComputePodQOS: only cpu and
/// memory count; BestEffort without any request or limit, Guaranteed when every container
/// (or the pod-level resources) limits both and requests equal limits, else Burstable.
public enum PodQOS {
    public static let computeResources: Set<String> = ["cpu", "memory"]

    public static func compute(_ spec: CoreV1.PodSpec) -> String {
        var requests: [String: Quantity] = [:]
        var limits: [String: Quantity] = [:]
        var guaranteed = true
        let groups: [CoreV1.ResourceRequirements]
        if let podLevel = spec.resources {
            groups = [podLevel]
        } else {
            groups = (spec.containers + (spec.initContainers ?? [])).map { $0.resources ?? CoreV1.ResourceRequirements() }
        }
        for resources in groups {
            for (name, quantity) in resources.requests ?? [:] where computeResources.contains(name) && quantity > .zero {
                requests[name] = (requests[name] ?? .zero) + quantity
            }
            var limited = Set<String>()
            for (name, quantity) in resources.limits ?? [:] where computeResources.contains(name) && quantity > .zero {
                limited.insert(name)
                limits[name] = (limits[name] ?? .zero) + quantity
            }
            if !limited.isSuperset(of: computeResources) { guaranteed = false }
        }
        if requests.isEmpty && limits.isEmpty { return "BestEffort" }
        if guaranteed, requests.allSatisfy({ limits[$0.key] == $0.value }), requests.count == limits.count {
            return "Guaranteed"
        }
        return "Burstable"
    }
}
