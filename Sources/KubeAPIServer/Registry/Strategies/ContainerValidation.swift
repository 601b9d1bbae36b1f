import KubeModel

/// Upstream's container rules (validateContainers, validateInitContainers,
/// validateContainerCommon and what they call): names, images, ports, env, mounts, probes,
/// lifecycle handlers, pull policy, resources and security context.
struct ContainerValidation {
    /// The pod's valid volumes by name (what mounts and devices may refer to).
    let volumes: [String: CoreV1.Volume]
    let gracePeriod: Int?

    static let supportedProtocols = ["SCTP", "TCP", "UDP"]
    static let withoutRestartAlways = "may not be set for init containers without restartPolicy=Always"

    func validateContainers(_ containers: [CoreV1.Container], path: FieldPath) -> [FieldError] {
        if containers.isEmpty { return [.required(path)] }
        var errors: [FieldError] = []
        var names = Set<String>()
        for (index, container) in containers.enumerated() {
            let containerPath = path.index(index)
            errors += validateCommon(container, path: containerPath)
            if !names.insert(container.name).inserted {
                errors.append(.duplicate(containerPath.child("name"), .string(container.name)))
            }
            errors += validateProbesAndLifecycle(container, path: containerPath)
        }
        errors += Self.hostPortConflicts(containers, path: path)
        return errors
    }

    func validateInitContainers(_ containers: [CoreV1.Container], regular: [CoreV1.Container], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var names = Set(regular.map(\.name))
        for (index, container) in containers.enumerated() {
            let containerPath = path.index(index)
            errors += validateCommon(container, path: containerPath)
            var restartAlways = false
            if let policy = container.restartPolicy {
                errors += FieldChecks.oneOf(policy, containerPath.child("restartPolicy"), ["Always"])
                restartAlways = policy == "Always"
            }
            if names.contains(container.name) {
                errors.append(.duplicate(containerPath.child("name"), .string(container.name)))
            } else if !container.name.isEmpty {
                names.insert(container.name)
            }
            // Init containers run one at a time, so only conflicts within one count.
            errors += Self.hostPortConflicts([container], path: path)
            if restartAlways {
                errors += validateProbesAndLifecycle(container, path: containerPath)
            } else {
                if container.lifecycle != nil { errors.append(.forbidden(containerPath.child("lifecycle"), Self.withoutRestartAlways)) }
                for (probe, name) in [(container.livenessProbe, "livenessProbe"), (container.readinessProbe, "readinessProbe"),
                                      (container.startupProbe, "startupProbe")] where probe != nil {
                    errors.append(.forbidden(containerPath.child(name), Self.withoutRestartAlways))
                }
            }
        }
        return errors
    }

    /// validateContainerCommon.
    func validateCommon<Container: PodContainer>(_ container: Container, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if container.name.isEmpty {
            errors.append(.required(path.child("name")))
        } else {
            errors += FieldChecks.dns1123Label(container.name, path.child("name"))
        }
        if (container.image ?? "").isEmpty { errors.append(.required(path.child("image"))) }
        errors += FieldChecks.requiredOneOf(container.terminationMessagePolicy, path.child("terminationMessagePolicy"),
                                            ["File", "FallbackToLogsOnError"])
        errors += Self.validatePorts(container.ports ?? [], path: path.child("ports"))
        errors += EnvValidation.validateEnv(container.env ?? [], path: path.child("env"))
        errors += EnvValidation.validateEnvFrom(container.envFrom ?? [], path: path.child("envFrom"))
        errors += validateVolumeMounts(container, path: path.child("volumeMounts"))
        errors += validateVolumeDevices(container, path: path.child("volumeDevices"))
        errors += FieldChecks.requiredOneOf(container.imagePullPolicy, path.child("imagePullPolicy"), ["Always", "IfNotPresent", "Never"])
        errors += ResourceValidation.validateRequirements(container.resources ?? CoreV1.ResourceRequirements(), path: path.child("resources"))
        errors += Self.validateSecurityContext(container.securityContext, path: path.child("securityContext"))
        return errors
    }

