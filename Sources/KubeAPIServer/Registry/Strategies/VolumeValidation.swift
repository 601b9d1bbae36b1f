import KubeModel

/// Upstream's ValidateVolumes: unique DNS-label names and exactly one source per volume, with
/// the common sources checked in detail.
enum VolumeValidation {
    static let fileModeMessage = "must be a number between 0 and 0777 (octal), both inclusive"
    static let hostPathTypes = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]

    /// The valid volumes by name, and the errors of the others.
    static func validateVolumes(_ volumes: [CoreV1.Volume], path: FieldPath) -> ([String: CoreV1.Volume], [FieldError]) {
        var valid: [String: CoreV1.Volume] = [:]
        var names = Set<String>()
        var errors: [FieldError] = []
        for (index, volume) in volumes.enumerated() {
            let volumePath = path.index(index)
            let namePath = volumePath.child("name")
            var volumeErrors = validateSource(volume, path: volumePath)
            if volume.name.isEmpty {
                volumeErrors.append(.required(namePath))
            } else {
                volumeErrors += FieldChecks.dns1123Label(volume.name, namePath)
            }
            if names.contains(volume.name) { volumeErrors.append(.duplicate(namePath, .string(volume.name))) }
            if volumeErrors.isEmpty {
                names.insert(volume.name)
                valid[volume.name] = volume
            } else {
                errors += volumeErrors
            }
        }
        return (valid, errors)
    }

    /// One source, in upstream's order (a second one is "Forbidden").
    static func validateSource(_ volume: CoreV1.Volume, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var count = 0
        func source(_ present: Bool, _ name: String, _ validate: () -> [FieldError] = { [] }) {
            guard present else { return }
            if count > 0 {
                errors.append(.forbidden(path.child(name), "may not specify more than 1 volume type"))
            } else {
                count += 1
                errors += validate()
            }
        }
        source(volume.emptyDir != nil, "emptyDir") {
            guard let limit = volume.emptyDir?.sizeLimit, limit.sign < 0 else { return [] }
            return [.forbidden(path.child("emptyDir", "sizeLimit"), "SizeLimit field must be a valid resource quantity")]
        }
        source(volume.hostPath != nil, "hostPath") { validateHostPath(volume.hostPath!, path: path.child("hostPath")) }
        source(volume.gitRepo != nil, "gitRepo") {
            volume.gitRepo!.repository.isEmpty ? [.required(path.child("gitRepo", "repository"))] : []
        }
        source(volume.gcePersistentDisk != nil, "gcePersistentDisk") {
            volume.gcePersistentDisk!.pdName.isEmpty ? [.required(path.child("gcePersistentDisk", "pdName"))] : []
        }
        source(volume.awsElasticBlockStore != nil, "awsElasticBlockStore") {
            volume.awsElasticBlockStore!.volumeID.isEmpty ? [.required(path.child("awsElasticBlockStore", "volumeID"))] : []
        }
        source(volume.secret != nil, "secret") {
            let secret = volume.secret!
            var errors: [FieldError] = []
            if (secret.secretName ?? "").isEmpty { errors.append(.required(path.child("secret", "secretName"))) }
            errors += mode(secret.defaultMode, path.child("secret", "defaultMode"))
            errors += keysToPaths(secret.items ?? [], path: path.child("secret", "items"))
            return errors
        }
        source(volume.nfs != nil, "nfs") { validateNFS(volume.nfs!, path: path.child("nfs")) }
        source(volume.iscsi != nil, "iscsi") {
            var errors: [FieldError] = []
            if volume.iscsi!.targetPortal.isEmpty { errors.append(.required(path.child("iscsi", "targetPortal"))) }
            if volume.iscsi!.iqn.isEmpty { errors.append(.required(path.child("iscsi", "iqn"))) }
            return errors
        }
        source(volume.glusterfs != nil, "glusterfs")
        source(volume.flocker != nil, "flocker")
        source(volume.persistentVolumeClaim != nil, "persistentVolumeClaim") {
            volume.persistentVolumeClaim!.claimName.isEmpty ? [.required(path.child("persistentVolumeClaim", "claimName"))] : []
        }
        source(volume.rbd != nil, "rbd")
        source(volume.cinder != nil, "cinder")
        source(volume.cephfs != nil, "cephFS")
        source(volume.quobyte != nil, "quobyte")
        source(volume.downwardAPI != nil, "downwardAPI") {
            let downwardAPI = volume.downwardAPI!
            return mode(downwardAPI.defaultMode, path.child("downwardAPI", "defaultMode"))
                + downwardAPIFiles(downwardAPI.items ?? [], path: path.child("downwardAPI"))
        }
        source(volume.fc != nil, "fc")
        source(volume.flexVolume != nil, "flexVolume") {
            volume.flexVolume!.driver.isEmpty ? [.required(path.child("flexVolume", "driver"))] : []
        }
        source(volume.configMap != nil, "configMap") {
            let configMap = volume.configMap!
            var errors: [FieldError] = []
            if (configMap.name ?? "").isEmpty { errors.append(.required(path.child("configMap", "name"))) }
            errors += mode(configMap.defaultMode, path.child("configMap", "defaultMode"))
            errors += keysToPaths(configMap.items ?? [], path: path.child("configMap", "items"))
            return errors
        }
        source(volume.azureFile != nil, "azureFile")
        source(volume.vsphereVolume != nil, "vsphereVolume")
        source(volume.photonPersistentDisk != nil, "photonPersistentDisk")
        source(volume.portworxVolume != nil, "portworxVolume")
        source(volume.azureDisk != nil, "azureDisk")
        source(volume.storageos != nil, "storageos")
        source(volume.projected != nil, "projected") { validateProjected(volume.projected!, path: path.child("projected")) }
        source(volume.scaleIO != nil, "scaleIO")
        source(volume.csi != nil, "csi") { volume.csi!.driver.isEmpty ? [.required(path.child("csi", "driver"))] : [] }
        source(volume.ephemeral != nil, "ephemeral") {
            volume.ephemeral!.volumeClaimTemplate == nil ? [.required(path.child("ephemeral", "volumeClaimTemplate"))] : []
        }
        source(volume.image != nil, "image") {
            (volume.image!.reference ?? "").isEmpty ? [.required(path.child("image", "reference"))] : []
        }
        if count == 0 { errors.append(.required(path, "must specify a volume type")) }
        return errors
    }

    static func mode(_ value: Int?, _ path: FieldPath) -> [FieldError] {
        guard let value, value < 0 || value > 0o777 else { return [] }
        return [.invalid(path, .int(Int64(value)), fileModeMessage)]
    }

    static func keysToPaths(_ items: [CoreV1.KeyToPath], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, item) in items.enumerated() {
            let itemPath = path.index(index)
            if item.key.isEmpty { errors.append(.required(itemPath.child("key"))) }
            if item.path.isEmpty { errors.append(.required(itemPath.child("path"))) }
            errors += PathChecks.localNonReservedPath(item.path, itemPath.child("path"))
            errors += mode(item.mode, itemPath.child("mode"))
        }
        return errors
    }

    static func downwardAPIFiles(_ files: [CoreV1.DownwardAPIVolumeFile], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, file) in files.enumerated() {
            let filePath = path.child("items").index(index)
            if file.path.isEmpty { errors.append(.required(filePath.child("path"))) }
            errors += PathChecks.localNonReservedPath(file.path, filePath.child("path"))
            if let fieldRef = file.fieldRef {
                errors += EnvValidation.validateFieldSelector(fieldRef, allowed: EnvValidation.volumeFieldPaths,
                                                              path: filePath.child("fieldRef"))
                if file.resourceFieldRef != nil {
                    errors.append(.invalid(filePath, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"))
                }
            } else if let resourceRef = file.resourceFieldRef {
                errors += EnvValidation.validateResourceFieldSelector(resourceRef, requireContainerName: true,
                                                                      path: filePath.child("resourceFieldRef"))
            } else {
                errors.append(.required(filePath, "one of fieldRef and resourceFieldRef is required"))
            }
            errors += mode(file.mode, filePath.child("mode"))
        }
        return errors
    }

    static func validateHostPath(_ hostPath: CoreV1.HostPathVolumeSource, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if hostPath.path.isEmpty { errors.append(.required(path.child("path"))) }
        errors += PathChecks.noBacksteps(hostPath.path, path.child("path"))
        if let type = hostPath.type { errors += FieldChecks.oneOf(type, path.child("type"), hostPathTypes) }
        return errors
    }

    static func validateNFS(_ nfs: CoreV1.NFSVolumeSource, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if nfs.server.isEmpty { errors.append(.required(path.child("server"))) }
        if nfs.path.isEmpty { errors.append(.required(path.child("path"))) }
        if !nfs.path.hasPrefix("/") { errors.append(.invalid(path.child("path"), .string(nfs.path), "must be an absolute path")) }
        return errors
    }

    static func validateProjected(_ projected: CoreV1.ProjectedVolumeSource, path: FieldPath) -> [FieldError] {
        var errors = mode(projected.defaultMode, path.child("defaultMode"))
        for (index, source) in (projected.sources ?? []).enumerated() {
            let sourcePath = path.child("sources").index(index)
            var kinds: [String] = []
            if let secret = source.secret {
                kinds.append("secret")
                if (secret.name ?? "").isEmpty { errors.append(.required(sourcePath.child("secret", "name"))) }
                errors += keysToPaths(secret.items ?? [], path: sourcePath.child("secret", "items"))
            }
            if let configMap = source.configMap {
                kinds.append("configMap")
                if (configMap.name ?? "").isEmpty { errors.append(.required(sourcePath.child("configMap", "name"))) }
                errors += keysToPaths(configMap.items ?? [], path: sourcePath.child("configMap", "items"))
            }
            if let downwardAPI = source.downwardAPI {
                kinds.append("downwardAPI")
                errors += downwardAPIFiles(downwardAPI.items ?? [], path: sourcePath.child("downwardAPI"))
            }
            if let token = source.serviceAccountToken {
                kinds.append("serviceAccountToken")
                let tokenPath = sourcePath.child("serviceAccountToken")
                if let seconds = token.expirationSeconds {
                    if seconds < 600 {
                        errors.append(.invalid(tokenPath.child("expirationSeconds"), .int(Int64(seconds)),
                                               "may not specify a duration less than 10 minutes"))
                    } else if seconds > 1 << 32 {
                        errors.append(.invalid(tokenPath.child("expirationSeconds"), .int(Int64(seconds)),
                                               "may not specify a duration larger than 2^32 seconds"))
                    }
                }
                if token.path.isEmpty { errors.append(.required(tokenPath.child("path"))) }
            }
            if source.clusterTrustBundle != nil { kinds.append("clusterTrustBundle") }
            if source.podCertificate != nil { kinds.append("podCertificate") }
            if kinds.isEmpty {
                errors.append(.required(sourcePath, "must specify exactly one projected volume type"))
            } else if kinds.count > 1 {
                for kind in kinds.dropFirst() {
                    errors.append(.forbidden(sourcePath.child(kind), "may not specify more than 1 volume type per source"))
                }
            }
        }
        return errors
    }
}
