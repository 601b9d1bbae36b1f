import KubeModel

/// Services: DNS-1035 names; upstream's defaults (type, session affinity, port protocol and
/// target port, traffic policies, and the IP family fields upstream's allocator fills on a
/// single-stack IPv4 cluster); clusterIP/clusterIPs kept in step and allocated values kept on
/// update; fields a new type no longer uses dropped; ValidateService and ValidateServiceUpdate.
/// Cluster IPs and node ports are allocated after validation, by the ServiceAllocator
/// admission plugin.
struct ServiceStrategy: ResourceStrategy {
    typealias Object = CoreV1.Service
    var nameValidation: NameValidation { .dns1035Label }

    static let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
    static let defaultClientIPTimeout = 10800
    static let maxClientIPTimeout = 86400
    static let kubeletPort = 10250

    func applyDefaults(_ service: inout CoreV1.Service) {
        var spec = service.spec
        if (spec.sessionAffinity ?? "").isEmpty { spec.sessionAffinity = "None" }
        if spec.sessionAffinity == "None" { spec.sessionAffinityConfig = nil }
        if spec.sessionAffinity == "ClientIP", spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == nil {
            spec.sessionAffinityConfig = CoreV1.SessionAffinityConfig(clientIP: CoreV1.ClientIPConfig(timeoutSeconds: Self.defaultClientIPTimeout))
        }
        if (spec.type ?? "").isEmpty { spec.type = "ClusterIP" }
        if var ports = spec.ports {
            for index in ports.indices {
                if (ports[index].protocol ?? "").isEmpty { ports[index].protocol = "TCP" }
                if ports[index].targetPort == nil || ports[index].targetPort == .int(0) || ports[index].targetPort == .string("") {
                    ports[index].targetPort = .int(ports[index].port)
                }
            }
            spec.ports = ports
        }
        if Self.externallyAccessible(spec), (spec.externalTrafficPolicy ?? "").isEmpty { spec.externalTrafficPolicy = "Cluster" }
        if spec.internalTrafficPolicy == nil, ["NodePort", "LoadBalancer", "ClusterIP"].contains(spec.type ?? "") {
            spec.internalTrafficPolicy = "Cluster"
        }
        if spec.type == "LoadBalancer", spec.allocateLoadBalancerNodePorts == nil { spec.allocateLoadBalancerNodePorts = true }
        if spec.type != "ExternalName" {
            // What the allocator decides on a single-stack IPv4 cluster.
            if spec.ipFamilyPolicy == nil {
                spec.ipFamilyPolicy = Self.isHeadless(spec) && (spec.selector ?? [:]).isEmpty ? "RequireDualStack" : "SingleStack"
            }
            if (spec.ipFamilies ?? []).isEmpty {
                let first = (spec.clusterIPs ?? []).first.flatMap(IPAddress.init)
                spec.ipFamilies = [first.map { $0.isIPv4 ? "IPv4" : "IPv6" } ?? "IPv4"]
            }
        }
        service.spec = spec
        if service.status.loadBalancer == nil { service.status.loadBalancer = CoreV1.LoadBalancerStatus() }
    }

    func prepareForCreate(_ service: inout CoreV1.Service) {
        // An old client sets only the singular field.
        if let ip = service.spec.clusterIP, !ip.isEmpty, (service.spec.clusterIPs ?? []).isEmpty {
            service.spec.clusterIPs = [ip]
        }
    }

    func prepareForUpdate(_ service: inout CoreV1.Service, old: CoreV1.Service) {
        applyDefaults(&service)
        Self.patchAllocatedValues(&service.spec, old: old.spec)
        Self.normalizeClusterIPs(&service.spec, old: old.spec)
        Self.dropTypeDependentFields(&service, old: old)
    }

    // MARK: Update preparation

    static func needsClusterIP(_ spec: CoreV1.ServiceSpec) -> Bool { spec.type != "ExternalName" }
    static func needsNodePort(_ spec: CoreV1.ServiceSpec) -> Bool { spec.type == "NodePort" || spec.type == "LoadBalancer" }
    static func needsHealthCheckNodePort(_ spec: CoreV1.ServiceSpec) -> Bool {
        spec.type == "LoadBalancer" && spec.externalTrafficPolicy == "Local"
    }

    static func externallyAccessible(_ spec: CoreV1.ServiceSpec) -> Bool {
        needsNodePort(spec) || (spec.type == "ClusterIP" && !(spec.externalIPs ?? []).isEmpty)
    }

