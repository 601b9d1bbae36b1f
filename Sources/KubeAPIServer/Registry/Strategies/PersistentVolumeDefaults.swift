import KubeModel

/// Upstream's defaults and rules shared by PersistentVolumes, claims, claim templates
/// (StatefulSets, ephemeral volumes) and inline volume sources.
enum PersistentVolumeDefaults {
    static let accessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
    static let volumeModes = ["Block", "Filesystem"]

    /// SetDefaults_PersistentVolumeClaimSpec.
    static func applyClaimSpec(_ spec: inout CoreV1.PersistentVolumeClaimSpec) {
        if spec.volumeMode == nil { spec.volumeMode = "Filesystem" }
    }

    /// SetDefaults_PersistentVolumeClaim and its spec.
    static func applyClaim(_ claim: inout CoreV1.PersistentVolumeClaim) {
        applyClaimSpec(&claim.spec)
        if (claim.status.phase ?? "").isEmpty { claim.status.phase = "Pending" }
    }

    /// ValidatePersistentVolumeClaimSpec.
    static func validateClaimSpec(_ spec: CoreV1.PersistentVolumeClaimSpec, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let modes = spec.accessModes ?? []
        if modes.isEmpty { errors.append(.required(path.child("accessModes"), "at least 1 access mode is required")) }
        errors += FieldChecks.labelSelector(spec.selector, path.child("selector"))
        errors += validateAccessModes(modes, path: path.child("accessModes"))
        let storagePath = path.child("resources").key("storage")
        if let storage = spec.resources?.requests?["storage"] {
            if storage.sign <= 0 {
                errors.append(.invalid(storagePath, .string(storage.description), FieldChecks.notPositive))
            }
        } else {
            errors.append(.required(storagePath))
        }
        if let className = spec.storageClassName, !className.isEmpty {
            errors += FieldChecks.dns1123Subdomain(className, path.child("storageClassName"))
        }
        errors += FieldChecks.oneOf(spec.volumeMode, path.child("volumeMode"), volumeModes)
        if let source = spec.dataSource {
            if source.name.isEmpty { errors.append(.required(path.child("dataSource", "name"))) }
            if source.kind.isEmpty { errors.append(.required(path.child("dataSource", "kind"))) }
        }
        return errors
    }

    static func validateAccessModes(_ modes: [String], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for mode in modes where !accessModes.contains(mode) {
            errors.append(.notSupported(path, .string(mode), supported: accessModes))
        }
        if modes.contains("ReadWriteOncePod"), modes.contains(where: { $0 != "ReadWriteOncePod" && accessModes.contains($0) }) {
            errors.append(.forbidden(path, "may not use ReadWriteOncePod with other access modes"))
        }
        return errors
    }
}
