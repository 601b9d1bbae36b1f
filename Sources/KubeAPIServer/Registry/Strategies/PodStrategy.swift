import KubeModel

/// Pods: status starts Pending, generation counts spec changes, and the field selectors
/// kubelets and schedulers use.
struct PodStrategy: ResourceStrategy {
    typealias Object = CoreV1.Pod
    var tracksGeneration: Bool { true }

    func prepareForCreate(_ pod: inout CoreV1.Pod) {
        pod.status = CoreV1.PodStatus(phase: "Pending", qosClass: nil)
    }

    func prepareForUpdate(_ pod: inout CoreV1.Pod, old: CoreV1.Pod) {
        pod.status = old.status
    }

    func validate(_ pod: CoreV1.Pod) -> [FieldError] {
        var errors: [FieldError] = []
        if pod.spec.containers.isEmpty { errors.append(.required(FieldPath("spec", "containers"))) }
        for (index, container) in pod.spec.containers.enumerated() {
            let path = FieldPath("spec", "containers").index(index)
            if container.name.isEmpty {
                errors.append(.required(path.child("name")))
            } else {
                for message in Validation.isDNS1123Label(container.name) {
                    errors.append(.invalid(path.child("name"), .string(container.name), message))
                }
            }
            if (container.image ?? "").isEmpty { errors.append(.required(path.child("image"))) }
        }
        return errors
    }

    func selectableFields(_ pod: CoreV1.Pod) -> [String: String] {
        [
            "spec.nodeName": pod.spec.nodeName ?? "",
            "spec.restartPolicy": pod.spec.restartPolicy ?? "",
            "spec.schedulerName": pod.spec.schedulerName ?? "",
            "spec.serviceAccountName": pod.spec.serviceAccountName ?? "",
            "spec.hostNetwork": String(pod.spec.hostNetwork ?? false),
            "status.phase": pod.status.phase ?? "",
            "status.podIP": pod.status.podIP ?? "",
            "status.nominatedNodeName": pod.status.nominatedNodeName ?? "",
        ]
    }
}
