import KubeModel

/// Upstream's defaulting of a PodSpec wherever it appears (SetDefaults_PodSpec and the
/// defaults of everything inside it: containers, ports, probes, handlers, env, volumes), plus
/// what only Pod objects get (SetDefaults_Pod).
enum PodSpecDefaults {
    static let defaultVolumeMode: Int = 0o644
    static let terminationMessagePath = "/dev/termination-log"
    static let defaultSchedulerName = "default-scheduler"
    static let defaultTerminationGracePeriodSeconds = 30

    /// A pod template: its spec is defaulted (and materialized, as Go's non-pointer spec is).
    static func apply(template: inout CoreV1.PodTemplateSpec) {
        var spec = template.spec ?? CoreV1.PodSpec()
        apply(&spec)
        template.spec = spec
    }

    /// SetDefaults_PodSpec with everything nested.
    static func apply(_ spec: inout CoreV1.PodSpec) {
        if (spec.dnsPolicy ?? "").isEmpty { spec.dnsPolicy = "ClusterFirst" }
        if (spec.restartPolicy ?? "").isEmpty { spec.restartPolicy = "Always" }
        if spec.securityContext == nil { spec.securityContext = CoreV1.PodSecurityContext() }
        if spec.terminationGracePeriodSeconds == nil { spec.terminationGracePeriodSeconds = defaultTerminationGracePeriodSeconds }
        if (spec.schedulerName ?? "").isEmpty { spec.schedulerName = defaultSchedulerName }
        // v1 keeps the deprecated serviceAccount in step with serviceAccountName.
        if (spec.serviceAccountName ?? "").isEmpty, let deprecated = spec.serviceAccount, !deprecated.isEmpty {
            spec.serviceAccountName = deprecated
        }
        if let name = spec.serviceAccountName, !name.isEmpty { spec.serviceAccount = name }

        for index in spec.containers.indices { applyContainer(&spec.containers[index]) }
        if var initContainers = spec.initContainers {
            for index in initContainers.indices { applyContainer(&initContainers[index]) }
            spec.initContainers = initContainers
        }
        if var ephemeral = spec.ephemeralContainers {
            for index in ephemeral.indices { applyContainer(&ephemeral[index]) }
            spec.ephemeralContainers = ephemeral
        }
        if var volumes = spec.volumes {
            for index in volumes.indices { applyVolume(&volumes[index]) }
            spec.volumes = volumes
        }
    }

    /// SetDefaults_Pod: what a Pod gets beyond its spec's defaults.
    static func applyPodOnly(_ spec: inout CoreV1.PodSpec) {
        if spec.enableServiceLinks == nil { spec.enableServiceLinks = true }
        // Requests default to limits (only on pods, not on templates).
        func requestsFromLimits(_ container: inout CoreV1.Container) {
            guard var resources = container.resources, let limits = resources.limits else { return }
            var requests = resources.requests ?? [:]
            for (name, quantity) in limits where requests[name] == nil { requests[name] = quantity }
            resources.requests = requests
            container.resources = resources
        }
        for index in spec.containers.indices { requestsFromLimits(&spec.containers[index]) }
        if var initContainers = spec.initContainers {
            for index in initContainers.indices { requestsFromLimits(&initContainers[index]) }
            spec.initContainers = initContainers
        }
        if spec.hostNetwork == true {
            // With the host's network, host ports are the container ports.
            func hostPorts(_ container: inout CoreV1.Container) {
                guard var ports = container.ports else { return }
                for index in ports.indices where (ports[index].hostPort ?? 0) == 0 {
                    ports[index].hostPort = ports[index].containerPort
                }
                container.ports = ports
            }
            for index in spec.containers.indices { hostPorts(&spec.containers[index]) }
            if var initContainers = spec.initContainers {
                for index in initContainers.indices { hostPorts(&initContainers[index]) }
                spec.initContainers = initContainers
            }
        }
    }

    // MARK: Containers

    static func applyContainer<Container: PodContainer>(_ container: inout Container) {
        if (container.imagePullPolicy ?? "").isEmpty {
            container.imagePullPolicy = ImageReference.defaultPullPolicy(for: container.image)
        }
        if (container.terminationMessagePath ?? "").isEmpty { container.terminationMessagePath = terminationMessagePath }
        if (container.terminationMessagePolicy ?? "").isEmpty { container.terminationMessagePolicy = "File" }
        // Go's non-pointer resources always serialize, as `resources: {}`.
        if container.resources == nil { container.resources = CoreV1.ResourceRequirements() }
        if var ports = container.ports {
            for index in ports.indices where (ports[index].protocol ?? "").isEmpty { ports[index].protocol = "TCP" }
            container.ports = ports
        }
        if var env = container.env {
            for index in env.indices {
                guard var source = env[index].valueFrom else { continue }
                applyFieldRef(&source.fieldRef)
                applyResourceFieldRef(&source.resourceFieldRef)
                env[index].valueFrom = source
            }
            container.env = env
        }
        applyProbe(&container.livenessProbe)
        applyProbe(&container.readinessProbe)
        applyProbe(&container.startupProbe)
        if var lifecycle = container.lifecycle {
            applyHandler(&lifecycle.postStart)
            applyHandler(&lifecycle.preStop)
            container.lifecycle = lifecycle
        }
    }

