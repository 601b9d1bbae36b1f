import KubeModel

/// The storage class of a volume or claim: the legacy beta annotation wins over the field,
/// as upstream's `GetPersistentVolumeClass` and `GetPersistentVolumeClaimClass` decide.
enum StorageClassName {
    static func of(_ metadata: MetaV1.ObjectMeta, field: String?) -> String {
        metadata.annotations?["volume.beta.kubernetes.io/storage-class"] ?? field ?? ""
    }
}
