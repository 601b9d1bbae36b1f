import KubeModel

/// Pods: upstream's defaults (SetObjectDefaults_Pod; priority comes from the Priority
/// admission plugin), status Pending with the QoS class on create, ValidatePodCreate
/// and ValidatePodUpdate, and the field selectors kubelets and schedulers use.
struct PodStrategy: ResourceStrategy {
    typealias Object = CoreV1.Pod
    var tracksGeneration: Bool { true }

    func applyDefaults(_ pod: inout CoreV1.Pod) {
        PodSpecDefaults.apply(&pod.spec)
        PodSpecDefaults.applyPodOnly(&pod.spec)
        // v1 keeps the singular addresses in step with the lists (the list wins).
        if let first = pod.status.podIPs?.first {
            pod.status.podIP = first.ip
        } else if let ip = pod.status.podIP, !ip.isEmpty {
            pod.status.podIPs = [CoreV1.PodIP(ip: ip)]
        }
        if let first = pod.status.hostIPs?.first {
            pod.status.hostIP = first.ip
        } else if let ip = pod.status.hostIP, !ip.isEmpty {
            pod.status.hostIPs = [CoreV1.HostIP(ip: ip)]
        }
    }

    func prepareForCreate(_ pod: inout CoreV1.Pod) {
        // Upstream defaults while decoding, before this step, so the QoS class sees the
        // requests that default from limits.
        applyDefaults(&pod)
        var status = CoreV1.PodStatus(phase: "Pending", qosClass: PodQOS.compute(pod.spec))
        if !(pod.spec.schedulingGates ?? []).isEmpty {
            status.conditions = [CoreV1.PodCondition(message: "Scheduling is blocked due to non-empty scheduling gates",
                                                     reason: "SchedulingGated", type: "PodScheduled", status: "False")]
        }
        pod.status = status
    }

    func validate(_ pod: CoreV1.Pod) -> [FieldError] {
        let specPath = FieldPath("spec")
        var errors = PodSpecValidator(isPod: true).validate(pod.spec, path: specPath)
        if !(pod.spec.ephemeralContainers ?? []).isEmpty {
            errors.append(.forbidden(specPath.child("ephemeralContainers"), "cannot be set on create"))
        }
        if !(pod.spec.nodeName ?? "").isEmpty, !(pod.spec.schedulingGates ?? []).isEmpty {
            errors.append(.forbidden(specPath.child("nodeName"), "cannot be set until all schedulingGates have been cleared"))
        }
        return errors
    }

    func validateUpdate(_ pod: CoreV1.Pod, old: CoreV1.Pod) -> [FieldError] {
        PodSpecValidator(isPod: true).validate(pod.spec, path: FieldPath("spec")) + PodUpdateValidation.validate(pod, old: old)
    }

    func selectableFields(_ pod: CoreV1.Pod) -> [String: String] {
        StoredSelectableField.values(Self.storedFields, of: pod.toJSON())
    }

    var storedSelectableFields: [String: StoredSelectableField]? { Self.storedFields }

    /// Read from the JSON: kubelets watch pods with `spec.nodeName=<node>`, so these are read
    /// for every node on every pod event and must not need the whole pod decoded.
    static let storedFields: [String: StoredSelectableField] = [
        "spec.nodeName": StoredSelectableField(["spec", "nodeName"]),
        "spec.restartPolicy": StoredSelectableField(["spec", "restartPolicy"]),
        "spec.schedulerName": StoredSelectableField(["spec", "schedulerName"]),
        "spec.serviceAccountName": StoredSelectableField(["spec", "serviceAccountName"]),
        "spec.hostNetwork": StoredSelectableField(["spec", "hostNetwork"], absent: "false"),
        "status.phase": StoredSelectableField(["status", "phase"]),
        "status.podIP": StoredSelectableField(["status", "podIP"]),
        "status.nominatedNodeName": StoredSelectableField(["status", "nominatedNodeName"]),
    ]
}
