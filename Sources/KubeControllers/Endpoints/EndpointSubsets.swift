import KubeModel

/// Builds the subsets of an Endpoints object the way upstream's RepackSubsets does: every
/// address (ready or not) goes with every port it serves, and ports that serve the same set of
/// addresses share one subset. Addresses are sorted by IP, ports by name, subsets by their first
/// port, so equal content always encodes the same.
struct EndpointSubsetBuilder {
    private struct Entry {
        var address: CoreV1.EndpointAddress
        var ready: Bool
        var key: String { address.ip + "/" + (address.targetRef?.uid ?? "") }
    }

    /// port key → port and addresses by key.
    private var ports: [String: (port: CoreV1.EndpointPort?, entries: [String: Entry])] = [:]

    /// `port` nil: a headless service without ports publishes addresses only.
    mutating func add(_ address: CoreV1.EndpointAddress, ready: Bool, port: CoreV1.EndpointPort?) {
        let portKey = port.map { "\($0.name ?? "")|\($0.port)|\($0.protocol ?? "")|\($0.appProtocol ?? "")" } ?? ""
        let entry = Entry(address: address, ready: ready)
        var slot = ports[portKey] ?? (port, [:])
        // The same address listed twice is ready if either listing is.
        if let existing = slot.entries[entry.key], existing.ready { return }
        slot.entries[entry.key] = entry
        ports[portKey] = slot
    }

    var addressCount: Int { Set(ports.values.flatMap { $0.entries.keys }).count }

    func subsets() -> [CoreV1.EndpointSubset] {
        // Group ports by the exact set of addresses (and readiness) they serve.
        var groups: [String: (ports: [CoreV1.EndpointPort], entries: [Entry])] = [:]
        for (_, slot) in ports {
            let entries = slot.entries.values.sorted { $0.key < $1.key }
            let signature = entries.map { "\($0.key):\($0.ready)" }.joined(separator: ",")
            var group = groups[signature] ?? ([], entries)
            if let port = slot.port { group.ports.append(port) }
            groups[signature] = group
        }
        let subsets = groups.values.map { group -> CoreV1.EndpointSubset in
            let byIP: (CoreV1.EndpointAddress, CoreV1.EndpointAddress) -> Bool = {
                ($0.ip, $0.targetRef?.uid ?? "") < ($1.ip, $1.targetRef?.uid ?? "")
            }
            let ready = group.entries.filter(\.ready).map(\.address).sorted(by: byIP)
            let notReady = group.entries.filter { !$0.ready }.map(\.address).sorted(by: byIP)
            let ports = group.ports.sorted { ($0.name ?? "", $0.port, $0.protocol ?? "") < ($1.name ?? "", $1.port, $1.protocol ?? "") }
            return CoreV1.EndpointSubset(addresses: ready.isEmpty ? nil : ready,
                                         notReadyAddresses: notReady.isEmpty ? nil : notReady,
                                         ports: ports.isEmpty ? nil : ports)
        }
        return subsets.sorted { Self.sortKey($0) < Self.sortKey($1) }
    }

    private static func sortKey(_ subset: CoreV1.EndpointSubset) -> String {
        let port = subset.ports?.first.map { "\($0.name ?? "")|\($0.port)" } ?? ""
        let address = (subset.addresses ?? subset.notReadyAddresses ?? []).first?.ip ?? ""
        return port + "|" + address
    }
}
