import Foundation
import KubeModel

/// PersistentVolumes: Retain and Filesystem by default, phase Pending with its transition time
/// on create (and a new transition time whenever the phase changes); access modes, a storage
/// capacity and exactly one volume source required; the source and volume mode never change.
/// `name` is selectable (upstream's legacy field).
struct PersistentVolumeStrategy: ResourceStrategy {
    typealias Object = CoreV1.PersistentVolume
    var now: @Sendable () -> Date = { Date() }

    static let reclaimPolicies = ["Delete", "Recycle", "Retain"]

    func applyDefaults(_ volume: inout CoreV1.PersistentVolume) {
        if (volume.status.phase ?? "").isEmpty { volume.status.phase = "Pending" }
        if (volume.spec.persistentVolumeReclaimPolicy ?? "").isEmpty { volume.spec.persistentVolumeReclaimPolicy = "Retain" }
        if volume.spec.volumeMode == nil { volume.spec.volumeMode = "Filesystem" }
        if var hostPath = volume.spec.hostPath, hostPath.type == nil {
            hostPath.type = ""
            volume.spec.hostPath = hostPath
        }
    }

    func prepareForCreate(_ volume: inout CoreV1.PersistentVolume) {
        volume.status = CoreV1.PersistentVolumeStatus(lastPhaseTransitionTime: Time(now()), phase: "Pending")
    }

    func prepareForUpdate(_ volume: inout CoreV1.PersistentVolume, old: CoreV1.PersistentVolume) {
        // Status writes record when the phase changed (unless the writer did).
        if volume.status.phase != old.status.phase, volume.status.lastPhaseTransitionTime == old.status.lastPhaseTransitionTime {
            volume.status.lastPhaseTransitionTime = Time(now())
        }
    }

    func validate(_ volume: CoreV1.PersistentVolume) -> [FieldError] {
        let spec = volume.spec
        let path = FieldPath("spec")
        var errors: [FieldError] = []
        let modes = spec.accessModes ?? []
        if modes.isEmpty { errors.append(.required(path.child("accessModes"))) }
        errors += PersistentVolumeDefaults.validateAccessModes(modes, path: path.child("accessModes"))
        let capacity = spec.capacity ?? [:]
        if capacity.isEmpty { errors.append(.required(path.child("capacity"))) }
        if capacity["storage"] == nil || capacity.count > 1 {
            errors.append(.notSupported(path.child("capacity"), .rendered(Self.resourceListText(capacity)), supported: ["storage"]))
        }
        for name in capacity.keys.sorted() where capacity[name]!.sign <= 0 {
            errors.append(.invalid(path.child("capacity").key(name), .string(capacity[name]!.description), FieldChecks.notPositive))
        }
        errors += FieldChecks.oneOf(spec.persistentVolumeReclaimPolicy ?? "", path.child("persistentVolumeReclaimPolicy"), Self.reclaimPolicies)
        errors += validateSource(spec, path: path)
        if let hostPath = spec.hostPath, hostPath.path == "/" || hostPath.path == "/.", spec.persistentVolumeReclaimPolicy == "Recycle" {
            errors.append(.forbidden(path.child("persistentVolumeReclaimPolicy"), "may not be 'recycle' for a hostPath mount of '/'"))
        }
        if let className = spec.storageClassName, !className.isEmpty {
            errors += FieldChecks.dns1123Subdomain(className, path.child("storageClassName"))
        }
        errors += FieldChecks.oneOf(spec.volumeMode, path.child("volumeMode"), PersistentVolumeDefaults.volumeModes)
        if let required = spec.nodeAffinity?.required {
            errors += PodSchedulingValidation.validateNodeSelector(required, path: path.child("nodeAffinity", "required"))
        }
        return errors
    }

    /// Exactly one volume source, the common ones checked in detail.
    func validateSource(_ spec: CoreV1.PersistentVolumeSpec, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let sources: [(String, Bool)] = [
            ("hostPath", spec.hostPath != nil), ("gcePersistentDisk", spec.gcePersistentDisk != nil),
            ("awsElasticBlockStore", spec.awsElasticBlockStore != nil), ("glusterfs", spec.glusterfs != nil),
            ("flocker", spec.flocker != nil), ("nfs", spec.nfs != nil), ("rbd", spec.rbd != nil), ("quobyte", spec.quobyte != nil),
            ("cinder", spec.cinder != nil), ("cephfs", spec.cephfs != nil), ("fc", spec.fc != nil), ("flexVolume", spec.flexVolume != nil),
            ("azureFile", spec.azureFile != nil), ("vsphereVolume", spec.vsphereVolume != nil),
            ("photonPersistentDisk", spec.photonPersistentDisk != nil), ("portworxVolume", spec.portworxVolume != nil),
            ("azureDisk", spec.azureDisk != nil), ("scaleIO", spec.scaleIO != nil), ("local", spec.local != nil),
            ("storageos", spec.storageos != nil), ("csi", spec.csi != nil), ("iscsi", spec.iscsi != nil),
        ]
        let present = sources.filter(\.1).map(\.0)
        if present.isEmpty { return [.required(path, "must specify a volume type")] }
        for name in present.dropFirst() { errors.append(.forbidden(path.child(name), "may not specify more than 1 volume type")) }
        switch present[0] {
        case "hostPath": errors += VolumeValidation.validateHostPath(spec.hostPath!, path: path.child("hostPath"))
        case "nfs": errors += VolumeValidation.validateNFS(spec.nfs!, path: path.child("nfs"))
        case "local":
            if spec.local!.path.isEmpty { errors.append(.required(path.child("local", "path"))) }
            if spec.nodeAffinity == nil { errors.append(.required(path.child("nodeAffinity"), "Local volume requires node affinity")) }
        case "csi":
            if spec.csi!.driver.isEmpty { errors.append(.required(path.child("csi", "driver"))) }
            if spec.csi!.volumeHandle.isEmpty { errors.append(.required(path.child("csi", "volumeHandle"))) }
        default: break
        }
        return errors
    }

    static func resourceListText(_ list: [String: Quantity]) -> String {
        "core.ResourceList{" + list.keys.sorted().map { "\(GoValueText.quote($0)):\(GoValueText.quote(list[$0]!.description))" }
            .joined(separator: ", ") + "}"
    }

    func validateUpdate(_ volume: CoreV1.PersistentVolume, old: CoreV1.PersistentVolume) -> [FieldError] {
        var errors = validate(volume)
        // Everything but the source is compared separately (or may change).
        if Self.sourceOnly(volume.spec) != Self.sourceOnly(old.spec) {
            errors.append(.forbidden(FieldPath("spec", "persistentvolumesource"), "spec.persistentvolumesource is immutable after creation"))
        }
        errors += FieldChecks.immutable(volume.spec.volumeMode, old.spec.volumeMode, FieldPath("spec", "volumeMode"),
                                        shown: FieldChecks.optionalStringValue(volume.spec.volumeMode))
        return errors
    }

    /// The spec with only its volume source left.
    static func sourceOnly(_ spec: CoreV1.PersistentVolumeSpec) -> CoreV1.PersistentVolumeSpec {
        var source = spec
        source.accessModes = nil
        source.capacity = nil
        source.claimRef = nil
        source.mountOptions = nil
        source.nodeAffinity = nil
        source.persistentVolumeReclaimPolicy = nil
        source.storageClassName = nil
        source.volumeAttributesClassName = nil
        source.volumeMode = nil
        return source
    }

    func selectableFields(_ volume: CoreV1.PersistentVolume) -> [String: String] {
        ["name": volume.metadata.name ?? ""]
    }
}
