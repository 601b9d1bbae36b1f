import KubeModel

/// Namespaces: DNS-1123 label names, the `kubernetes.io/metadata.name` label, the `kubernetes`
/// finalizer and phase Active on create, valid spec.finalizers; `status.phase` and (upstream's
/// legacy) `name` are selectable.
/// spec.finalizers change only through namespaces/finalize: ordinary updates keep them.
struct NamespaceStrategy: ResourceStrategy {
    typealias Object = CoreV1.Namespace
    var nameValidation: NameValidation { .dns1123Label }

    func prepareForCreate(_ namespace: inout CoreV1.Namespace) {
        namespace.status = CoreV1.NamespaceStatus(phase: "Active")
        var finalizers = namespace.spec.finalizers ?? []
        if !finalizers.contains(Validation.finalizerKubernetes) { finalizers.append(Validation.finalizerKubernetes) }
        namespace.spec.finalizers = finalizers
    }

    func applyDefaults(_ namespace: inout CoreV1.Namespace) {
        // Upstream labels every namespace with its own name.
        var labels = namespace.metadata.labels ?? [:]
        labels["kubernetes.io/metadata.name"] = namespace.metadata.name
        namespace.metadata.labels = labels
        if (namespace.status.phase ?? "").isEmpty { namespace.status.phase = "Active" }
    }

    func prepareForUpdate(_ namespace: inout CoreV1.Namespace, old: CoreV1.Namespace) {
        namespace.spec.finalizers = old.spec.finalizers
    }

    func validate(_ namespace: CoreV1.Namespace) -> [FieldError] {
        (namespace.spec.finalizers ?? []).flatMap {
            Validation.validateStandardFinalizerName($0, path: FieldPath("spec", "finalizers"))
        }
    }

    func validateUpdate(_ namespace: CoreV1.Namespace, old: CoreV1.Namespace) -> [FieldError] {
        validate(namespace)
    }

    func selectableFields(_ namespace: CoreV1.Namespace) -> [String: String] {
        ["status.phase": namespace.status.phase ?? "", "name": namespace.metadata.name ?? ""]
    }
}