    func validateProbesAndLifecycle<Container: PodContainer>(_ container: Container, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if let lifecycle = container.lifecycle {
            if let handler = lifecycle.postStart {
                errors += validateHandler(exec: handler.exec, httpGet: handler.httpGet, tcpSocket: handler.tcpSocket,
                                          sleep: handler.sleep, path: path.child("lifecycle", "postStart"))
            }
            if let handler = lifecycle.preStop {
                errors += validateHandler(exec: handler.exec, httpGet: handler.httpGet, tcpSocket: handler.tcpSocket,
                                          sleep: handler.sleep, path: path.child("lifecycle", "preStop"))
            }
        }
        if let probe = container.livenessProbe {
            errors += validateProbe(probe, path: path.child("livenessProbe"))
            errors += Self.successThresholdIsOne(probe, path: path.child("livenessProbe"))
        }
        if let probe = container.readinessProbe {
            errors += validateProbe(probe, path: path.child("readinessProbe"))
            if let seconds = probe.terminationGracePeriodSeconds {
                errors.append(.invalid(path.child("readinessProbe", "terminationGracePeriodSeconds"), .int(Int64(seconds)),
                                       "must not be set for readinessProbes"))
            }
        }
        if let probe = container.startupProbe {
            errors += validateProbe(probe, path: path.child("startupProbe"))
            errors += Self.successThresholdIsOne(probe, path: path.child("startupProbe"))
        }
        return errors
    }

    static func successThresholdIsOne(_ probe: CoreV1.Probe, path: FieldPath) -> [FieldError] {
        let threshold = probe.successThreshold ?? 0
        return threshold == 1 ? [] : [.invalid(path.child("successThreshold"), .int(Int64(threshold)), "must be 1")]
    }

    // MARK: Probes and handlers

    func validateProbe(_ probe: CoreV1.Probe, path: FieldPath) -> [FieldError] {
        var errors = validateHandler(exec: probe.exec, httpGet: probe.httpGet, tcpSocket: probe.tcpSocket, grpc: probe.grpc, path: path)
        errors += FieldChecks.nonNegative(probe.initialDelaySeconds, path.child("initialDelaySeconds"))
        errors += FieldChecks.nonNegative(probe.timeoutSeconds, path.child("timeoutSeconds"))
        errors += FieldChecks.nonNegative(probe.periodSeconds, path.child("periodSeconds"))
        errors += FieldChecks.nonNegative(probe.successThreshold, path.child("successThreshold"))
        errors += FieldChecks.nonNegative(probe.failureThreshold, path.child("failureThreshold"))
        if let seconds = probe.terminationGracePeriodSeconds, seconds <= 0 {
            errors.append(.invalid(path.child("terminationGracePeriodSeconds"), .int(Int64(seconds)), "must be greater than 0"))
        }
        return errors
    }

    /// Exactly one handler, each valid (probes and lifecycle hooks).
    func validateHandler(exec: CoreV1.ExecAction?, httpGet: CoreV1.HTTPGetAction?, tcpSocket: CoreV1.TCPSocketAction?,
                         grpc: CoreV1.GRPCAction? = nil, sleep: CoreV1.SleepAction? = nil, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var count = 0
        func handler(_ present: Bool, _ name: String, _ validate: () -> [FieldError]) {
            guard present else { return }
            if count > 0 {
                errors.append(.forbidden(path.child(name), "may not specify more than 1 handler type"))
            } else {
                count += 1
                errors += validate()
            }
        }
        handler(exec != nil, "exec") {
            (exec?.command ?? []).isEmpty ? [.required(path.child("exec", "command"))] : []
        }
        handler(httpGet != nil, "httpGet") { Self.validateHTTPGet(httpGet!, path: path.child("httpGet")) }
        handler(tcpSocket != nil, "tcpSocket") { Self.portNumberOrName(tcpSocket!.port, path.child("tcpSocket", "port")) }
        handler(grpc != nil, "grpc") {
            Validation.isValidPortNumber(grpc!.port).map { .invalid(path.child("grpc", "port"), .int(Int64(grpc!.port)), $0) }
        }
        handler(sleep != nil, "sleep") {
            guard let gracePeriod, sleep!.seconds < 0 || sleep!.seconds > gracePeriod else { return [] }
            return [.invalid(path.child("sleep"), .int(Int64(sleep!.seconds)),
                             "must be non-negative and less than terminationGracePeriodSeconds (\(gracePeriod))")]
        }
        if count == 0 { errors.append(.required(path, "must specify a handler type")) }
        return errors
    }

