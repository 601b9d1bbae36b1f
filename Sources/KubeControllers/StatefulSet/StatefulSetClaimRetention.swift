import KubeModel

/// persistentVolumeClaimRetentionPolicy as upstream carries it out: through owner references
/// on the claims that the garbage collector follows. `whenDeleted: Delete` makes the set an
/// owner of every claim; `whenScaled: Delete` makes a condemned pod (one scaled away) the owner
/// of its claims, so they go with it. Retain removes the matching reference.
enum StatefulSetClaimRetention {
    struct Policy: Equatable {
        var deleteWithSet: Bool
        var deleteOnScaleDown: Bool
    }

    static func policy(of set: AppsV1.StatefulSet) -> Policy {
        let policy = set.spec.persistentVolumeClaimRetentionPolicy
        return Policy(deleteWithSet: policy?.whenDeleted == "Delete", deleteOnScaleDown: policy?.whenScaled == "Delete")
    }

    /// A plain (not controlling) reference to `owner`, as upstream's setOwnerRef writes it.
    static func reference(to owner: some KubeObject) -> MetaV1.OwnerReference {
        MetaV1.OwnerReference(apiVersion: type(of: owner).groupVersionKind.apiVersion, kind: type(of: owner).groupVersionKind.kind,
                              name: owner.metadata.name ?? "", uid: owner.metadata.uid ?? "")
    }

    /// The owner references `claim` should have for member `pod` of `set`, or nil when it already
    /// has them. A pod the API server has not stored yet (no UID) can own nothing.
    static func ownerReferences(of claim: CoreV1.PersistentVolumeClaim, set: AppsV1.StatefulSet,
                                pod: CoreV1.Pod) -> [MetaV1.OwnerReference]? {
        let policy = policy(of: set)
        let scaledDown = StatefulSetIdentity.ordinal(of: pod).map { !StatefulSetIdentity.inRange($0, of: set) } ?? false
        var references = claim.metadata.ownerReferences ?? []
        let before = references
        let setUID = set.metadata.uid ?? ""
        let podUID = pod.metadata.uid ?? ""

        let wantSet = policy.deleteWithSet && !(policy.deleteOnScaleDown && scaledDown)
        let wantPod = policy.deleteOnScaleDown && scaledDown
        if wantSet {
            if !references.contains(where: { $0.uid == setUID }) { references.append(reference(to: set)) }
        } else {
            references.removeAll { $0.uid == setUID }
        }
        if wantPod, !podUID.isEmpty {
            if !references.contains(where: { $0.uid == podUID }) { references.append(reference(to: pod)) }
        } else if !podUID.isEmpty {
            references.removeAll { $0.uid == podUID }
        }
        return references == before ? nil : references
    }

    /// A claim left over from an earlier pod of the same name that it still belongs to: with
    /// `whenScaled: Delete` the garbage collector is about to delete it, so a new pod must not
    /// start on it (upstream's PodClaimIsStale).
    static func isStale(_ claim: CoreV1.PersistentVolumeClaim, for pod: CoreV1.Pod, set: AppsV1.StatefulSet) -> Bool {
        guard policy(of: set).deleteOnScaleDown else { return false }
        return (claim.metadata.ownerReferences ?? []).contains {
            $0.kind == "Pod" && $0.name == pod.metadata.name && $0.uid != (pod.metadata.uid ?? "")
        }
    }
}
