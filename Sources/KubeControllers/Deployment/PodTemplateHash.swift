import KubeModel

/// The `pod-template-hash` of a template: the short hash of the template and the collision
/// count, when there was a collision.
public enum PodTemplateHash {
    public static let label = "pod-template-hash"

    public static func of(_ template: CoreV1.PodTemplateSpec, collisionCount: Int?) -> String {
        ShortHash.of(JSONWriter.bytes(template.toJSON()), collisionCount: collisionCount)
    }

    /// The template without the hash label, to compare a ReplicaSet's template with a Deployment's.
    public static func withoutHash(_ template: CoreV1.PodTemplateSpec?) -> JSONValue {
        var template = template ?? CoreV1.PodTemplateSpec()
        template.metadata.labels?.removeValue(forKey: label)
        if template.metadata.labels?.isEmpty == true { template.metadata.labels = nil }
        return template.toJSON()
    }
}
