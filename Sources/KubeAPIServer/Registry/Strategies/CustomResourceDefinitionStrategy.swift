import KubeModel

/// CustomResourceDefinitions (apiextensions/v1), lightly: singular and list kind defaulted from
/// the kind, conversion None; a `<plural>.<group>` name, a dotted group, valid names, a scope,
/// uniquely named versions with exactly one storage version and a root object schema each;
/// group and scope never change; the storage version is recorded in status.storedVersions.
struct CustomResourceDefinitionStrategy: ResourceStrategy {
    typealias Object = ApiextensionsV1.CustomResourceDefinition
    var tracksGeneration: Bool { true }

    func applyDefaults(_ definition: inout ApiextensionsV1.CustomResourceDefinition) {
        var names = definition.spec.names
        if (names.singular ?? "").isEmpty { names.singular = names.kind.lowercased() }
        if (names.listKind ?? "").isEmpty, !names.kind.isEmpty { names.listKind = names.kind + "List" }
        definition.spec.names = names
        if definition.spec.conversion == nil { definition.spec.conversion = ApiextensionsV1.CustomResourceConversion(strategy: "None") }
    }

    func prepareForCreate(_ definition: inout ApiextensionsV1.CustomResourceDefinition) {
        recordStorageVersion(&definition)
    }

    func prepareForUpdate(_ definition: inout ApiextensionsV1.CustomResourceDefinition, old: ApiextensionsV1.CustomResourceDefinition) {
        recordStorageVersion(&definition)
    }

    func recordStorageVersion(_ definition: inout ApiextensionsV1.CustomResourceDefinition) {
        guard let storage = definition.spec.versions.first(where: \.storage) else { return }
        var stored = definition.status.storedVersions ?? []
        if !stored.contains(storage.name) { stored.append(storage.name) }
        definition.status.storedVersions = stored
    }

    func validate(_ definition: ApiextensionsV1.CustomResourceDefinition) -> [FieldError] {
        let spec = definition.spec
        let path = FieldPath("spec")
        var errors: [FieldError] = []
        let name = definition.metadata.name ?? ""
        if name != spec.names.plural + "." + spec.group {
            errors.append(.invalid(FieldPath("metadata", "name"), .string(name), "must be spec.names.plural+\".\"+spec.group"))
        }
        if spec.group.isEmpty {
            errors.append(.required(path.child("group")))
        } else {
            errors += FieldChecks.dns1123Subdomain(spec.group, path.child("group"))
            if !spec.group.contains(".") {
                errors.append(.invalid(path.child("group"), .string(spec.group), "should be a domain with at least one dot"))
            }
        }
        errors += FieldChecks.requiredOneOf(spec.scope, path.child("scope"), ["Cluster", "Namespaced"])
        errors += validateNames(spec.names, path: path.child("names"))
        errors += validateVersions(spec.versions, path: path.child("versions"))
        if let conversion = spec.conversion {
            errors += FieldChecks.requiredOneOf(conversion.strategy, path.child("conversion", "strategy"), ["None", "Webhook"])
        }
        return errors
    }

    func validateNames(_ names: ApiextensionsV1.CustomResourceDefinitionNames, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        func label(_ value: String?, _ field: String, required: Bool, lowercase: Bool = false) {
            let value = value ?? ""
            if value.isEmpty {
                if required { errors.append(.required(path.child(field))) }
                return
            }
            errors += Validation.isDNS1035Label(lowercase ? value.lowercased() : value).map { .invalid(path.child(field), .string(value), $0) }
        }
        label(names.plural, "plural", required: true)
        label(names.singular, "singular", required: false)
        label(names.kind, "kind", required: true, lowercase: true)
        label(names.listKind, "listKind", required: true, lowercase: true)
        if let listKind = names.listKind, !listKind.isEmpty, listKind == names.kind {
            errors.append(.invalid(path.child("listKind"), .string(listKind), "kind and listKind may not be the same"))
        }
        for (index, shortName) in (names.shortNames ?? []).enumerated() {
            errors += Validation.isDNS1035Label(shortName).map { .invalid(path.child("shortNames").index(index), .string(shortName), $0) }
        }
        for (index, category) in (names.categories ?? []).enumerated() {
            errors += Validation.isDNS1035Label(category).map { .invalid(path.child("categories").index(index), .string(category), $0) }
        }
        return errors
    }

    func validateVersions(_ versions: [ApiextensionsV1.CustomResourceDefinitionVersion], path: FieldPath) -> [FieldError] {
        if versions.isEmpty { return [.required(path, "must have at least one version")] }
        var errors: [FieldError] = []
        let shown = FieldValue.rendered("[]apiextensions.CustomResourceDefinitionVersion{...}")
        if Set(versions.map(\.name)).count != versions.count {
            errors.append(.invalid(path, shown, "must contain unique version names"))
        }
        if versions.filter(\.storage).count != 1 {
            errors.append(.invalid(path, shown, "must have exactly one version marked as storage version"))
        }
        for (index, version) in versions.enumerated() {
            let versionPath = path.index(index)
            errors += FieldChecks.dns1035Label(version.name, versionPath.child("name"))
            let schemaPath = versionPath.child("schema", "openAPIV3Schema")
            guard let schema = version.schema?.openAPIV3Schema else {
                errors.append(.required(schemaPath, "schemas are required"))
                continue
            }
            switch schema["type"]?.stringValue ?? "" {
            case "object": break
            case "": errors.append(.required(schemaPath.child("type"), "must not be empty at the root"))
            case let type: errors.append(.invalid(schemaPath.child("type"), .string(type), "must be object at the root"))
            }
        }
        return errors
    }

    func validateUpdate(_ definition: ApiextensionsV1.CustomResourceDefinition,
                        old: ApiextensionsV1.CustomResourceDefinition) -> [FieldError] {
        var errors = validate(definition)
        errors += FieldChecks.immutable(definition.spec.group, old.spec.group, FieldPath("spec", "group"), shown: .string(definition.spec.group))
        errors += FieldChecks.immutable(definition.spec.scope, old.spec.scope, FieldPath("spec", "scope"), shown: .string(definition.spec.scope))
        return errors
    }
}
