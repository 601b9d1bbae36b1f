import KubeModel

/// Upstream's DefaultTolerationSeconds admission: a pod that does not tolerate the
/// `node.kubernetes.io/not-ready` and `node.kubernetes.io/unreachable` NoExecute taints gets a
/// toleration for each, for a configurable number of seconds (300 by default), so its node's
/// failure evicts it only after that long.
public struct DefaultTolerationSeconds: AdmissionPlugin {
    static let notReadyTaint = "node.kubernetes.io/not-ready"
    static let unreachableTaint = "node.kubernetes.io/unreachable"

    let notReadySeconds: Int
    let unreachableSeconds: Int

    public init(notReadySeconds: Int = 300, unreachableSeconds: Int = 300) {
        self.notReadySeconds = notReadySeconds
        self.unreachableSeconds = unreachableSeconds
    }

    public func mutates(_ resource: ResourceDescriptor) -> Bool { resource.plural == "pods" && resource.group.isEmpty }

    public func mutate(_ attributes: inout AdmissionAttributes) async throws {
        guard attributes.isMain("pods"), attributes.operation != .delete, var pod = attributes.object else { return }
        var spec = pod["spec"]?.objectValue ?? [:]
        var tolerations = spec["tolerations"]?.arrayValue ?? []
        // An empty key tolerates every taint, an empty effect every effect.
        func tolerates(_ taint: String) -> Bool {
            tolerations.contains { toleration in
                let key = toleration["key"]?.stringValue ?? ""
                let effect = toleration["effect"]?.stringValue ?? ""
                return (key == taint || key.isEmpty) && (effect == "NoExecute" || effect.isEmpty)
            }
        }
        let missing = [(Self.notReadyTaint, notReadySeconds), (Self.unreachableTaint, unreachableSeconds)].filter { !tolerates($0.0) }
        guard !missing.isEmpty else { return }
        for (taint, seconds) in missing {
            tolerations.append(["key": .string(taint), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": .int(Int64(seconds))])
        }
        spec["tolerations"] = .array(tolerations)
        pod["spec"] = .object(spec)
        attributes.object = pod
    }
}
