import KubeModel
import KubeStore

/// Cluster network defaults shared by the allocator and bootstrap.
public enum ServiceNetwork {
    public static let serviceCIDR = "10.43.0.0/16"
    public static let kubernetesServiceIP = "10.43.0.1"
    public static let clusterDNSIP = "10.43.0.10"
    public static let nodePortRange = 30000...32767
}

/// Allocates Service cluster IPs from 10.43.0.0/16 and node ports from 30000–32767 on create
/// and update, rejects duplicates, and releases them when a Service is deleted. Its state is
/// rebuilt from the stored Services on first use, so it survives restarts.
public actor ServiceAllocator: AdmissionPlugin {
    let store: any Store
    private var usedIPs: Set<UInt32>?
    private var usedPorts: Set<Int> = []
    private var nextIP: UInt32 = 2
    static let base: UInt32 = (10 << 24) | (43 << 16)
    static let size: UInt32 = 1 << 16
    static let keys = StorageKeys(group: "", plural: "services", namespaced: true)

    public init(store: any Store) { self.store = store }

    public func admit(_ attributes: inout AdmissionAttributes) async throws {
        guard attributes.resource.plural == "services", attributes.resource.group.isEmpty,
            attributes.subresource == nil, attributes.operation != .delete, var object = attributes.object
        else { return }
        try await loadIfNeeded()
        let name = attributes.name
        let old = attributes.oldObject
        var spec = object["spec"]?.objectValue ?? [:]
        let type = spec["type"]?.stringValue ?? "ClusterIP"

        // Cluster IP: keep the old one, honour a requested one, or allocate.
        let oldIP = old?[path: ["spec", "clusterIP"]]?.stringValue
        var ip = spec["clusterIP"]?.stringValue ?? ""
        if type == "ExternalName" {
            ip = ""
        } else if ip == "None" {
        } else if let oldIP, !oldIP.isEmpty, ip.isEmpty || ip == oldIP {
            ip = oldIP
        } else if ip.isEmpty {
            ip = try allocateIP(service: name)
        } else {
            guard let value = Self.parse(ip), value & 0xFFFF_0000 == Self.base else {
                throw invalid(name, "spec.clusterIPs", ip, "failed to allocate IP \(ip): the provided IP (\(ip)) is not in the valid range. The range of valid IPs is \(ServiceNetwork.serviceCIDR)")
            }
            if usedIPs!.contains(value) {
                throw invalid(name, "spec.clusterIPs", ip, "failed to allocate IP \(ip): provided IP is already allocated")
            }
            usedIPs!.insert(value)
        }
        if !ip.isEmpty {
            spec["clusterIP"] = .string(ip)
            spec["clusterIPs"] = [.string(ip)]
        }

        // Node ports for NodePort and LoadBalancer services.
        if type == "NodePort" || type == "LoadBalancer", var ports = spec["ports"]?.arrayValue {
            let oldPorts = old?[path: ["spec", "ports"]]?.arrayValue ?? []
            for index in ports.indices {
                var port = ports[index].objectValue ?? [:]
                let requested = port["nodePort"]?.intValue.map(Int.init) ?? 0
                let previous = oldPorts.compactMap { $0["nodePort"]?.intValue.map(Int.init) }
                if requested == 0 {
                    port["nodePort"] = .int(Int64(try allocatePort(service: name)))
                } else if !previous.contains(requested) {
                    guard ServiceNetwork.nodePortRange.contains(requested) else {
                        throw invalid(name, "spec.ports[\(index)].nodePort", String(requested),
                                      "provided port is not in the valid range. The range of valid ports is 30000-32767")
                    }
                    guard !usedPorts.contains(requested) else {
                        throw invalid(name, "spec.ports[\(index)].nodePort", String(requested), "provided port is already allocated")
                    }
                    usedPorts.insert(requested)
                }
                ports[index] = .object(port)
            }
            spec["ports"] = .array(ports)
        }
        object["spec"] = .object(spec)
        attributes.object = object
    }

    public func finished(_ attributes: AdmissionAttributes, committed: Bool) async {
        guard attributes.resource.plural == "services", attributes.resource.group.isEmpty, usedIPs != nil else { return }
        // Release what the write no longer holds: everything of a deleted Service, what a failed
        // create reserved, and what an update dropped.
        let kept = committed ? (attributes.operation == .delete ? nil : attributes.object) : attributes.oldObject
        let released = [attributes.object, attributes.oldObject].compactMap { $0 }
        for object in released {
            if let ip = object[path: ["spec", "clusterIP"]]?.stringValue, ip != kept?[path: ["spec", "clusterIP"]]?.stringValue,
                let value = Self.parse(ip)
            {
                usedIPs!.remove(value)
            }
            let keptPorts = Set((kept?[path: ["spec", "ports"]]?.arrayValue ?? []).compactMap { $0["nodePort"]?.intValue.map(Int.init) })
            for port in object[path: ["spec", "ports"]]?.arrayValue ?? [] {
                if let nodePort = port["nodePort"]?.intValue.map(Int.init), !keptPorts.contains(nodePort) { usedPorts.remove(nodePort) }
            }
        }
    }

    private func loadIfNeeded() async throws {
        guard usedIPs == nil else { return }
        var ips: Set<UInt32> = [Self.base]  // the network address is never handed out
        for kv in try await store.list(prefix: Self.keys.prefix, startAfter: nil, limit: nil, atRevision: nil).items {
            guard let object = try? JSONParser.parse(kv.value) else { continue }
            if let ip = object[path: ["spec", "clusterIP"]]?.stringValue.flatMap(Self.parse) { ips.insert(ip) }
            for port in object[path: ["spec", "ports"]]?.arrayValue ?? [] {
                if let nodePort = port["nodePort"]?.intValue { usedPorts.insert(Int(nodePort)) }
            }
        }
        usedIPs = ips
    }

    private func allocateIP(service: String) throws -> String {
        for _ in 0..<Self.size {
            let candidate = Self.base | (nextIP & 0xFFFF)
            nextIP = nextIP &+ 1
            // Skip the network and broadcast addresses and the DNS service's address.
            let host = candidate & 0xFFFF
            if host == 0 || host == 0xFFFF || Self.format(candidate) == ServiceNetwork.clusterDNSIP { continue }
            if !usedIPs!.contains(candidate) {
                usedIPs!.insert(candidate)
                return Self.format(candidate)
            }
        }
        throw APIError.internal("failed to allocate a serviceIP: range is full")
    }

    private func allocatePort(service: String) throws -> Int {
        let candidates = Array(ServiceNetwork.nodePortRange).shuffled()
        guard let port = candidates.first(where: { !usedPorts.contains($0) }) else {
            throw APIError.internal("failed to allocate a nodePort: range is full")
        }
        usedPorts.insert(port)
        return port
    }

    private func invalid(_ name: String, _ field: String, _ value: String, _ detail: String) -> APIError {
        APIError.invalid(kind: CoreV1.Service.groupVersionKind, name: name,
                         errors: [FieldError(type: .invalid, field: FieldPath(stringLiteral: field), badValue: .string(value), detail: detail)])
    }

    static func parse(_ ip: String) -> UInt32? {
        let parts = ip.split(separator: ".").compactMap { UInt32($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 < 256 }) else { return nil }
        return parts.reduce(0) { $0 << 8 | $1 }
    }

    static func format(_ value: UInt32) -> String {
        "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
    }
}
