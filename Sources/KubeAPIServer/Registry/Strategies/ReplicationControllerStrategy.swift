import KubeModel

/// ReplicationControllers: selector and labels default from the template's labels, one
/// replica by default, ValidateReplicationControllerSpec; `status.replicas` is selectable.
struct ReplicationControllerStrategy: ResourceStrategy {
    typealias Object = CoreV1.ReplicationController
    var tracksGeneration: Bool { true }

    func applyDefaults(_ controller: inout CoreV1.ReplicationController) {
        if var template = controller.spec.template {
            if let labels = template.metadata.labels {
                if (controller.spec.selector ?? [:]).isEmpty { controller.spec.selector = labels }
                if (controller.metadata.labels ?? [:]).isEmpty { controller.metadata.labels = labels }
            }
            PodSpecDefaults.apply(template: &template)
            controller.spec.template = template
        }
        if controller.spec.replicas == nil { controller.spec.replicas = 1 }
    }

    func validate(_ controller: CoreV1.ReplicationController) -> [FieldError] {
        let spec = controller.spec
        let path = FieldPath("spec")
        var errors = FieldChecks.nonNegative(spec.minReadySeconds, path.child("minReadySeconds"))
        if (spec.selector ?? [:]).isEmpty { errors.append(.required(path.child("selector"))) }
        errors += FieldChecks.nonNegative(spec.replicas, path.child("replicas"))
        let selector = (spec.selector ?? [:]).isEmpty ? nil : MetaV1.LabelSelector(matchLabels: spec.selector)
        errors += WorkloadValidation.alwaysRunningTemplate(spec.template, selector: selector.map { .some($0) }, kind: "ReplicationController",
                                                           path: path.child("template"))
        return errors
    }

    func validateUpdate(_ controller: CoreV1.ReplicationController, old: CoreV1.ReplicationController) -> [FieldError] {
        validate(controller)
    }

    func selectableFields(_ controller: CoreV1.ReplicationController) -> [String: String] {
        ["status.replicas": String(controller.status.replicas)]
    }
}