    static func isHeadless(_ spec: CoreV1.ServiceSpec) -> Bool {
        spec.clusterIP == "None" || spec.clusterIPs == ["None"]
    }

    /// Values allocated before that a client left out (for idempotent replaces).
    static func patchAllocatedValues(_ spec: inout CoreV1.ServiceSpec, old: CoreV1.ServiceSpec) {
        if needsClusterIP(old) && needsClusterIP(spec) {
            if (spec.clusterIP ?? "").isEmpty { spec.clusterIP = old.clusterIP }
            if (spec.clusterIPs ?? []).isEmpty, !(old.clusterIPs ?? []).isEmpty { spec.clusterIPs = old.clusterIPs }
        }
        if needsNodePort(old) && needsNodePort(spec), var ports = spec.ports {
            let oldUsed = Set((old.ports ?? []).compactMap { $0.nodePort }.filter { $0 != 0 })
            let newUsed = Set(ports.compactMap { $0.nodePort }.filter { $0 != 0 })
            let used = oldUsed.intersection(newUsed)
            var byName: [String: Int] = [:]
            for port in old.ports ?? [] { byName[port.name ?? ""] = port.nodePort ?? 0 }
            for index in ports.indices where (ports[index].nodePort ?? 0) == 0 {
                if let previous = byName[ports[index].name ?? ""], previous != 0, !used.contains(previous) {
                    ports[index].nodePort = previous
                }
            }
            spec.ports = ports
        }
        if needsHealthCheckNodePort(old) && needsHealthCheckNodePort(spec), (spec.healthCheckNodePort ?? 0) == 0 {
            spec.healthCheckNodePort = old.healthCheckNodePort
        }
    }

    /// clusterIP and clusterIPs in step when a client changed only the singular field.
    static func normalizeClusterIPs(_ spec: inout CoreV1.ServiceSpec, old: CoreV1.ServiceSpec) {
        guard let ip = spec.clusterIP, !ip.isEmpty else { return }
        if ip != old.clusterIP, (spec.clusterIPs ?? []) == (old.clusterIPs ?? []) {
            spec.clusterIPs = [ip]
        } else if (spec.clusterIPs ?? []).isEmpty {
            spec.clusterIPs = [ip]
        }
    }

    /// Upstream's dropTypeDependentFields: what the old type set up and the client left
    /// unchanged goes when the new type has no use for it.
    static func dropTypeDependentFields(_ service: inout CoreV1.Service, old: CoreV1.Service) {
        var spec = service.spec
        let oldSpec = old.spec
        if needsClusterIP(oldSpec) && !needsClusterIP(spec) {
            if spec.clusterIP == oldSpec.clusterIP && spec.clusterIPs == oldSpec.clusterIPs {
                spec.clusterIP = nil
                spec.clusterIPs = nil
            }
            if spec.ipFamilies == oldSpec.ipFamilies { spec.ipFamilies = nil }
            if spec.ipFamilyPolicy == oldSpec.ipFamilyPolicy { spec.ipFamilyPolicy = nil }
        }
        if needsNodePort(oldSpec) && !needsNodePort(spec) {
            if (spec.ports ?? []).map({ $0.nodePort ?? 0 }) == (oldSpec.ports ?? []).map({ $0.nodePort ?? 0 }), var ports = spec.ports {
                for index in ports.indices { ports[index].nodePort = nil }
                spec.ports = ports
            }
            if needsHealthCheckNodePort(oldSpec) && !needsHealthCheckNodePort(spec), spec.healthCheckNodePort == oldSpec.healthCheckNodePort {
                spec.healthCheckNodePort = nil
            }
        }
        if oldSpec.type == "LoadBalancer" && spec.type != "LoadBalancer" {
            if spec.allocateLoadBalancerNodePorts != nil, spec.allocateLoadBalancerNodePorts == oldSpec.allocateLoadBalancerNodePorts {
                spec.allocateLoadBalancerNodePorts = nil
            }
            if spec.loadBalancerClass == oldSpec.loadBalancerClass { spec.loadBalancerClass = nil }
        }
        if externallyAccessible(oldSpec) && !externallyAccessible(spec), spec.externalTrafficPolicy == oldSpec.externalTrafficPolicy {
            spec.externalTrafficPolicy = nil
        }
        if spec.type != "LoadBalancer" { service.status.loadBalancer = CoreV1.LoadBalancerStatus() }
        service.spec = spec
    }

