import KubeModel

/// Plans the EndpointSlices of one service (upstream's reconciler): endpoints are grouped by
/// address type and by the ports they resolve to; existing slices keep the endpoints that are
/// still wanted (updated in place), new endpoints fill slices with room before new slices are
/// made, at most `maxEndpointsPerSlice` each; slices left empty or for ports no longer served
/// go. A service with no endpoints keeps one empty placeholder slice.
struct EndpointSliceReconciler {
    static let serviceNameLabel = "kubernetes.io/service-name"
    static let managedByLabel = "endpointslice.kubernetes.io/managed-by"
    static let controllerName = "endpointslice-controller.k8s.io"
    static let headlessLabel = "service.kubernetes.io/headless"

    let service: CoreV1.Service
    let maxEndpointsPerSlice: Int

    struct Plan {
        var create: [DiscoveryV1.EndpointSlice] = []
        var update: [DiscoveryV1.EndpointSlice] = []
        var delete: [DiscoveryV1.EndpointSlice] = []
        var isEmpty: Bool { create.isEmpty && update.isEmpty && delete.isEmpty }
    }

    /// The endpoints wanted for one address type and port mapping.
    struct Group {
        var ports: [DiscoveryV1.EndpointPort]
        var endpoints: [DiscoveryV1.Endpoint]
    }

    static func portsKey(_ ports: [DiscoveryV1.EndpointPort]) -> String {
        ports.map { "\($0.name ?? "")|\($0.port ?? 0)|\($0.protocol ?? "")|\($0.appProtocol ?? "")" }.sorted().joined(separator: ",")
    }

    static func endpointKey(_ endpoint: DiscoveryV1.Endpoint) -> String {
        (endpoint.targetRef?.uid ?? "") + "/" + endpoint.addresses.joined(separator: ",")
    }

    /// The labels every managed slice of the service carries.
    var labels: [String: String] {
        var labels = (service.metadata.labels ?? [:]).filter {
            $0.key != Self.serviceNameLabel && $0.key != Self.managedByLabel && $0.key != Self.headlessLabel
        }
        labels[Self.serviceNameLabel] = service.metadata.name ?? ""
        labels[Self.managedByLabel] = Self.controllerName
        if service.isHeadless { labels[Self.headlessLabel] = "" }
        return labels
    }

    func newSlice(addressType: String, ports: [DiscoveryV1.EndpointPort], endpoints: [DiscoveryV1.Endpoint]) -> DiscoveryV1.EndpointSlice {
        var slice = DiscoveryV1.EndpointSlice()
        slice.metadata.generateName = String((service.metadata.name ?? "").prefix(57)) + "-"
        slice.metadata.namespace = service.metadata.namespace
        slice.metadata.labels = labels
        slice.metadata.ownerReferences = [service.makeControllerReference()]
        slice.addressType = addressType
        slice.ports = ports.isEmpty ? nil : ports
        slice.endpoints = endpoints.isEmpty ? nil : endpoints
        return slice
    }

    /// `desired`: address type → port mapping key → group.
    func plan(desired: [String: [String: Group]], existing: [DiscoveryV1.EndpointSlice]) -> Plan {
        var plan = Plan()
        var kept: [DiscoveryV1.EndpointSlice] = []
        for (addressType, groups) in desired.sorted(by: { $0.key < $1.key }) {
            let ofType = existing.filter { $0.addressType == addressType }
            for (key, group) in groups.sorted(by: { $0.key < $1.key }) {
                let slices = ofType.filter { Self.portsKey($0.ports ?? []) == key }
                let result = reconcile(group, addressType: addressType, slices: slices)
                plan.create += result.create
                plan.update += result.update
                plan.delete += result.delete
                kept += result.kept
            }
            // Slices for ports no longer served.
            plan.delete += ofType.filter { groups[Self.portsKey($0.ports ?? [])] == nil }
        }
        plan.delete += existing.filter { desired[$0.addressType] == nil }

        // Nothing to publish: one empty placeholder slice stays (the first existing one if any).
        if plan.create.isEmpty, kept.isEmpty, plan.update.isEmpty {
            let addressType = desired.keys.sorted().first ?? "IPv4"
            if let placeholder = existing.first(where: { ($0.endpoints ?? []).isEmpty && ($0.ports ?? []).isEmpty && $0.addressType == addressType }) {
                plan.delete.removeAll { $0.metadata.name == placeholder.metadata.name }
            } else {
                plan.create.append(newSlice(addressType: addressType, ports: [], endpoints: []))
            }
        }
        return plan
    }

    private struct GroupResult {
        var create: [DiscoveryV1.EndpointSlice] = []
        var update: [DiscoveryV1.EndpointSlice] = []
        var delete: [DiscoveryV1.EndpointSlice] = []
        var kept: [DiscoveryV1.EndpointSlice] = []
    }

    private func reconcile(_ group: Group, addressType: String, slices: [DiscoveryV1.EndpointSlice]) -> GroupResult {
        var result = GroupResult()
        var wanted: [String: DiscoveryV1.Endpoint] = [:]
        var order: [String] = []
        for endpoint in group.endpoints {
            let key = Self.endpointKey(endpoint)
            if wanted.updateValue(endpoint, forKey: key) == nil { order.append(key) }
        }
        var placed = Set<String>()
        // Existing slices keep what is still wanted, refreshed; a slice over the limit or
        // repeating an endpoint placed elsewhere sheds it.
        var refreshed: [(slice: DiscoveryV1.EndpointSlice, changed: Bool)] = []
        for slice in slices.sorted(by: { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }) {
            var endpoints: [DiscoveryV1.Endpoint] = []
            for endpoint in slice.endpoints ?? [] {
                let key = Self.endpointKey(endpoint)
                guard let value = wanted[key], !placed.contains(key), endpoints.count < maxEndpointsPerSlice else { continue }
                endpoints.append(value)
                placed.insert(key)
            }
            var updated = slice
            updated.endpoints = endpoints.isEmpty ? nil : endpoints
            updated.ports = group.ports.isEmpty ? nil : group.ports
            updated.metadata.labels = (slice.metadata.labels ?? [:]).merging(labels) { $1 }
            refreshed.append((updated, updated != slice))
        }
        // New endpoints fill slices with room, changed ones first, then new slices.
        var pending = order.filter { !placed.contains($0) }.map { wanted[$0]! }
        let byPriority = refreshed.indices.sorted { (refreshed[$0].changed ? 0 : 1, $0) < (refreshed[$1].changed ? 0 : 1, $1) }
        for index in byPriority where !pending.isEmpty {
            let room = maxEndpointsPerSlice - (refreshed[index].slice.endpoints ?? []).count
            guard room > 0 else { continue }
            let taken = Array(pending.prefix(room))
            pending.removeFirst(taken.count)
            refreshed[index].slice.endpoints = (refreshed[index].slice.endpoints ?? []) + taken
            refreshed[index].changed = true
        }
        for (slice, changed) in refreshed {
            if (slice.endpoints ?? []).isEmpty {
                result.delete.append(slice)
            } else if changed {
                result.update.append(slice)
            } else {
                result.kept.append(slice)
            }
        }
        while !pending.isEmpty {
            let chunk = Array(pending.prefix(maxEndpointsPerSlice))
            pending.removeFirst(chunk.count)
            result.create.append(newSlice(addressType: addressType, ports: group.ports, endpoints: chunk))
        }
        return result
    }
}
