import KubeModel

/// PersistentVolumeClaims: Filesystem by default, phase Pending; access modes and a positive
/// storage request required; after creation only the storage request may change (and not
/// shrink), and volumeName may be set once. `name` is selectable (upstream's legacy field).
struct PersistentVolumeClaimStrategy: ResourceStrategy {
    typealias Object = CoreV1.PersistentVolumeClaim

    static let immutableMessage = "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"

    func applyDefaults(_ claim: inout CoreV1.PersistentVolumeClaim) {
        PersistentVolumeDefaults.applyClaim(&claim)
    }

    func validate(_ claim: CoreV1.PersistentVolumeClaim) -> [FieldError] {
        PersistentVolumeDefaults.validateClaimSpec(claim.spec, path: FieldPath("spec"))
    }

    func validateUpdate(_ claim: CoreV1.PersistentVolumeClaim, old: CoreV1.PersistentVolumeClaim) -> [FieldError] {
        var errors = validate(claim)
        var comparable = claim.spec
        var oldComparable = old.spec
        if (old.spec.volumeName ?? "").isEmpty { oldComparable.volumeName = comparable.volumeName }
        // A bound claim may be resized; the class of volume attributes may change.
        if claim.status.phase == "Bound" {
            comparable.resources?.requests?["storage"] = old.spec.resources?.requests?["storage"]
        }
        comparable.volumeAttributesClassName = old.spec.volumeAttributesClassName
        if comparable != oldComparable {
            errors.append(.forbidden(FieldPath("spec"), Self.immutableMessage))
        }
        if let newSize = claim.spec.resources?.requests?["storage"], let oldSize = old.spec.resources?.requests?["storage"],
            newSize < oldSize
        {
            errors.append(.forbidden(FieldPath("spec", "resources", "requests", "storage"), "field can not be less than previous value"))
        }
        return errors
    }

    func selectableFields(_ claim: CoreV1.PersistentVolumeClaim) -> [String: String] {
        ["name": claim.metadata.name ?? ""]
    }
}