    // MARK: Validation

    func validate(_ service: CoreV1.Service) -> [FieldError] {
        let spec = service.spec
        let specPath = FieldPath("spec")
        let portsPath = specPath.child("ports")
        let type = spec.type ?? ""
        let ports = spec.ports ?? []
        let headless = Self.isHeadless(spec)
        var errors: [FieldError] = []
        if ports.isEmpty && !headless && type != "ExternalName" { errors.append(.required(portsPath)) }
        switch type {
        case "LoadBalancer", "NodePort":
            if headless {
                errors.append(.invalid(specPath.child("clusterIPs").index(0), "None", "may not be set to 'None' for \(type) services"))
            }
            if type == "LoadBalancer" {
                for (index, port) in ports.enumerated() where port.port == Self.kubeletPort {
                    errors.append(.invalid(portsPath.index(index), .int(Int64(port.port)),
                                           "may not expose port \(Self.kubeletPort) externally since it is used by kubelet"))
                }
            }
        case "ExternalName":
            if !(spec.clusterIPs ?? []).isEmpty {
                errors.append(.forbidden(specPath.child("clusterIPs"), "may not be set for ExternalName services"))
            }
            if !(spec.ipFamilies ?? []).isEmpty {
                errors.append(.forbidden(specPath.child("ipFamilies"), "may not be set for ExternalName services"))
            }
            if spec.ipFamilyPolicy != nil {
                errors.append(.forbidden(specPath.child("ipFamilyPolicy"), "may not be set for ExternalName services"))
            }
            // The value (a CNAME) may end with a dot.
            var name = spec.externalName ?? ""
            if name.hasSuffix(".") { name.removeLast() }
            if name.isEmpty {
                errors.append(.required(specPath.child("externalName")))
            } else {
                errors += FieldChecks.dns1123Subdomain(name, specPath.child("externalName"))
            }
        default:
            break
        }
        var names = Set<String>()
        for (index, port) in ports.enumerated() {
            errors += validatePort(port, requireName: ports.count > 1, names: &names, path: portsPath.index(index))
        }
        if let selector = spec.selector { errors += Validation.validateLabels(selector, path: specPath.child("selector")) }
        errors += validateSessionAffinity(spec, path: specPath)
        errors += validateClusterIPs(spec, path: specPath)
        for (index, ip) in (spec.externalIPs ?? []).enumerated() {
            let ipPath = specPath.child("externalIPs").index(index)
            let invalid = IPChecks.ip(ip, ipPath)
            errors += invalid.isEmpty ? IPChecks.nonSpecial(ip, ipPath) : invalid
        }
        errors += FieldChecks.requiredOneOf(type, specPath.child("type"), Self.types)
        if type == "ClusterIP" {
            for (index, port) in ports.enumerated() where (port.nodePort ?? 0) != 0 {
                errors.append(.forbidden(portsPath.index(index).child("nodePort"), "may not be used when `type` is 'ClusterIP'"))
            }
        }
        var nodePorts = Set<String>()
        for (index, port) in ports.enumerated() {
            guard let nodePort = port.nodePort, nodePort != 0 else { continue }
            if !nodePorts.insert("\(port.protocol ?? "")/\(nodePort)").inserted {
                errors.append(.duplicate(portsPath.index(index).child("nodePort"), .int(Int64(nodePort))))
            }
        }
        var servicePorts = Set<String>()
        for (index, port) in ports.enumerated() where !servicePorts.insert("\(port.protocol ?? "")/\(port.port)").inserted {
            errors.append(.duplicate(portsPath.index(index), .rendered(Self.portKeyText(port))))
        }
        let sourceRanges = spec.loadBalancerSourceRanges ?? []
        if !sourceRanges.isEmpty {
            let rangesPath = specPath.child("LoadBalancerSourceRanges")
            if type != "LoadBalancer" {
                errors.append(.forbidden(rangesPath, "may only be used when `type` is 'LoadBalancer'"))
            }
            for (index, range) in sourceRanges.enumerated() {
                errors += IPChecks.cidr(range.trimmingASCIISpaces(), rangesPath.index(index))
            }
        }
        if spec.allocateLoadBalancerNodePorts != nil && type != "LoadBalancer" {
            errors.append(.forbidden(specPath.child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'"))
        }
        if type == "LoadBalancer" && spec.allocateLoadBalancerNodePorts == nil {
            errors.append(.required(FieldPath("allocateLoadBalancerNodePorts")))
        }
        if let loadBalancerClass = spec.loadBalancerClass {
            if type != "LoadBalancer" {
                errors.append(.forbidden(specPath.child("loadBalancerClass"), "may only be used when `type` is 'LoadBalancer'"))
            } else {
                errors += FieldChecks.qualifiedName(loadBalancerClass, specPath.child("loadBalancerClass"))
            }
        }
        errors += validateTrafficPolicies(spec, path: specPath)
        return errors
    }

    func validatePort(_ port: CoreV1.ServicePort, requireName: Bool, names: inout Set<String>, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let name = port.name ?? ""
        if requireName && name.isEmpty {
            errors.append(.required(path.child("name")))
        } else if !name.isEmpty {
            errors += FieldChecks.dns1123Label(name, path.child("name"))
            if !names.insert(name).inserted { errors.append(.duplicate(path.child("name"), .string(name))) }
        }
        errors += Validation.isValidPortNumber(port.port).map { .invalid(path.child("port"), .int(Int64(port.port)), $0) }
        errors += FieldChecks.requiredOneOf(port.protocol, path.child("protocol"), ContainerValidation.supportedProtocols)
        errors += ContainerValidation.portNumberOrName(port.targetPort, path.child("targetPort"))
        if let appProtocol = port.appProtocol { errors += FieldChecks.qualifiedName(appProtocol, path.child("appProtocol")) }
        return errors
    }

    /// Go's `%#v` of the (protocol, port) key upstream reports duplicates with.
    static func portKeyText(_ port: CoreV1.ServicePort) -> String {
        "core.ServicePort{Name:\"\", Protocol:\(GoValueText.quote(port.protocol ?? "")), AppProtocol:(*string)(nil), "
            + "Port:\(port.port), TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"
    }

    func validateSessionAffinity(_ spec: CoreV1.ServiceSpec, path: FieldPath) -> [FieldError] {
        var errors = FieldChecks.requiredOneOf(spec.sessionAffinity, path.child("sessionAffinity"), ["ClientIP", "None"])
        let configPath = path.child("sessionAffinityConfig")
        switch spec.sessionAffinity {
        case "ClientIP":
            let reason = "when session affinity type is ClientIP"
            guard let config = spec.sessionAffinityConfig else { return errors + [.required(configPath, reason)] }
            guard let clientIP = config.clientIP else { return errors + [.required(configPath.child("clientIP"), reason)] }
            let timeoutPath = configPath.child("clientIP", "timeoutSeconds")
            guard let timeout = clientIP.timeoutSeconds else { return errors + [.required(timeoutPath, reason)] }
            if timeout <= 0 || timeout > Self.maxClientIPTimeout {
                errors.append(.invalid(timeoutPath, .int(Int64(timeout)), "must be greater than 0 and less than \(Self.maxClientIPTimeout)"))
            }
        case "None":
            if spec.sessionAffinityConfig != nil {
                errors.append(.forbidden(configPath, "must not be set when session affinity is None"))
            }
        default:
            break
        }
        return errors
    }

    /// ValidateServiceClusterIPsRelatedFields (for a cluster that allocates IPv4).
    func validateClusterIPs(_ spec: CoreV1.ServiceSpec, path: FieldPath) -> [FieldError] {
        if spec.type == "ExternalName" { return [] }
        var errors: [FieldError] = []
        let clusterIPsPath = path.child("clusterIPs")
        let clusterIPs = spec.clusterIPs ?? []
        if let ip = spec.clusterIP, !ip.isEmpty {
            if clusterIPs.isEmpty {
                errors.append(.required(clusterIPsPath))
            } else if clusterIPs[0] != ip {
                errors.append(.invalid(clusterIPsPath, .strings(clusterIPs), "first value must match `clusterIP`"))
            }
        } else if !clusterIPs.isEmpty {
            errors.append(.invalid(clusterIPsPath, .strings(clusterIPs), "must be empty when `clusterIP` is not specified"))
        }
        var seen = Set<String>()
        for (index, family) in (spec.ipFamilies ?? []).enumerated() {
            errors += FieldChecks.oneOf(family, path.child("ipFamilies").index(index), ["IPv4", "IPv6"])
            if !seen.insert(family).inserted { errors.append(.duplicate(path.child("ipFamilies").index(index), .string(family))) }
        }
        errors += FieldChecks.oneOf(spec.ipFamilyPolicy, path.child("ipFamilyPolicy"), ["PreferDualStack", "RequireDualStack", "SingleStack"])
        for (index, ip) in clusterIPs.enumerated() {
            if index == 0 && ip == "None" {
                if clusterIPs.count > 1 {
                    errors.append(.invalid(clusterIPsPath, .strings(clusterIPs), "'None' must be the first and only value"))
                }
                continue
            }
            let ipErrors = IPChecks.ip(ip, clusterIPsPath.index(index))
            errors += ipErrors
            if ipErrors.isEmpty, let address = IPAddress(ip), let families = spec.ipFamilies, index < families.count {
                let family = address.isIPv4 ? "IPv4" : "IPv6"
                if family != families[index] {
                    errors.append(.invalid(clusterIPsPath.index(index), .string(ip),
                                           "expected an \(families[index]) value as indicated by `ipFamilies[\(index)]`"))
                }
            }
        }
        if clusterIPs.count > 2 {
            errors.append(.invalid(clusterIPsPath, .strings(clusterIPs), "may only hold up to 2 values"))
        }
        if spec.ipFamilyPolicy == "SingleStack" {
            if (spec.ipFamilies ?? []).count > 1 {
                errors.append(.invalid(path.child("ipFamilies"), .strings(spec.ipFamilies),
                                       "when multiple IP families are specified, the `ipFamilyPolicy` must be 'PreferDualStack' or 'RequireDualStack'"))
            }
            if clusterIPs.count > 1 {
                errors.append(.invalid(clusterIPsPath, .strings(clusterIPs),
                                       "when multiple IPs are specified, the `ipFamilyPolicy` must be 'PreferDualStack' or 'RequireDualStack'"))
            }
        }
        return errors
    }

    func validateTrafficPolicies(_ spec: CoreV1.ServiceSpec, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let external = spec.externalTrafficPolicy ?? ""
        if !Self.externallyAccessible(spec) {
            if !external.isEmpty {
                errors.append(.invalid(path.child("externalTrafficPolicy"), .string(external), "may only be set for externally-accessible services"))
            }
        } else {
            errors += FieldChecks.requiredOneOf(external, path.child("externalTrafficPolicy"), ["Cluster", "Local"])
        }
        if let healthCheck = spec.healthCheckNodePort, healthCheck != 0, !Self.needsHealthCheckNodePort(spec) {
            errors.append(.invalid(path.child("healthCheckNodePort"), .int(Int64(healthCheck)),
                                   "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
        }
        if spec.internalTrafficPolicy == nil, ["NodePort", "LoadBalancer", "ClusterIP"].contains(spec.type ?? "") {
            errors.append(.required(path.child("internalTrafficPolicy"), "must be specified when `type` is 'ClusterIP', 'NodePort', or 'LoadBalancer'"))
        }
        errors += FieldChecks.oneOf(spec.internalTrafficPolicy, path.child("internalTrafficPolicy"), ["Cluster", "Local"])
        errors += FieldChecks.oneOf(spec.trafficDistribution, path.child("trafficDistribution"), ["PreferClose", "PreferSameNode", "PreferSameZone"])
        return errors
    }

    func validateUpdate(_ service: CoreV1.Service, old: CoreV1.Service) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = service.spec
        let oldSpec = old.spec
        if spec.type != "ExternalName" && oldSpec.type != "ExternalName" {
            let oldIPs = oldSpec.clusterIPs ?? []
            let newIPs = spec.clusterIPs ?? []
            if let oldFirst = oldIPs.first, let newFirst = newIPs.first, oldFirst != newFirst {
                errors.append(.invalid(FieldPath("spec", "clusterIPs").index(0), .strings(newIPs), "may not change once set"))
            }
            if let oldFamily = oldSpec.ipFamilies?.first, let newFamily = spec.ipFamilies?.first, oldFamily != newFamily {
                errors.append(.invalid(FieldPath("spec", "ipFamilies").index(0), .string(newFamily), "may not change once set"))
            }
        }
        if oldSpec.type == "LoadBalancer", spec.type == "LoadBalancer", let oldClass = oldSpec.loadBalancerClass,
            spec.loadBalancerClass != oldClass
        {
            errors.append(.invalid(FieldPath("spec", "loadBalancerClass"), FieldChecks.optionalStringValue(spec.loadBalancerClass),
                                   "may not change once set"))
        }
        return errors + validate(service)
    }
}
