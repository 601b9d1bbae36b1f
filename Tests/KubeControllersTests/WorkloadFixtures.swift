import Foundation
import KubeModel
@testable import KubeControllers

/// Objects the StatefulSet and DaemonSet tests start from.
enum WorkloadFixtures {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    /// What the API server would have stored for a workload at its first generation.
    static func meta(_ name: String, uid: String) -> MetaV1.ObjectMeta {
        MetaV1.ObjectMeta(generation: 1, name: name, namespace: "default", uid: uid)
    }

    static func container(_ image: String) -> CoreV1.Container {
        CoreV1.Container(image: image, name: "app")
    }

    /// `web`: replicas of nginx behind service `nginx`, one `www` claim each.
    static func statefulSet(replicas: Int = 3, policy: String = "OrderedReady", claims: Bool = true,
                            image: String = "nginx:1") -> AppsV1.StatefulSet {
        var set = AppsV1.StatefulSet()
        set.metadata = meta("web", uid: "set-uid")
        set.spec.replicas = replicas
        set.spec.serviceName = "nginx"
        set.spec.podManagementPolicy = policy
        set.spec.updateStrategy = AppsV1.StatefulSetUpdateStrategy(
            rollingUpdate: AppsV1.RollingUpdateStatefulSetStrategy(partition: 0), type: "RollingUpdate")
        set.spec.selector = MetaV1.LabelSelector(matchLabels: ["app": "web"])
        set.spec.template.metadata.labels = ["app": "web"]
        set.spec.template.spec = CoreV1.PodSpec(containers: [container(image)])
        if claims {
            var claim = CoreV1.PersistentVolumeClaim()
            claim.metadata.name = "www"
            claim.spec = CoreV1.PersistentVolumeClaimSpec(
                accessModes: ["ReadWriteOnce"], resources: CoreV1.VolumeResourceRequirements(requests: ["storage": "1Gi"]))
            set.spec.volumeClaimTemplates = [claim]
        }
        return set
    }

    static func revision(_ name: String, of template: CoreV1.PodTemplateSpec, number: Int) -> AppsV1.ControllerRevision {
        var revision = AppsV1.ControllerRevision()
        revision.metadata.name = name
        revision.metadata.namespace = "default"
        revision.data = ControllerHistory.templatePatch(template)
        revision.revision = number
        return revision
    }

    /// A member as the API server stores it and its kubelet reports it.
    static func member(_ set: AppsV1.StatefulSet, _ ordinal: Int, revision: String, phase: String = "Running",
                       ready: Bool = true, terminating: Bool = false) -> CoreV1.Pod {
        var pod = StatefulSetIdentity.newPod(set, template: set.spec.template, ordinal: ordinal, revision: revision)
        pod.metadata.uid = "pod-uid-\(ordinal)"
        pod.status.phase = phase
        pod.status.conditions = [CoreV1.PodCondition(lastTransitionTime: Time(now.addingTimeInterval(-60)), type: "Ready",
                                                     status: ready ? "True" : "False")]
        if terminating { pod.metadata.deletionTimestamp = Time(now) }
        return pod
    }

    static func claim(_ name: String, owners: [MetaV1.OwnerReference] = [], deleting: Bool = false) -> CoreV1.PersistentVolumeClaim {
        var claim = CoreV1.PersistentVolumeClaim()
        claim.metadata.name = name
        claim.metadata.namespace = "default"
        claim.metadata.ownerReferences = owners.isEmpty ? nil : owners
        if deleting { claim.metadata.deletionTimestamp = Time(now) }
        return claim
    }

    /// `agent`: one pod per node.
    static func daemonSet(image: String = "agent:1", maxUnavailable: IntOrString? = 1, maxSurge: IntOrString? = 0,
                          strategy: String = "RollingUpdate") -> AppsV1.DaemonSet {
        var set = AppsV1.DaemonSet()
        set.metadata = meta("agent", uid: "ds-uid")
        set.spec.selector = MetaV1.LabelSelector(matchLabels: ["app": "agent"])
        set.spec.template.metadata.labels = ["app": "agent"]
        set.spec.template.spec = CoreV1.PodSpec(containers: [container(image)])
        set.spec.updateStrategy = AppsV1.DaemonSetUpdateStrategy(
            rollingUpdate: strategy == "RollingUpdate" ? AppsV1.RollingUpdateDaemonSet(maxSurge: maxSurge, maxUnavailable: maxUnavailable) : nil,
            type: strategy)
        return set
    }

    static func node(_ name: String, labels: [String: String] = [:], taints: [CoreV1.Taint] = []) -> CoreV1.Node {
        var node = CoreV1.Node()
        node.metadata.name = name
        node.metadata.labels = labels
        node.spec.taints = taints.isEmpty ? nil : taints
        return node
    }

    /// A daemon pod on `node` at revision `hash`.
    static func daemonPod(_ name: String, node: String, hash: String, ready: Bool = true, phase: String = "Running",
                          age: TimeInterval = 60) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "default"
        pod.metadata.labels = ["app": "agent", ControllerHistory.revisionLabel: hash]
        pod.metadata.creationTimestamp = Time(now.addingTimeInterval(-age))
        pod.spec.nodeName = node
        pod.status.phase = phase
        pod.status.conditions = [CoreV1.PodCondition(lastTransitionTime: Time(now.addingTimeInterval(-age)), type: "Ready",
                                                     status: ready ? "True" : "False")]
        return pod
    }
}
