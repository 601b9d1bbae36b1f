import Foundation
import KubeModel

/// Upstream's ValidateEnv / ValidateEnvFrom and the downward-API field selectors they use.
/// Variable names follow the relaxed rule (any printable ASCII but '='), the default since
/// RelaxedEnvironmentVariableValidation graduated.
enum EnvValidation {
    /// Pod fields an env var may read through fieldRef.
    static let envFieldPaths = [
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
        "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    ].sorted()
    /// Pod fields a downwardAPI volume file may read.
    static let volumeFieldPaths = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"]
    /// What the v1 conversion of a downward-API field label accepts.
    static let convertibleFieldPaths: Set<String> = [
        "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
        "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName", "status.phase",
        "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    ]
    static let resourceFieldPaths = [
        "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory",
    ]

    static func validateEnv(_ variables: [CoreV1.EnvVar], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, variable) in variables.enumerated() {
            let variablePath = path.index(index)
            if variable.name.isEmpty { errors.append(.required(variablePath.child("name"))) }
            errors += Validation.isRelaxedEnvVarName(variable.name).map { .invalid(variablePath.child("name"), .string(variable.name), $0) }
            errors += validateValueFrom(variable, path: variablePath.child("valueFrom"))
        }
        return errors
    }

    static func validateValueFrom(_ variable: CoreV1.EnvVar, path: FieldPath) -> [FieldError] {
        guard let source = variable.valueFrom else { return [] }
        var errors: [FieldError] = []
        var count = 0
        if let fieldRef = source.fieldRef {
            count += 1
            errors += validateFieldSelector(fieldRef, allowed: envFieldPaths, path: path.child("fieldRef"))
        }
        if let resourceRef = source.resourceFieldRef {
            count += 1
            errors += validateResourceFieldSelector(resourceRef, requireContainerName: false, path: path.child("resourceFieldRef"))
        }
        if let configMapRef = source.configMapKeyRef {
            count += 1
            errors += validateKeySelector(name: configMapRef.name, key: configMapRef.key, path: path.child("configMapKeyRef"))
        }
        if let secretRef = source.secretKeyRef {
            count += 1
            errors += validateKeySelector(name: secretRef.name, key: secretRef.key, path: path.child("secretKeyRef"))
        }
        if let fileRef = source.fileKeyRef {
            count += 1
            if fileRef.volumeName.isEmpty { errors.append(.required(path.child("fileKeyRef", "volumeName"))) }
            if fileRef.path.isEmpty { errors.append(.required(path.child("fileKeyRef", "path"))) }
            if fileRef.key.isEmpty { errors.append(.required(path.child("fileKeyRef", "key"))) }
        }
        if count == 0 {
            errors.append(.invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
        } else if !(variable.value ?? "").isEmpty {
            errors.append(.invalid(path, "", "may not be specified when `value` is not empty"))
        } else if count > 1 {
            errors.append(.invalid(path, "", "may not have more than one field specified at a time"))
        }
        return errors
    }

    /// validateConfigMapKeySelector / validateSecretKeySelector.
    static func validateKeySelector(name: String?, key: String, path: FieldPath) -> [FieldError] {
        var errors = FieldChecks.dns1123Subdomain(name ?? "", path.child("name"))
        if key.isEmpty {
            errors.append(.required(path.child("key")))
        } else {
            errors += Validation.isConfigMapKey(key).map { .invalid(path.child("key"), .string(key), $0) }
        }
        return errors
    }

    /// validateObjectFieldSelector: apiVersion v1 and a supported (or subscripted label or
    /// annotation) field path.
    static func validateFieldSelector(_ selector: CoreV1.ObjectFieldSelector, allowed: [String], path: FieldPath) -> [FieldError] {
        let apiVersion = selector.apiVersion ?? ""
        if apiVersion.isEmpty { return [.required(path.child("apiVersion"))] }
        if selector.fieldPath.isEmpty { return [.required(path.child("fieldPath"))] }
        if apiVersion != "v1" {
            return [.invalid(path.child("fieldPath"), .string(selector.fieldPath),
                             "error converting fieldPath: unsupported pod version: \(apiVersion)")]
        }
        var fieldPath = selector.fieldPath
        if case let (field, key)? = splitSubscript(fieldPath) {
            switch field {
            case "metadata.annotations": return FieldChecks.qualifiedName(key.lowercased(), path)
            case "metadata.labels": return FieldChecks.qualifiedName(key, path)
            default:
                return [.invalid(path.child("fieldPath"), .string(fieldPath),
                                 "error converting fieldPath: field label does not support subscript: \(fieldPath)")]
            }
        }
        if fieldPath == "spec.host" { fieldPath = "spec.nodeName" }
        if !convertibleFieldPaths.contains(fieldPath) {
            return [.invalid(path.child("fieldPath"), .string(fieldPath), "error converting fieldPath: field label not supported: \(fieldPath)")]
        }
        if !allowed.contains(fieldPath) {
            return [.notSupported(path.child("fieldPath"), .string(fieldPath), supported: allowed)]
        }
        return []
    }

    /// `metadata.labels['app']` → ("metadata.labels", "app").
    static func splitSubscript(_ fieldPath: String) -> (String, String)? {
        guard fieldPath.hasSuffix("']") else { return nil }
        let trimmed = fieldPath.dropLast(2)
        guard let open = trimmed.range(of: "['") else { return nil }
        let field = String(trimmed[..<open.lowerBound])
        return field.isEmpty ? nil : (field, String(trimmed[open.upperBound...]))
    }

    static func validateResourceFieldSelector(_ selector: CoreV1.ResourceFieldSelector, requireContainerName: Bool,
                                              path: FieldPath) -> [FieldError] {
        if requireContainerName && (selector.containerName ?? "").isEmpty { return [.required(path.child("containerName"))] }
        if selector.resource.isEmpty { return [.required(path.child("resource"))] }
        if !resourceFieldPaths.contains(selector.resource), !selector.resource.hasPrefix("requests.hugepages-"),
            !selector.resource.hasPrefix("limits.hugepages-")
        {
            return [.notSupported(path.child("resource"), .string(selector.resource), supported: resourceFieldPaths)]
        }
        return []
    }

    static func validateEnvFrom(_ sources: [CoreV1.EnvFromSource], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, source) in sources.enumerated() {
            let sourcePath = path.index(index)
            if let prefix = source.prefix, !prefix.isEmpty {
                errors += Validation.isRelaxedEnvVarName(prefix).map { .invalid(sourcePath.child("prefix"), .string(prefix), $0) }
            }
            var count = 0
            for (name, childName) in [(source.configMapRef.map { $0.name ?? "" }, "configMapRef"),
                                      (source.secretRef.map { $0.name ?? "" }, "secretRef")] {
                guard let name else { continue }
                count += 1
                if name.isEmpty {
                    errors.append(.required(sourcePath.child(childName, "name")))
                } else {
                    errors += FieldChecks.dns1123Subdomain(name, sourcePath.child(childName, "name"))
                }
            }
            if count == 0 {
                errors.append(.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"))
            } else if count > 1 {
                errors.append(.invalid(path, "", "may not have more than one field specified at a time"))
            }
        }
        return errors
    }
}