    static func applyProbe(_ probe: inout CoreV1.Probe?) {
        guard var value = probe else { return }
        if value.timeoutSeconds == nil || value.timeoutSeconds == 0 { value.timeoutSeconds = 1 }
        if value.periodSeconds == nil || value.periodSeconds == 0 { value.periodSeconds = 10 }
        if value.successThreshold == nil || value.successThreshold == 0 { value.successThreshold = 1 }
        if value.failureThreshold == nil || value.failureThreshold == 0 { value.failureThreshold = 3 }
        applyHTTPGet(&value.httpGet)
        if var grpc = value.grpc, grpc.service == nil {
            grpc.service = ""
            value.grpc = grpc
        }
        probe = value
    }

    static func applyHandler(_ handler: inout CoreV1.LifecycleHandler?) {
        guard var value = handler else { return }
        applyHTTPGet(&value.httpGet)
        handler = value
    }

    static func applyHTTPGet(_ action: inout CoreV1.HTTPGetAction?) {
        guard var value = action else { return }
        if (value.path ?? "").isEmpty { value.path = "/" }
        if (value.scheme ?? "").isEmpty { value.scheme = "HTTP" }
        action = value
    }

    static func applyFieldRef(_ selector: inout CoreV1.ObjectFieldSelector?) {
        guard var value = selector else { return }
        if (value.apiVersion ?? "").isEmpty { value.apiVersion = "v1" }
        selector = value
    }

    /// Go's non-pointer divisor serializes as "0" when unset.
    static func applyResourceFieldRef(_ selector: inout CoreV1.ResourceFieldSelector?) {
        guard var value = selector else { return }
        if value.divisor == nil { value.divisor = .zero }
        selector = value
    }

    // MARK: Volumes

    static func applyVolume(_ volume: inout CoreV1.Volume) {
        // A volume without a source is an emptyDir (compare against an empty volume of that name).
        if volume == CoreV1.Volume(name: volume.name) { volume.emptyDir = CoreV1.EmptyDirVolumeSource() }
        if var hostPath = volume.hostPath, hostPath.type == nil {
            hostPath.type = ""
            volume.hostPath = hostPath
        }
        if var secret = volume.secret, secret.defaultMode == nil {
            secret.defaultMode = defaultVolumeMode
            volume.secret = secret
        }
        if var configMap = volume.configMap, configMap.defaultMode == nil {
            configMap.defaultMode = defaultVolumeMode
            volume.configMap = configMap
        }
        if var downwardAPI = volume.downwardAPI {
            if downwardAPI.defaultMode == nil { downwardAPI.defaultMode = defaultVolumeMode }
            downwardAPI.items = downwardAPI.items.map(applyDownwardAPIFiles)
            volume.downwardAPI = downwardAPI
        }
        if var projected = volume.projected {
            if projected.defaultMode == nil { projected.defaultMode = defaultVolumeMode }
            if var sources = projected.sources {
                for index in sources.indices {
                    if var token = sources[index].serviceAccountToken, token.expirationSeconds == nil {
                        token.expirationSeconds = 3600
                        sources[index].serviceAccountToken = token
                    }
                    if var downwardAPI = sources[index].downwardAPI {
                        downwardAPI.items = downwardAPI.items.map(applyDownwardAPIFiles)
                        sources[index].downwardAPI = downwardAPI
                    }
                }
                projected.sources = sources
            }
            volume.projected = projected
        }
        if var iscsi = volume.iscsi, iscsi.iscsiInterface == nil {
            iscsi.iscsiInterface = "default"
            volume.iscsi = iscsi
        }
        if var rbd = volume.rbd {
            if (rbd.pool ?? "").isEmpty { rbd.pool = "rbd" }
            if (rbd.user ?? "").isEmpty { rbd.user = "admin" }
            if (rbd.keyring ?? "").isEmpty { rbd.keyring = "/etc/ceph/keyring" }
            volume.rbd = rbd
        }
        if var azureDisk = volume.azureDisk {
            if azureDisk.cachingMode == nil { azureDisk.cachingMode = "ReadWrite" }
            if azureDisk.kind == nil { azureDisk.kind = "Shared" }
            if azureDisk.fsType == nil { azureDisk.fsType = "ext4" }
            if azureDisk.readOnly == nil { azureDisk.readOnly = false }
            volume.azureDisk = azureDisk
        }
        if var scaleIO = volume.scaleIO {
            if (scaleIO.storageMode ?? "").isEmpty { scaleIO.storageMode = "ThinProvisioned" }
            if (scaleIO.fsType ?? "").isEmpty { scaleIO.fsType = "xfs" }
            volume.scaleIO = scaleIO
        }
        if var ephemeral = volume.ephemeral, var template = ephemeral.volumeClaimTemplate {
            PersistentVolumeDefaults.applyClaimSpec(&template.spec)
            ephemeral.volumeClaimTemplate = template
            volume.ephemeral = ephemeral
        }
    }

    static func applyDownwardAPIFiles(_ files: [CoreV1.DownwardAPIVolumeFile]) -> [CoreV1.DownwardAPIVolumeFile] {
        files.map { file in
            var file = file
            var fieldRef = file.fieldRef
            applyFieldRef(&fieldRef)
            file.fieldRef = fieldRef
            var resourceFieldRef = file.resourceFieldRef
            applyResourceFieldRef(&resourceFieldRef)
            file.resourceFieldRef = resourceFieldRef
            return file
        }
    }
}
