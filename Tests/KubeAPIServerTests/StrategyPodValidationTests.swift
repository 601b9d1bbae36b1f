import Testing
import KubeModel
@testable import KubeAPIServer

/// Every pod-spec rule, each with a failing case: field path and error type as upstream.
@Suite struct StrategyPodValidationTests {
    typealias Case = InvalidCase<CoreV1.Pod>

    static func container(_ pod: inout CoreV1.Pod, _ change: (inout CoreV1.Container) -> Void) {
        change(&pod.spec.containers[0])
    }

    static let cases: [Case] = [
        Case("containers required", "spec.containers", .required) { $0.spec.containers = [] },
        Case("container name is a DNS label", "spec.containers[0].name", .invalid) { container(&$0) { $0.name = "Web_1" } },
        Case("container name required", "spec.containers[0].name", .required) { container(&$0) { $0.name = "" } },
        Case("container names unique", "spec.containers[1].name", .duplicate) { $0.spec.containers.append($0.spec.containers[0]) },
        Case("init and regular names unique", "spec.initContainers[0].name", .duplicate) {
            $0.spec.initContainers = [CoreV1.Container(image: "busybox", name: "web")]
        },
        Case("image required", "spec.containers[0].image", .required) { container(&$0) { $0.image = "" } },
        Case("containerPort required", "spec.containers[0].ports[0].containerPort", .required) {
            container(&$0) { $0.ports = [CoreV1.ContainerPort(containerPort: 0)] }
        },
        Case("containerPort in range", "spec.containers[0].ports[0].containerPort", .invalid, detail: "must be between 1 and 65535") {
            container(&$0) { $0.ports = [CoreV1.ContainerPort(containerPort: 70000)] }
        },
        Case("port name is an IANA service name", "spec.containers[0].ports[0].name", .invalid) {
            container(&$0) { $0.ports = [CoreV1.ContainerPort(containerPort: 80, name: "http_port")] }
        },
        Case("port names unique", "spec.containers[0].ports[1].name", .duplicate) {
            container(&$0) { $0.ports = [CoreV1.ContainerPort(containerPort: 80, name: "http"), CoreV1.ContainerPort(containerPort: 81, name: "http")] }
        },
        Case("port protocol supported", "spec.containers[0].ports[0].protocol", .notSupported) {
            container(&$0) { $0.ports = [CoreV1.ContainerPort(containerPort: 80, protocol: "ICMP")] }
        },
        Case("host ports do not conflict", "spec.containers[1].ports[0].hostPort", .duplicate) {
            $0.spec.containers[0].ports = [CoreV1.ContainerPort(containerPort: 80, hostPort: 8080)]
            $0.spec.containers.append(CoreV1.Container(image: "nginx", name: "other", ports: [CoreV1.ContainerPort(containerPort: 81, hostPort: 8080)]))
        },
        Case("env names printable without '='", "spec.containers[0].env[0].name", .invalid) {
            container(&$0) { $0.env = [CoreV1.EnvVar(name: "A=B", value: "x")] }
        },
        Case("env value or valueFrom", "spec.containers[0].env[0].valueFrom", .invalid, detail: "may not be specified when `value` is not empty") {
            container(&$0) {
                $0.env = [CoreV1.EnvVar(name: "NODE", value: "x", valueFrom: CoreV1.EnvVarSource(fieldRef: CoreV1.ObjectFieldSelector(fieldPath: "spec.nodeName")))]
            }
        },
        Case("env fieldRef path supported", "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath", .notSupported) {
            container(&$0) {
                $0.env = [CoreV1.EnvVar(name: "PHASE", valueFrom: CoreV1.EnvVarSource(fieldRef: CoreV1.ObjectFieldSelector(fieldPath: "status.phase")))]
            }
        },
        Case("envFrom needs a source", "spec.containers[0].envFrom", .invalid) { container(&$0) { $0.envFrom = [CoreV1.EnvFromSource()] } },
        Case("volume names unique", "spec.volumes[1].name", .duplicate) {
            $0.spec.volumes = [CoreV1.Volume(emptyDir: CoreV1.EmptyDirVolumeSource(), name: "data"),
                               CoreV1.Volume(emptyDir: CoreV1.EmptyDirVolumeSource(), name: "data")]
        },
        Case("volume names are DNS labels", "spec.volumes[0].name", .invalid) {
            $0.spec.volumes = [CoreV1.Volume(emptyDir: CoreV1.EmptyDirVolumeSource(), name: "Data")]
        },
        Case("one volume source", "spec.volumes[0].hostPath", .forbidden, detail: "may not specify more than 1 volume type") {
            $0.spec.volumes = [CoreV1.Volume(emptyDir: CoreV1.EmptyDirVolumeSource(), hostPath: CoreV1.HostPathVolumeSource(path: "/tmp"), name: "data")]
        },
        Case("configMap volume names its map", "spec.volumes[0].configMap.name", .required) {
            $0.spec.volumes = [CoreV1.Volume(configMap: CoreV1.ConfigMapVolumeSource(), name: "cfg")]
        },
        Case("file modes in range", "spec.volumes[0].secret.defaultMode", .invalid) {
            $0.spec.volumes = [CoreV1.Volume(name: "s", secret: CoreV1.SecretVolumeSource(defaultMode: 0o1000, secretName: "s"))]
        },
        Case("hostPath type supported", "spec.volumes[0].hostPath.type", .notSupported) {
            $0.spec.volumes = [CoreV1.Volume(hostPath: CoreV1.HostPathVolumeSource(path: "/tmp", type: "Folder"), name: "h")]
        },
        Case("mounts refer to volumes", "spec.containers[0].volumeMounts[0].name", .notFound) {
            container(&$0) { $0.volumeMounts = [CoreV1.VolumeMount(mountPath: "/data", name: "missing")] }
        },
        Case("mount paths unique", "spec.containers[0].volumeMounts[1].mountPath", .invalid, detail: "must be unique") {
            $0.spec.volumes = [CoreV1.Volume(emptyDir: CoreV1.EmptyDirVolumeSource(), name: "a"), CoreV1.Volume(emptyDir: CoreV1.EmptyDirVolumeSource(), name: "b")]
            container(&$0) { $0.volumeMounts = [CoreV1.VolumeMount(mountPath: "/data", name: "a"), CoreV1.VolumeMount(mountPath: "/data", name: "b")] }
        },
        Case("subPath relative", "spec.containers[0].volumeMounts.subPath", .invalid, detail: "must be a relative path") {
            $0.spec.volumes = [CoreV1.Volume(emptyDir: CoreV1.EmptyDirVolumeSource(), name: "a")]
            container(&$0) { $0.volumeMounts = [CoreV1.VolumeMount(mountPath: "/data", name: "a", subPath: "/abs")] }
        },
        Case("requests within limits", "spec.containers[0].resources.requests", .invalid, detail: "must be less than or equal to cpu limit of 1") {
            container(&$0) { $0.resources = CoreV1.ResourceRequirements(limits: ["cpu": "1"], requests: ["cpu": "2"]) }
        },
        Case("quantities non-negative", "spec.containers[0].resources.limits[memory]", .invalid, detail: "must be greater than or equal to 0") {
            container(&$0) { $0.resources = CoreV1.ResourceRequirements(limits: ["memory": "-1Gi"]) }
        },
        Case("standard resource names", "spec.containers[0].resources.requests[gpu]", .invalid, detail: "must be a standard resource for containers") {
            container(&$0) { $0.resources = CoreV1.ResourceRequirements(requests: ["gpu": "1"]) }
        },
        Case("extended resources not overcommitted", "spec.containers[0].resources.limits", .required) {
            container(&$0) { $0.resources = CoreV1.ResourceRequirements(requests: ["example.com/gpu": "1"]) }
        },
        Case("restartPolicy supported", "spec.restartPolicy", .notSupported) { $0.spec.restartPolicy = "Sometimes" },
        Case("dnsPolicy supported", "spec.dnsPolicy", .notSupported) { $0.spec.dnsPolicy = "Custom" },
        Case("dnsPolicy None needs dnsConfig", "spec.dnsConfig", .required) { $0.spec.dnsPolicy = "None" },
        Case("imagePullPolicy supported", "spec.containers[0].imagePullPolicy", .notSupported) { container(&$0) { $0.imagePullPolicy = "Sometimes" } },
        Case("terminationMessagePolicy supported", "spec.containers[0].terminationMessagePolicy", .notSupported) {
            container(&$0) { $0.terminationMessagePolicy = "Never" }
        },
        Case("probe needs a handler", "spec.containers[0].livenessProbe", .required, detail: "must specify a handler type") {
            container(&$0) { $0.livenessProbe = CoreV1.Probe() }
        },
        Case("probe has one handler", "spec.containers[0].readinessProbe.tcpSocket", .forbidden) {
            container(&$0) {
                $0.readinessProbe = CoreV1.Probe(exec: CoreV1.ExecAction(command: ["true"]), tcpSocket: CoreV1.TCPSocketAction(port: 80))
            }
        },
        Case("exec needs a command", "spec.containers[0].livenessProbe.exec.command", .required) {
            container(&$0) { $0.livenessProbe = CoreV1.Probe(exec: CoreV1.ExecAction()) }
        },
        Case("liveness succeeds once", "spec.containers[0].livenessProbe.successThreshold", .invalid, detail: "must be 1") {
            container(&$0) { $0.livenessProbe = CoreV1.Probe(exec: CoreV1.ExecAction(command: ["true"]), successThreshold: 2) }
        },
        Case("probe port in range", "spec.containers[0].startupProbe.httpGet.port", .invalid) {
            container(&$0) { $0.startupProbe = CoreV1.Probe(httpGet: CoreV1.HTTPGetAction(port: 0)) }
        },
        Case("init containers have no probes", "spec.initContainers[0].livenessProbe", .forbidden) {
            $0.spec.initContainers = [CoreV1.Container(image: "busybox", livenessProbe: CoreV1.Probe(exec: CoreV1.ExecAction(command: ["true"])), name: "init")]
        },
        Case("init container restartPolicy", "spec.initContainers[0].restartPolicy", .notSupported) {
            $0.spec.initContainers = [CoreV1.Container(image: "busybox", name: "init", restartPolicy: "OnFailure")]
        },
        Case("activeDeadlineSeconds positive", "spec.activeDeadlineSeconds", .invalid) { $0.spec.activeDeadlineSeconds = 0 },
        Case("nodeSelector labels", "spec.nodeSelector", .invalid) { $0.spec.nodeSelector = ["disk": "very fast"] },
        Case("empty toleration key means Exists", "spec.tolerations[0].operator", .invalid) {
            $0.spec.tolerations = [CoreV1.Toleration(operator: "Equal", value: "x")]
        },
        Case("toleration effect supported", "spec.tolerations[0].effect", .notSupported) {
            $0.spec.tolerations = [CoreV1.Toleration(effect: "Evict", key: "k", operator: "Exists")]
        },
        Case("node affinity needs terms", "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms", .required) {
            $0.spec.affinity = CoreV1.Affinity(nodeAffinity: CoreV1.NodeAffinity(requiredDuringSchedulingIgnoredDuringExecution: CoreV1.NodeSelector()))
        },
        Case("pod affinity needs a topology key", "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey", .required) {
            $0.spec.affinity = CoreV1.Affinity(podAntiAffinity: CoreV1.PodAntiAffinity(requiredDuringSchedulingIgnoredDuringExecution: [CoreV1.PodAffinityTerm()]))
        },
        Case("spread skew positive", "spec.topologySpreadConstraints[0].maxSkew", .invalid) {
            $0.spec.topologySpreadConstraints = [CoreV1.TopologySpreadConstraint(maxSkew: 0, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule")]
        },
        Case("host network ports match", "spec.containers[0].ports[0].hostPort", .invalid) {
            $0.spec.hostNetwork = true
            container(&$0) { $0.ports = [CoreV1.ContainerPort(containerPort: 80, hostPort: 8080)] }
        },
        Case("no ephemeral containers on create", "spec.ephemeralContainers", .forbidden) {
            $0.spec.ephemeralContainers = [CoreV1.EphemeralContainer(image: "busybox", name: "debug")]
        },
        Case("serviceAccountName a subdomain", "spec.serviceAccountName", .invalid) { $0.spec.serviceAccountName = "Bad Name" },
        Case("runAsUser in range", "spec.securityContext.runAsUser", .invalid) { $0.spec.securityContext = CoreV1.PodSecurityContext(runAsUser: -1) },
    ]

    @Test(arguments: cases)
    func invalidPod(_ testCase: Case) {
        var pod = Fixtures.pod()
        testCase.change(&pod)
        let (_, errors) = StrategyHarness.create(PodStrategy(), pod)
        expectError(errors, field: testCase.field, type: testCase.type, detail: testCase.detail)
    }

    @Test func validPodHasNoErrors() {
        #expect(StrategyHarness.create(PodStrategy(), Fixtures.pod()).errors.isEmpty)
    }

    static let updates: [Case] = [
        Case("only listed fields change", "spec", .forbidden, detail: PodUpdateValidation.forbiddenMessage) {
            $0.spec.nodeSelector = ["disk": "ssd"]
        },
        Case("no containers added", "spec.containers", .forbidden, detail: "pod updates may not add or remove containers") {
            $0.spec.containers.append(CoreV1.Container(image: "busybox", name: "sidecar"))
        },
        Case("deadline only lowered", "spec.activeDeadlineSeconds", .invalid, detail: "must be less than or equal to previous value") {
            $0.spec.activeDeadlineSeconds = 600
        },
        Case("tolerations only added", "spec.tolerations", .forbidden) { $0.spec.tolerations = [] },
        Case("image still required", "spec.containers[0].image", .required) { $0.spec.containers[0].image = "" },
        Case("no nodeName change once bound", "spec", .forbidden) { $0.spec.nodeName = "node-b" },
    ]

    static func boundPod() -> CoreV1.Pod {
        var pod = Fixtures.pod()
        pod.spec.activeDeadlineSeconds = 300
        pod.spec.nodeName = "node-a"
        pod.spec.tolerations = [CoreV1.Toleration(effect: "NoSchedule", key: "dedicated", operator: "Exists")]
        return pod
    }

    @Test(arguments: updates)
    func invalidPodUpdate(_ testCase: Case) {
        let (_, errors) = StrategyHarness.update(PodStrategy(), Self.boundPod(), testCase.change)
        expectError(errors, field: testCase.field, type: testCase.type, detail: testCase.detail)
    }

    @Test func allowedPodUpdates() {
        let (updated, errors) = StrategyHarness.update(PodStrategy(), Self.boundPod()) { pod in
            pod.spec.containers[0].image = "nginx:1.27"
            pod.spec.activeDeadlineSeconds = 100
            pod.spec.tolerations?.append(CoreV1.Toleration(effect: "NoExecute", key: "gone", operator: "Exists", tolerationSeconds: 30))
            pod.spec.tolerations?[0].tolerationSeconds = nil
        }
        #expect(errors.isEmpty)
        #expect(updated.spec.containers[0].image == "nginx:1.27")
        // Only pods/binding may set nodeName; an ordinary update may not.
        let (_, bindErrors) = StrategyHarness.update(PodStrategy(), Fixtures.pod()) { $0.spec.nodeName = "node-a" }
        #expect(bindErrors.count == 1)
    }

    @Test func statusIsKeptOnUpdate() {
        let (updated, _) = StrategyHarness.update(PodStrategy(), Fixtures.pod()) { $0.status.phase = "Running" }
        #expect(updated.status.phase == "Running")
    }
}
