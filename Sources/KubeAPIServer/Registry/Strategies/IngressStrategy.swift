import KubeModel

/// Ingresses (networking/v1): rules or a default backend; hosts are DNS names (wildcards
/// allowed), paths need a pathType and, for Exact and Prefix, a clean absolute path; each
/// backend is a service (name and port name or number) or a resource, not both; TLS hosts and
/// secret names are valid.
struct IngressStrategy: ResourceStrategy {
    typealias Object = NetworkingV1.Ingress
    var tracksGeneration: Bool { true }

    static let pathTypes = ["Exact", "ImplementationSpecific", "Prefix"]
    static let invalidSequences = ["//", "/./", "/../", "%2f", "%2F"]
    static let invalidSuffixes = ["/..", "/."]

    func validate(_ ingress: NetworkingV1.Ingress) -> [FieldError] {
        let spec = ingress.spec
        let path = FieldPath("spec")
        var errors: [FieldError] = []
        let rules = spec.rules ?? []
        if rules.isEmpty && spec.defaultBackend == nil {
            errors.append(.invalid(path, .rendered("[]networking.IngressRule(nil)"), "either `defaultBackend` or `rules` must be specified"))
        }
        if let backend = spec.defaultBackend { errors += validateBackend(backend, path: path.child("defaultBackend")) }
        for (index, rule) in rules.enumerated() {
            let rulePath = path.child("rules").index(index)
            if let host = rule.host, !host.isEmpty {
                if IPAddress(host) != nil {
                    errors.append(.invalid(rulePath.child("host"), .string(host), "must be a DNS name, not an IP address"))
                }
                let messages = host.contains("*") ? Validation.isWildcardDNS1123Subdomain(host) : Validation.isDNS1123Subdomain(host)
                errors += messages.map { .invalid(rulePath.child("host"), .string(host), $0) }
            }
            if let http = rule.http {
                let pathsPath = rulePath.child("http", "paths")
                if http.paths.isEmpty { errors.append(.required(pathsPath)) }
                for (pathIndex, ingressPath) in http.paths.enumerated() {
                    errors += validatePath(ingressPath, path: pathsPath.index(pathIndex))
                }
            }
        }
        for (index, tls) in (spec.tls ?? []).enumerated() {
            let tlsPath = path.child("tls").index(index)
            for (hostIndex, host) in (tls.hosts ?? []).enumerated() {
                let messages = host.contains("*") ? Validation.isWildcardDNS1123Subdomain(host) : Validation.isDNS1123Subdomain(host)
                errors += messages.map { .invalid(tlsPath.child("hosts").index(hostIndex), .string(host), $0) }
            }
            if let secretName = tls.secretName, !secretName.isEmpty {
                errors += FieldChecks.dns1123Subdomain(secretName, tlsPath.child("secretName"))
            }
        }
        if let className = spec.ingressClassName { errors += FieldChecks.dns1123Subdomain(className, path.child("ingressClassName")) }
        return errors
    }

    func validatePath(_ ingressPath: NetworkingV1.HTTPIngressPath, path: FieldPath) -> [FieldError] {
        let value = ingressPath.path ?? ""
        var errors: [FieldError] = []
        switch ingressPath.pathType {
        case "":
            return [.required(path.child("pathType"), "pathType must be specified")]
        case "Exact", "Prefix":
            if !value.hasPrefix("/") { errors.append(.invalid(path.child("path"), .string(value), "must be an absolute path")) }
            if !value.isEmpty {
                for sequence in Self.invalidSequences where value.contains(sequence) {
                    errors.append(.invalid(path.child("path"), .string(value), "must not contain '\(sequence)'"))
                }
                for suffix in Self.invalidSuffixes where value.hasSuffix(suffix) {
                    errors.append(.invalid(path.child("path"), .string(value), "cannot end with '\(suffix)'"))
                }
            }
        case "ImplementationSpecific":
            if !value.isEmpty && !value.hasPrefix("/") {
                errors.append(.invalid(path.child("path"), .string(value), "must be an absolute path"))
            }
        default:
            errors.append(.notSupported(path.child("pathType"), .string(ingressPath.pathType), supported: Self.pathTypes))
        }
        return errors + validateBackend(ingressPath.backend, path: path.child("backend"))
    }

    func validateBackend(_ backend: NetworkingV1.IngressBackend, path: FieldPath) -> [FieldError] {
        switch (backend.service, backend.resource) {
        case (.some, .some):
            return [.invalid(path, "", "cannot set both resource and service backends")]
        case (nil, .some(let resource)):
            var errors: [FieldError] = []
            if resource.kind.isEmpty { errors.append(.required(path.child("resource", "kind"))) }
            if resource.name.isEmpty { errors.append(.required(path.child("resource", "name"))) }
            if let group = resource.apiGroup, !group.isEmpty {
                errors += FieldChecks.dns1123Subdomain(group, path.child("resource", "apiGroup"))
            }
            return errors
        case (.some(let service), nil):
            var errors: [FieldError] = []
            let namePath = path.child("service", "name")
            if service.name.isEmpty {
                errors.append(.required(namePath))
            } else {
                errors += FieldChecks.dns1035Label(service.name, namePath)
            }
            let portName = service.port?.name ?? ""
            let portNumber = service.port?.number ?? 0
            if !portName.isEmpty && portNumber != 0 {
                errors.append(.invalid(path, "", "cannot set both port name & port number"))
            } else if !portName.isEmpty {
                errors += Validation.isValidPortName(portName).map { .invalid(path.child("service", "port", "name"), .string(portName), $0) }
            } else if portNumber != 0 {
                errors += Validation.isValidPortNumber(portNumber).map {
                    .invalid(path.child("service", "port", "number"), .int(Int64(portNumber)), $0)
                }
            } else {
                errors.append(.required(path, "port name or number is required"))
            }
            return errors
        case (nil, nil):
            return [.invalid(path, "", "resource or service backend is required")]
        }
    }

    func validateUpdate(_ ingress: NetworkingV1.Ingress, old: NetworkingV1.Ingress) -> [FieldError] {
        validate(ingress)
    }
}
