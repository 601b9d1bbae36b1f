import KubeModel

/// Services: DNS-1035 names and upstream's defaults (type, session affinity, port protocol and
/// target port, IP families, traffic policies).
struct ServiceStrategy: ResourceStrategy {
    typealias Object = CoreV1.Service
    var nameValidation: NameValidation { .dns1035Label }

    func applyDefaults(_ service: inout CoreV1.Service) {
        var spec = service.spec
        if spec.type == nil { spec.type = "ClusterIP" }
        if spec.sessionAffinity == nil { spec.sessionAffinity = "None" }
        if spec.type != "ExternalName" {
            if spec.ipFamilies == nil { spec.ipFamilies = ["IPv4"] }
            if spec.ipFamilyPolicy == nil { spec.ipFamilyPolicy = "SingleStack" }
            if spec.internalTrafficPolicy == nil { spec.internalTrafficPolicy = "Cluster" }
        }
        if spec.type == "NodePort" || spec.type == "LoadBalancer", spec.externalTrafficPolicy == nil {
            spec.externalTrafficPolicy = "Cluster"
        }
        if spec.type == "LoadBalancer", spec.allocateLoadBalancerNodePorts == nil { spec.allocateLoadBalancerNodePorts = true }
        if var ports = spec.ports {
            for index in ports.indices {
                if ports[index].protocol == nil { ports[index].protocol = "TCP" }
                if ports[index].targetPort == nil { ports[index].targetPort = .int(ports[index].port) }
            }
            spec.ports = ports
        }
        service.spec = spec
        if service.status.loadBalancer == nil { service.status.loadBalancer = CoreV1.LoadBalancerStatus() }
    }

    func validate(_ service: CoreV1.Service) -> [FieldError] {
        var errors: [FieldError] = []
        let type = service.spec.type ?? "ClusterIP"
        let supported = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
        if !supported.contains(type) {
            errors.append(.notSupported(FieldPath("spec", "type"), .string(type), supported: supported))
        }
        let ports = service.spec.ports ?? []
        if ports.isEmpty, type != "ExternalName", service.spec.clusterIP != "None" {
            errors.append(.required(FieldPath("spec", "ports")))
        }
        var names = Set<String>()
        for (index, port) in ports.enumerated() {
            let path = FieldPath("spec", "ports").index(index)
            for message in Validation.isValidPortNumber(port.port) {
                errors.append(.invalid(path.child("port"), .int(Int64(port.port)), message))
            }
            if ports.count > 1, (port.name ?? "").isEmpty { errors.append(.required(path.child("name"))) }
            if let name = port.name, !name.isEmpty {
                if !names.insert(name).inserted { errors.append(.duplicate(path.child("name"), .string(name))) }
            }
        }
        return errors
    }

    func validateUpdate(_ service: CoreV1.Service, old: CoreV1.Service) -> [FieldError] {
        var errors = validate(service)
        if let oldIP = old.spec.clusterIP, !oldIP.isEmpty, let newIP = service.spec.clusterIP, newIP != oldIP,
            service.spec.type != "ExternalName"
        {
            errors.append(.invalid(FieldPath("spec", "clusterIPs").index(0), .string(newIP), "may not change once set"))
        }
        return errors
    }
}
