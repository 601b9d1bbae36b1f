import KubeModel

/// The `pod-template-hash` of a template: a 32-bit FNV-1a hash of the template (plus the
/// collision count, when there was a collision) written with upstream's safe alphabet, so
/// ReplicaSet and pod names never spell words.
public enum PodTemplateHash {
    public static let label = "pod-template-hash"

    public static func of(_ template: CoreV1.PodTemplateSpec, collisionCount: Int?) -> String {
        var hash: UInt32 = 2_166_136_261
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt32(byte)
                hash = hash &* 16_777_619
            }
        }
        mix(JSONWriter.bytes(template.toJSON()))
        if let collisionCount { mix(String(collisionCount).utf8) }
        return safeEncode(String(hash))
    }

    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// Upstream's rand.SafeEncodeString: each character replaced by one from the alphabet.
    static func safeEncode(_ text: String) -> String {
        String(text.utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    /// The template without the hash label, to compare a ReplicaSet's template with a Deployment's.
    public static func withoutHash(_ template: CoreV1.PodTemplateSpec?) -> JSONValue {
        var template = template ?? CoreV1.PodTemplateSpec()
        template.metadata.labels?.removeValue(forKey: label)
        if template.metadata.labels?.isEmpty == true { template.metadata.labels = nil }
        return template.toJSON()
    }
}
