import KubeModel

/// Namespaces: DNS-1123 label names, the `kubernetes` finalizer and phase Active on create.
struct NamespaceStrategy: ResourceStrategy {
    typealias Object = CoreV1.Namespace
    var nameValidation: NameValidation { .dns1123Label }

    func prepareForCreate(_ object: inout CoreV1.Namespace) {
        object.status = CoreV1.NamespaceStatus(phase: "Active")
        var finalizers = object.spec.finalizers ?? []
        if !finalizers.contains("kubernetes") { finalizers.append("kubernetes") }
        object.spec.finalizers = finalizers
    }

    func applyDefaults(_ object: inout CoreV1.Namespace) {
        // Upstream labels every namespace with its own name.
        var labels = object.metadata.labels ?? [:]
        labels["kubernetes.io/metadata.name"] = object.metadata.name
        object.metadata.labels = labels
        if object.status.phase == nil { object.status.phase = "Active" }
    }

    func prepareForUpdate(_ object: inout CoreV1.Namespace, old: CoreV1.Namespace) {
        // spec.finalizers change only through namespaces/finalize.
        object.spec.finalizers = old.spec.finalizers
    }

    func selectableFields(_ object: CoreV1.Namespace) -> [String: String] {
        ["status.phase": object.status.phase ?? ""]
    }
}
