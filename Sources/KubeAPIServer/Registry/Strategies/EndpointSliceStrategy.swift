import KubeModel

/// EndpointSlices (discovery/v1): ports named "" and TCP by default; a supported address type
/// that never changes, addresses of that type, valid unique ports.
struct EndpointSliceStrategy: ResourceStrategy {
    typealias Object = DiscoveryV1.EndpointSlice

    static let addressTypes = ["FQDN", "IPv4", "IPv6"]
    static let maxEndpoints = 1000
    static let maxAddresses = 100
    static let maxPorts = 20000

    func applyDefaults(_ slice: inout DiscoveryV1.EndpointSlice) {
        guard var ports = slice.ports else { return }
        for index in ports.indices {
            if ports[index].name == nil { ports[index].name = "" }
            if ports[index].protocol == nil { ports[index].protocol = "TCP" }
        }
        slice.ports = ports
    }

    func validate(_ slice: DiscoveryV1.EndpointSlice) -> [FieldError] {
        var errors = FieldChecks.requiredOneOf(slice.addressType, FieldPath("addressType"), Self.addressTypes)
        let endpointsPath = FieldPath("endpoints")
        let endpoints = slice.endpoints ?? []
        if endpoints.count > Self.maxEndpoints {
            errors.append(.tooMany(endpointsPath, actual: endpoints.count, max: Self.maxEndpoints))
        }
        for (index, endpoint) in endpoints.enumerated() {
            let endpointPath = endpointsPath.index(index)
            let addressesPath = endpointPath.child("addresses")
            if endpoint.addresses.isEmpty {
                errors.append(.required(addressesPath, "must contain at least 1 address"))
            } else if endpoint.addresses.count > Self.maxAddresses {
                errors.append(.tooMany(addressesPath, actual: endpoint.addresses.count, max: Self.maxAddresses))
            }
            for (addressIndex, address) in endpoint.addresses.enumerated() {
                errors += validateAddress(address, type: slice.addressType, path: addressesPath.index(addressIndex))
            }
            if let nodeName = endpoint.nodeName { errors += FieldChecks.dns1123Subdomain(nodeName, endpointPath.child("nodeName")) }
            if let hostname = endpoint.hostname { errors += FieldChecks.dns1123Label(hostname, endpointPath.child("hostname")) }
        }
        let portsPath = FieldPath("ports")
        let ports = slice.ports ?? []
        if ports.count > Self.maxPorts { return errors + [.tooMany(portsPath, actual: ports.count, max: Self.maxPorts)] }
        var names = Set<String>()
        for (index, port) in ports.enumerated() {
            let portPath = portsPath.index(index)
            let name = port.name ?? ""
            if !name.isEmpty { errors += FieldChecks.dns1123Label(name, portPath.child("name")) }
            if !names.insert(name).inserted { errors.append(.duplicate(portPath.child("name"), .string(name))) }
            if port.protocol == nil {
                errors.append(.required(portPath.child("protocol")))
            } else {
                errors += FieldChecks.oneOf(port.protocol, portPath.child("protocol"), ContainerValidation.supportedProtocols)
            }
            if let appProtocol = port.appProtocol { errors += FieldChecks.qualifiedName(appProtocol, portPath.child("appProtocol")) }
        }
        return errors
    }

    func validateAddress(_ address: String, type: String, path: FieldPath) -> [FieldError] {
        switch type {
        case "IPv4":
            guard let parsed = IPAddress(address), parsed.isIPv4, !address.contains(":") else {
                return [.invalid(path, .string(address), "must be a valid IPv4 address")]
            }
            return IPChecks.nonSpecial(address, path)
        case "IPv6":
            guard address.contains(":"), IPAddress(address) != nil else {
                return [.invalid(path, .string(address), "must be a valid IPv6 address")]
            }
            return IPChecks.nonSpecial(address, path)
        case "FQDN":
            return FieldChecks.dns1123Subdomain(address, path)
        default:
            return []
        }
    }

    func validateUpdate(_ slice: DiscoveryV1.EndpointSlice, old: DiscoveryV1.EndpointSlice) -> [FieldError] {
        validate(slice) + FieldChecks.immutable(slice.addressType, old.addressType, FieldPath("addressType"), shown: .string(slice.addressType))
    }
}
