import KubeModel

/// Endpoints: port protocol TCP by default; every subset has addresses, addresses are valid,
/// non-special IPs, ports valid (named when there are several).
struct EndpointsStrategy: ResourceStrategy {
    typealias Object = CoreV1.Endpoints

    func applyDefaults(_ endpoints: inout CoreV1.Endpoints) {
        guard var subsets = endpoints.subsets else { return }
        for index in subsets.indices {
            guard var ports = subsets[index].ports else { continue }
            for portIndex in ports.indices where (ports[portIndex].protocol ?? "").isEmpty { ports[portIndex].protocol = "TCP" }
            subsets[index].ports = ports
        }
        endpoints.subsets = subsets
    }

    func validate(_ endpoints: CoreV1.Endpoints) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, subset) in (endpoints.subsets ?? []).enumerated() {
            let subsetPath = FieldPath("subsets").index(index)
            if (subset.addresses ?? []).isEmpty && (subset.notReadyAddresses ?? []).isEmpty {
                errors.append(.required(subsetPath, "must specify `addresses` or `notReadyAddresses`"))
            }
            for (addresses, name) in [(subset.addresses ?? [], "addresses"), (subset.notReadyAddresses ?? [], "notReadyAddresses")] {
                for (addressIndex, address) in addresses.enumerated() {
                    errors += validateAddress(address, path: subsetPath.child(name).index(addressIndex))
                }
            }
            let ports = subset.ports ?? []
            for (portIndex, port) in ports.enumerated() {
                let portPath = subsetPath.child("ports").index(portIndex)
                let name = port.name ?? ""
                if ports.count > 1 && name.isEmpty {
                    errors.append(.required(portPath.child("name")))
                } else if !name.isEmpty {
                    errors += FieldChecks.dns1123Label(name, portPath.child("name"))
                }
                errors += Validation.isValidPortNumber(port.port).map { .invalid(portPath.child("port"), .int(Int64(port.port)), $0) }
                errors += FieldChecks.requiredOneOf(port.protocol, portPath.child("protocol"), ContainerValidation.supportedProtocols)
                if let appProtocol = port.appProtocol { errors += FieldChecks.qualifiedName(appProtocol, portPath.child("appProtocol")) }
            }
        }
        return errors
    }

    func validateAddress(_ address: CoreV1.EndpointAddress, path: FieldPath) -> [FieldError] {
        var errors = IPChecks.ip(address.ip, path.child("ip"))
        if let hostname = address.hostname, !hostname.isEmpty { errors += FieldChecks.dns1123Label(hostname, path.child("hostname")) }
        if let nodeName = address.nodeName { errors += FieldChecks.dns1123Subdomain(nodeName, path.child("nodeName")) }
        errors += IPChecks.nonSpecial(address.ip, path.child("ip"))
        return errors
    }

    func validateUpdate(_ endpoints: CoreV1.Endpoints, old: CoreV1.Endpoints) -> [FieldError] {
        validate(endpoints)
    }
}
