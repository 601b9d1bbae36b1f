import KubeModel

/// core/v1 Events: upstream's legacy event validation (involvedObject.namespace agrees with
/// the event's, and events with an eventTime name their reporter, action and reason within
/// limits); the involvedObject, reason, source, reportingComponent and type field selectors.
struct EventStrategy: ResourceStrategy {
    typealias Object = CoreV1.Event

    static let reportingInstanceLimit = 128
    static let actionLimit = 128
    static let reasonLimit = 128
    static let noteLimit = 1024

    func validate(_ event: CoreV1.Event) -> [FieldError] {
        var errors: [FieldError] = []
        let namespace = event.metadata.namespace ?? ""
        let involvedNamespace = event.involvedObject.namespace ?? ""
        let namespacePath = FieldPath("involvedObject", "namespace")
        let mismatch = FieldError.invalid(namespacePath, .string(involvedNamespace), "does not match event.namespace")
        if event.eventTime == nil {
            if involvedNamespace.isEmpty {
                if !namespace.isEmpty && namespace != "default" { errors.append(mismatch) }
            } else if namespace != involvedNamespace {
                errors.append(mismatch)
            }
        } else {
            if involvedNamespace.isEmpty && namespace != "default" && namespace != "kube-system" { errors.append(mismatch) }
            let controller = event.reportingComponent ?? ""
            if controller.isEmpty { errors.append(.required(FieldPath("reportingComponent"))) }
            errors += FieldChecks.qualifiedName(controller, FieldPath("reportingComponent"))
            errors += requiredWithin(event.reportingInstance, "reportingInstance", Self.reportingInstanceLimit)
            errors += requiredWithin(event.action, "action", Self.actionLimit)
            errors += requiredWithin(event.reason, "reason", Self.reasonLimit)
            if (event.message ?? "").utf8.count > Self.noteLimit {
                errors.append(.invalid(FieldPath("message"), "", "can have at most \(Self.noteLimit) characters"))
            }
        }
        errors += Validation.isDNS1123Subdomain(namespace).map { .invalid(FieldPath("namespace"), .string(namespace), $0) }
        return errors
    }

    func requiredWithin(_ value: String?, _ field: String, _ limit: Int) -> [FieldError] {
        let value = value ?? ""
        if value.isEmpty { return [.required(FieldPath(field))] }
        return value.utf8.count > limit ? [.invalid(FieldPath(field), "", "can have at most \(limit) characters")] : []
    }

    func validateUpdate(_ event: CoreV1.Event, old: CoreV1.Event) -> [FieldError] {
        validate(event)
    }

    func selectableFields(_ event: CoreV1.Event) -> [String: String] {
        let source = event.source?.component ?? ""
        return [
            "involvedObject.kind": event.involvedObject.kind ?? "",
            "involvedObject.namespace": event.involvedObject.namespace ?? "",
            "involvedObject.name": event.involvedObject.name ?? "",
            "involvedObject.uid": event.involvedObject.uid ?? "",
            "involvedObject.apiVersion": event.involvedObject.apiVersion ?? "",
            "involvedObject.resourceVersion": event.involvedObject.resourceVersion ?? "",
            "involvedObject.fieldPath": event.involvedObject.fieldPath ?? "",
            "reason": event.reason ?? "",
            "reportingComponent": event.reportingComponent ?? "",
            "source": source.isEmpty ? event.reportingComponent ?? "" : source,
            "type": event.type ?? "",
        ]
    }
}
