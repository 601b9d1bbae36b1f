import KubeModel

/// Upstream's ValidateObjectMeta / ValidateObjectMetaUpdate applied to the generated
/// ObjectMeta, with the kind's name rule.
enum MetadataValidation {
    static func validateCreate(_ metadata: MetaV1.ObjectMeta, namespaced: Bool, nameRule: NameValidation) -> [FieldError] {
        Validation.validateObjectMeta(fields(metadata), requiresNamespace: namespaced, nameValidator: validator(nameRule))
    }

    static func validateUpdate(_ metadata: MetaV1.ObjectMeta, old: MetaV1.ObjectMeta, namespaced: Bool, nameRule: NameValidation) -> [FieldError] {
        Validation.validateObjectMeta(fields(metadata), requiresNamespace: namespaced, nameValidator: validator(nameRule))
            + Validation.validateObjectMetaUpdate(fields(metadata), old: fields(old))
    }

    static func validator(_ rule: NameValidation) -> NameValidator {
        switch rule {
        case .dns1123Subdomain: return Validation.nameIsDNSSubdomain
        case .dns1123Label: return Validation.nameIsDNSLabel
        case .dns1035Label: return Validation.nameIsDNS1035Label
        case .pathSegment: return Validation.nameIsPathSegment
        }
    }

    static func fields(_ metadata: MetaV1.ObjectMeta) -> ObjectMetaFields {
        ObjectMetaFields(
            name: metadata.name ?? "", generateName: metadata.generateName ?? "", namespace: metadata.namespace ?? "",
            uid: metadata.uid ?? "", resourceVersion: metadata.resourceVersion ?? "",
            generation: Int64(metadata.generation ?? 0), creationTimestamp: metadata.creationTimestamp,
            deletionTimestamp: metadata.deletionTimestamp,
            deletionGracePeriodSeconds: metadata.deletionGracePeriodSeconds.map(Int64.init),
            labels: metadata.labels ?? [:], annotations: metadata.annotations ?? [:],
            ownerReferences: (metadata.ownerReferences ?? []).map {
                OwnerReferenceFields(apiVersion: $0.apiVersion, kind: $0.kind, name: $0.name, uid: $0.uid,
                                     controller: $0.controller, blockOwnerDeletion: $0.blockOwnerDeletion)
            },
            finalizers: metadata.finalizers ?? [])
    }
}