    static func validateHTTPGet(_ action: CoreV1.HTTPGetAction, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if (action.path ?? "").isEmpty { errors.append(.required(path.child("path"))) }
        errors += portNumberOrName(action.port, path.child("port"))
        errors += FieldChecks.oneOf(action.scheme ?? "", path.child("scheme"), ["HTTP", "HTTPS"])
        for header in action.httpHeaders ?? [] {
            let valid = !header.name.isEmpty && header.name.utf8.allSatisfy { byte in
                (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 45
            }
            if !valid {
                errors.append(.invalid(path.child("httpHeaders"), .string(header.name),
                                       ValidationMessages.regex("a valid HTTP header must consist of alphanumeric characters or '-'",
                                                                "[-A-Za-z0-9]+", examples: ["X-Header-Name"])))
            }
        }
        return errors
    }

    /// ValidatePortNumOrName (a missing port is the integer 0).
    static func portNumberOrName(_ port: IntOrString?, _ path: FieldPath) -> [FieldError] {
        switch port ?? .int(0) {
        case .int(let number):
            return Validation.isValidPortNumber(number).map { .invalid(path, .int(Int64(number)), $0) }
        case .string(let name):
            return Validation.isValidPortName(name).map { .invalid(path, .string(name), $0) }
        }
    }

    // MARK: Ports

    static func validatePorts(_ ports: [CoreV1.ContainerPort], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var names = Set<String>()
        for (index, port) in ports.enumerated() {
            let portPath = path.index(index)
            if let name = port.name, !name.isEmpty {
                let messages = Validation.isValidPortName(name)
                if !messages.isEmpty {
                    errors += messages.map { .invalid(portPath.child("name"), .string(name), $0) }
                } else if !names.insert(name).inserted {
                    errors.append(.duplicate(portPath.child("name"), .string(name)))
                }
            }
            if port.containerPort == 0 {
                errors.append(.required(portPath.child("containerPort")))
            } else {
                errors += Validation.isValidPortNumber(port.containerPort)
                    .map { .invalid(portPath.child("containerPort"), .int(Int64(port.containerPort)), $0) }
            }
            if let hostPort = port.hostPort, hostPort != 0 {
                errors += Validation.isValidPortNumber(hostPort).map { .invalid(portPath.child("hostPort"), .int(Int64(hostPort)), $0) }
            }
            errors += FieldChecks.requiredOneOf(port.protocol, portPath.child("protocol"), supportedProtocols)
        }
        return errors
    }

    /// Host ports (per host IP and protocol) used twice among `containers`.
    static func hostPortConflicts(_ containers: [CoreV1.Container], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var seen = Set<String>()
        for (index, container) in containers.enumerated() {
            for (portIndex, port) in (container.ports ?? []).enumerated() {
                guard let hostPort = port.hostPort, hostPort != 0 else { continue }
                let key = "\(port.hostIP ?? "")/\(port.protocol ?? "")/\(hostPort)"
                if !seen.insert(key).inserted {
                    errors.append(.duplicate(path.index(index).child("ports").index(portIndex).child("hostPort"), .string(key)))
                }
            }
        }
        return errors
    }

    // MARK: Mounts and devices

    func validateVolumeMounts<Container: PodContainer>(_ container: Container, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var mountPaths = Set<String>()
        let devices = container.volumeDevices ?? []
        for (index, mount) in (container.volumeMounts ?? []).enumerated() {
            let mountPath = path.index(index)
            if mount.name.isEmpty { errors.append(.required(mountPath.child("name"))) }
            if volumes[mount.name] == nil { errors.append(.notFound(mountPath.child("name"), .string(mount.name))) }
            if mount.mountPath.isEmpty { errors.append(.required(mountPath.child("mountPath"))) }
            if !mountPaths.insert(mount.mountPath).inserted {
                errors.append(.invalid(mountPath.child("mountPath"), .string(mount.mountPath), "must be unique"))
            }
            if devices.contains(where: { $0.name == mount.name }) {
                errors.append(.invalid(mountPath.child("name"), .string(mount.name), "must not already exist in volumeDevices"))
            }
            if devices.contains(where: { $0.devicePath == mount.mountPath }) {
                errors.append(.invalid(mountPath.child("mountPath"), .string(mount.mountPath),
                                       "must not already exist as a path in volumeDevices"))
            }
            // Upstream reports subPath problems against the list, not the item.
            let subPath = mount.subPath ?? ""
            if !subPath.isEmpty { errors += PathChecks.localDescendingPath(subPath, path.child("subPath")) }
            if let expression = mount.subPathExpr, !expression.isEmpty {
                if !subPath.isEmpty {
                    errors.append(.invalid(mountPath.child("subPathExpr"), .string(expression),
                                           "subPathExpr and subPath are mutually exclusive"))
                }
                errors += PathChecks.localDescendingPath(expression, path.child("subPathExpr"))
            }
            if let propagation = mount.mountPropagation {
                let propagationPath = path.child("mountPropagation")
                errors += FieldChecks.oneOf(propagation, propagationPath, ["None", "HostToContainer", "Bidirectional"])
                if propagation == "Bidirectional", container.securityContext?.privileged != true {
                    errors.append(.forbidden(propagationPath, "Bidirectional mount propagation is available only to privileged containers"))
                }
            }
        }
        return errors
    }

    func validateVolumeDevices<Container: PodContainer>(_ container: Container, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var names = Set<String>()
        var devicePaths = Set<String>()
        let mounts = container.volumeMounts ?? []
        for (index, device) in (container.volumeDevices ?? []).enumerated() {
            let devicePath = path.index(index)
            if device.name.isEmpty { errors.append(.required(devicePath.child("name"))) }
            if names.contains(device.name) { errors.append(.invalid(devicePath.child("name"), .string(device.name), "must be unique")) }
            if let volume = volumes[device.name] {
                if volume.persistentVolumeClaim == nil && volume.ephemeral == nil {
                    errors.append(.invalid(devicePath.child("name"), .string(device.name),
                                           "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"))
                }
            } else {
                errors.append(.notFound(devicePath.child("name"), .string(device.name)))
            }
            if device.devicePath.isEmpty { errors.append(.required(devicePath.child("devicePath"))) }
            if devicePaths.contains(device.devicePath) {
                errors.append(.invalid(devicePath.child("devicePath"), .string(device.devicePath), "must be unique"))
            }
            if !device.devicePath.isEmpty, !PathChecks.noBacksteps(device.devicePath, path.child("devicePath")).isEmpty {
                errors.append(.invalid(devicePath.child("devicePath"), .string(device.devicePath), "can not contain backsteps ('..')"))
            } else {
                devicePaths.insert(device.devicePath)
            }
            if mounts.contains(where: { $0.name == device.name }) {
                errors.append(.invalid(devicePath.child("name"), .string(device.name), "must not already exist in volumeMounts"))
            }
            if mounts.contains(where: { $0.mountPath == device.devicePath }) {
                errors.append(.invalid(devicePath.child("devicePath"), .string(device.devicePath),
                                       "must not already exist as a path in volumeMounts"))
            }
            if !device.name.isEmpty { names.insert(device.name) }
        }
        return errors
    }

    // MARK: Security context

    static func validateSecurityContext(_ context: CoreV1.SecurityContext?, path: FieldPath) -> [FieldError] {
        guard let context else { return [] }
        var errors = PodSpecValidator.validID(context.runAsUser, path.child("runAsUser"))
        errors += PodSpecValidator.validID(context.runAsGroup, path.child("runAsGroup"))
        if context.privileged == true, context.allowPrivilegeEscalation == false {
            errors.append(.invalid(path, .omitted, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"))
        }
        if let procMount = context.procMount {
            errors += FieldChecks.oneOf(procMount, path.child("procMount"), ["Default", "Unmasked"])
        }
        return errors
    }
}

/// Upstream's checks of paths inside volumes (subPath, keyToPath paths).
enum PathChecks {
    static func noBacksteps(_ target: String, _ path: FieldPath) -> [FieldError] {
        target.split(separator: "/", omittingEmptySubsequences: false).contains("..")
            ? [.invalid(path, .string(target), "must not contain '..'")] : []
    }

    /// validateLocalDescendingPath: relative, without '..' elements.
    static func localDescendingPath(_ target: String, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if target.hasPrefix("/") { errors.append(.invalid(path, .string(target), "must be a relative path")) }
        return errors + noBacksteps(target, path)
    }

    /// ValidateLocalNonReservedPath: also not starting with '..'.
    static func localNonReservedPath(_ target: String, _ path: FieldPath) -> [FieldError] {
        var errors = localDescendingPath(target, path)
        if target.hasPrefix(".."), !target.hasPrefix("../") {
            errors.append(.invalid(path, .string(target), "must not start with '..'"))
        }
        return errors
    }
}
