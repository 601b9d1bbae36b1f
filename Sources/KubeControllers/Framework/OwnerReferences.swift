import KubeModel

extension KubeObject {
    /// The owner reference that marks this object's controller, if any.
    public var controllerReference: MetaV1.OwnerReference? {
        metadata.ownerReferences?.first { $0.controller == true }
    }

    /// A controller reference to this object, as controllers set it on what they create:
    /// `controller: true` and `blockOwnerDeletion: true` for foreground deletion.
    public func makeControllerReference() -> MetaV1.OwnerReference {
        MetaV1.OwnerReference(
            apiVersion: Self.groupVersionKind.apiVersion, kind: Self.groupVersionKind.kind,
            blockOwnerDeletion: true, controller: true, name: metadata.name ?? "", uid: metadata.uid ?? "")
    }

    /// True when this object is controlled by `owner` (same UID).
    public func isControlled(by owner: some KubeObject) -> Bool {
        guard let uid = owner.metadata.uid else { return false }
        return controllerReference?.uid == uid
    }

    public var isBeingDeleted: Bool { metadata.deletionTimestamp != nil }
}

/// The strategic-merge patches by which a controller adopts an orphan or releases an object
/// (upstream's ControllerRefManager). Both carry the object's UID, so a patch meant for one
/// object never lands on a replacement of the same name.
public enum OwnerReferencePatch {
    public static func adopt(by owner: some KubeObject, objectUID: String?) -> JSONValue {
        ["metadata": ["ownerReferences": [owner.makeControllerReference().toJSON()], "uid": .string(objectUID ?? "")]]
    }

    public static func release(from owner: some KubeObject, objectUID: String?) -> JSONValue {
        ["metadata": [
            "ownerReferences": [["$patch": "delete", "uid": .string(owner.metadata.uid ?? "")]],
            "uid": .string(objectUID ?? ""),
        ]]
    }
}

extension CoreV1.Pod {
    /// A pod from a controller's template (upstream's GetPodFromTemplate): the template's labels,
    /// annotations, finalizers and spec, named `<owner>-<random>`, controlled by `owner`.
    public static func from(_ template: CoreV1.PodTemplateSpec?, controlledBy owner: some KubeObject) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.generateName = (owner.metadata.name ?? "") + "-"
        pod.metadata.namespace = owner.metadata.namespace
        pod.metadata.labels = template?.metadata.labels
        pod.metadata.annotations = template?.metadata.annotations
        pod.metadata.finalizers = template?.metadata.finalizers
        pod.metadata.ownerReferences = [owner.makeControllerReference()]
        pod.spec = template?.spec ?? CoreV1.PodSpec()
        return pod
    }
}
