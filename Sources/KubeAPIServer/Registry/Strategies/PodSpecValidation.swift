import Foundation
import KubeModel

/// Upstream's ValidatePodSpec (pkg/apis/core/validation): the rules every PodSpec must meet,
/// whether in a Pod or in a workload's template, with upstream's field paths and messages.
struct PodSpecValidator {
    /// Whether the spec belongs to a Pod (host ports are defaulted there) or to a template.
    var isPod = false
    /// Volumes pods will have beyond spec.volumes: a StatefulSet's volumeClaimTemplates.
    var claimTemplateVolumes: [String] = []

    static let maxInt32 = 2_147_483_647

    func validate(_ spec: CoreV1.PodSpec, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if spec.terminationGracePeriodSeconds == nil {
            errors.append(.required(path.child("terminationGracePeriodSeconds")))
        }
        let (volumes, volumeErrors) = VolumeValidation.validateVolumes(spec.volumes ?? [], path: path.child("volumes"))
        errors += volumeErrors
        var knownVolumes = volumes
        for name in claimTemplateVolumes where knownVolumes[name] == nil {
            knownVolumes[name] = CoreV1.Volume(name: name, persistentVolumeClaim: CoreV1.PersistentVolumeClaimVolumeSource(claimName: name))
        }
        let containerChecks = ContainerValidation(volumes: knownVolumes, gracePeriod: spec.terminationGracePeriodSeconds)
        errors += containerChecks.validateContainers(spec.containers, path: path.child("containers"))
        errors += containerChecks.validateInitContainers(spec.initContainers ?? [], regular: spec.containers,
                                                         path: path.child("initContainers"))
        errors += FieldChecks.requiredOneOf(spec.restartPolicy, path.child("restartPolicy"), ["Always", "OnFailure", "Never"])
        errors += FieldChecks.requiredOneOf(spec.dnsPolicy, path.child("dnsPolicy"),
                                            ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"])
        errors += Validation.validateLabels(spec.nodeSelector ?? [:], path: path.child("nodeSelector"))
        errors += validateSecurityContext(spec, path: path)
        errors += PodSchedulingValidation.validateAffinity(spec.affinity, path: path.child("affinity"))
        errors += validateDNSConfig(spec.dnsConfig, dnsPolicy: spec.dnsPolicy, path: path.child("dnsConfig"))
        for (index, gate) in (spec.readinessGates ?? []).enumerated() {
            errors += FieldChecks.qualifiedName(gate.conditionType, path.child("readinessGates").index(index).child("conditionType"))
        }
        errors += validateSchedulingGates(spec.schedulingGates ?? [], path: path.child("schedulingGates"))
        errors += PodSchedulingValidation.validateTopologySpreadConstraints(
            spec.topologySpreadConstraints ?? [], path: path.child("topologySpreadConstraints"))
        if let name = spec.serviceAccountName, !name.isEmpty {
            errors += FieldChecks.dns1123Subdomain(name, path.child("serviceAccountName"))
        }
        if let name = spec.nodeName, !name.isEmpty { errors += FieldChecks.dns1123Subdomain(name, path.child("nodeName")) }
        if let deadline = spec.activeDeadlineSeconds, deadline < 1 || deadline > Self.maxInt32 {
            errors.append(.invalid(path.child("activeDeadlineSeconds"), .int(Int64(deadline)),
                                   ValidationMessages.inclusiveRange(1, Self.maxInt32)))
        }
        if let hostname = spec.hostname, !hostname.isEmpty { errors += FieldChecks.dns1123Label(hostname, path.child("hostname")) }
        if let subdomain = spec.subdomain, !subdomain.isEmpty {
            errors += FieldChecks.dns1123Label(subdomain, path.child("subdomain"))
        }
        if let tolerations = spec.tolerations, !tolerations.isEmpty {
            errors += PodSchedulingValidation.validateTolerations(tolerations, path: path.child("tolerations"))
        }
        for (index, alias) in (spec.hostAliases ?? []).enumerated() {
            let aliasPath = path.child("hostAliases").index(index)
            errors += IPChecks.ip(alias.ip, aliasPath.child("ip"))
            for (hostIndex, hostname) in (alias.hostnames ?? []).enumerated() {
                errors += FieldChecks.dns1123Subdomain(hostname, aliasPath.child("hostnames").index(hostIndex))
            }
        }
        if let name = spec.priorityClassName, !name.isEmpty {
            errors += FieldChecks.dns1123Subdomain(name, path.child("priorityClassName"))
        }
        if let name = spec.runtimeClassName { errors += FieldChecks.dns1123Subdomain(name, path.child("runtimeClassName")) }
        if let policy = spec.preemptionPolicy {
            errors += FieldChecks.requiredOneOf(policy, path.child("preemptionPolicy"), ["PreemptLowerPriority", "Never"])
        }
        return errors
    }

    /// validatePodSpecSecurityContext: ids in range, and host-network ports.
    func validateSecurityContext(_ spec: CoreV1.PodSpec, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let contextPath = path.child("securityContext")
        if let context = spec.securityContext {
            errors += Self.validID(context.fsGroup, contextPath.child("fsGroup"))
            errors += Self.validID(context.runAsUser, contextPath.child("runAsUser"))
            errors += Self.validID(context.runAsGroup, contextPath.child("runAsGroup"))
            for (index, group) in (context.supplementalGroups ?? []).enumerated() {
                errors += Self.validID(group, contextPath.child("supplementalGroups").index(index))
            }
        }
        if spec.shareProcessNamespace == true, spec.hostPID == true {
            errors.append(.invalid(contextPath.child("shareProcessNamespace"), true,
                                   "ShareProcessNamespace and HostPID cannot both be enabled"))
        }
        if spec.hostNetwork == true {
            for (index, container) in spec.containers.enumerated() {
                for (portIndex, port) in (container.ports ?? []).enumerated() {
                    let hostPort = port.hostPort ?? 0
                    if hostPort == 0 && !isPod { continue }  // defaulted when the pod is made
                    if hostPort != port.containerPort {
                        errors.append(.invalid(path.child("containers").index(index).child("ports").index(portIndex).child("hostPort"),
                                               .int(Int64(hostPort)), "must match `containerPort` when `hostNetwork` is true"))
                    }
                }
            }
        }
        return errors
    }

    /// IsValidUserID / IsValidGroupID: 0 to 2147483647.
    static func validID(_ id: Int?, _ path: FieldPath) -> [FieldError] {
        guard let id, id < 0 || id > maxInt32 else { return [] }
        return [.invalid(path, .int(Int64(id)), ValidationMessages.inclusiveRange(0, maxInt32))]
    }

    func validateDNSConfig(_ config: CoreV1.PodDNSConfig?, dnsPolicy: String?, path: FieldPath) -> [FieldError] {
        if dnsPolicy == "None" {
            guard let config else { return [.required(path, "must provide `dnsConfig` when `dnsPolicy` is None")] }
            if (config.nameservers ?? []).isEmpty {
                return [.required(path.child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None")]
            }
        }
        guard let config else { return [] }
        var errors: [FieldError] = []
        let nameservers = config.nameservers ?? []
        if nameservers.count > 3 {
            errors.append(.invalid(path.child("nameservers"), .strings(nameservers), "must not have more than 3 nameservers"))
        }
        for (index, nameserver) in nameservers.enumerated() {
            errors += IPChecks.ip(nameserver, path.child("nameservers").index(index))
        }
        let searches = config.searches ?? []
        if searches.count > 32 {
            errors.append(.invalid(path.child("searches"), .strings(searches), "must not have more than 32 search paths"))
        }
        if searches.joined(separator: " ").utf8.count > 2048 {
            errors.append(.invalid(path.child("searches"), .strings(searches),
                                   "must not have more than 2048 characters (including spaces) in the search list"))
        }
        for (index, search) in searches.enumerated() where search != "." {
            // Relaxed search validation: a trailing dot and underscores are fine.
            let name = search.hasSuffix(".") ? String(search.dropLast()) : search
            let messages = Validation.isDNS1123Subdomain(name.lowercased().replacingOccurrences(of: "_", with: "a"))
            errors += messages.map { .invalid(path.child("searches").index(index), .string(name), $0) }
        }
        for (index, option) in (config.options ?? []).enumerated() where (option.name ?? "").isEmpty {
            errors.append(.required(path.child("options").index(index), "must not be empty"))
        }
        return errors
    }

    func validateSchedulingGates(_ gates: [CoreV1.PodSchedulingGate], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var seen = Set<String>()
        for (index, gate) in gates.enumerated() {
            errors += FieldChecks.qualifiedName(gate.name, path.index(index))
            if !seen.insert(gate.name).inserted { errors.append(.duplicate(path.index(index), .string(gate.name))) }
        }
        return errors
    }
}

/// Upstream's ValidatePodTemplateSpec: the template's labels and annotations, its spec, and
/// no ephemeral containers.
enum PodTemplateValidation {
    static func validate(_ template: CoreV1.PodTemplateSpec, path: FieldPath,
                         validator: PodSpecValidator = PodSpecValidator()) -> [FieldError] {
        var errors = Validation.validateLabels(template.metadata.labels ?? [:], path: path.child("labels"))
        errors += Validation.validateAnnotations(template.metadata.annotations ?? [:], path: path.child("annotations"))
        let spec = template.spec ?? CoreV1.PodSpec()
        errors += validator.validate(spec, path: path.child("spec"))
        if !(spec.ephemeralContainers ?? []).isEmpty {
            errors.append(.forbidden(path.child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"))
        }
        return errors
    }
}
