import KubeModel

/// PodTemplates: the template defaulted and validated as every workload's is.
struct PodTemplateStrategy: ResourceStrategy {
    typealias Object = CoreV1.PodTemplate
    var tracksGeneration: Bool { true }

    func applyDefaults(_ podTemplate: inout CoreV1.PodTemplate) {
        var template = podTemplate.template ?? CoreV1.PodTemplateSpec()
        PodSpecDefaults.apply(template: &template)
        podTemplate.template = template
    }

    func validate(_ podTemplate: CoreV1.PodTemplate) -> [FieldError] {
        PodTemplateValidation.validate(podTemplate.template ?? CoreV1.PodTemplateSpec(), path: FieldPath("template"))
    }

    func validateUpdate(_ podTemplate: CoreV1.PodTemplate, old: CoreV1.PodTemplate) -> [FieldError] {
        validate(podTemplate)
    }
}
