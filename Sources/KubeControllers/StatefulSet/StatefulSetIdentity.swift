import Foundation
import KubeModel

/// The stable identity of a StatefulSet's pods (upstream's stateful_set_utils): ordinal names
/// `<set>-<i>`, the pod-name and pod-index labels, hostname and subdomain, and one claim per
/// volume claim template named `<claim>-<set>-<i>`.
enum StatefulSetIdentity {
    static let podNameLabel = "statefulset.kubernetes.io/pod-name"
    static let podIndexLabel = "apps.kubernetes.io/pod-index"

    /// The parent name and ordinal a pod name spells (`<parent>-<digits>`); the ordinal is nil
    /// when the name has no numeric suffix or it does not fit 32 bits.
    static func parentAndOrdinal(_ name: String) -> (parent: String, ordinal: Int?)? {
        let digits = name.reversed().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return nil }
        let suffixStart = name.index(name.endIndex, offsetBy: -digits.count)
        guard suffixStart > name.startIndex, name[name.index(before: suffixStart)] == "-" else { return nil }
        let parent = String(name[..<name.index(before: suffixStart)])
        return (parent, Int32(name[suffixStart...]).map(Int.init))
    }

    /// The pod's ordinal, nil when its name is not a member's name.
    static func ordinal(of pod: CoreV1.Pod) -> Int? {
        parentAndOrdinal(pod.metadata.name ?? "")?.ordinal
    }

    /// A pod whose name says it belongs to the set (upstream's isMemberOf).
    static func isMember(_ pod: CoreV1.Pod, of set: AppsV1.StatefulSet) -> Bool {
        parentAndOrdinal(pod.metadata.name ?? "")?.parent == set.metadata.name
    }

    static func podName(_ set: AppsV1.StatefulSet, ordinal: Int) -> String {
        "\(set.metadata.name ?? "")-\(ordinal)"
    }

    static func claimName(_ template: CoreV1.PersistentVolumeClaim, set: AppsV1.StatefulSet, ordinal: Int) -> String {
        "\(template.metadata.name ?? "")-\(set.metadata.name ?? "")-\(ordinal)"
    }

    static func startOrdinal(_ set: AppsV1.StatefulSet) -> Int { set.spec.ordinals?.start ?? 0 }

    static func replicas(_ set: AppsV1.StatefulSet) -> Int { set.spec.replicas ?? 1 }

    /// Ordinals start…start+replicas-1 are the set's replicas; other members are condemned.
    static func inRange(_ ordinal: Int, of set: AppsV1.StatefulSet) -> Bool {
        let start = startOrdinal(set)
        return ordinal >= start && ordinal < start + replicas(set)
    }

    /// The pod for `ordinal` from `template` (the template of the revision it is created at),
    /// controlled by the set, labelled with its identity and `revision`, its claims mounted.
    static func newPod(_ set: AppsV1.StatefulSet, template: CoreV1.PodTemplateSpec, ordinal: Int, revision: String) -> CoreV1.Pod {
        var pod = CoreV1.Pod.from(template, controlledBy: set)
        pod.metadata.name = podName(set, ordinal: ordinal)
        applyIdentity(set, to: &pod)
        pod.spec.hostname = pod.metadata.name
        if let service = set.spec.serviceName, !service.isEmpty { pod.spec.subdomain = service }
        pod.metadata.labels?[ControllerHistory.revisionLabel] = revision
        pod.spec.volumes = volumes(set, ordinal: ordinal, existing: pod.spec.volumes ?? [])
        return pod
    }

    /// Sets the labels that carry a member's identity (upstream's updateIdentity).
    static func applyIdentity(_ set: AppsV1.StatefulSet, to pod: inout CoreV1.Pod) {
        var labels = pod.metadata.labels ?? [:]
        labels[podNameLabel] = pod.metadata.name
        if let ordinal = ordinal(of: pod) { labels[podIndexLabel] = String(ordinal) }
        pod.metadata.labels = labels
    }

    /// The member's name, namespace and identity labels are right (upstream's identityMatches).
    static func identityMatches(_ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod) -> Bool {
        guard let parsed = parentAndOrdinal(pod.metadata.name ?? ""), let ordinal = parsed.ordinal else { return false }
        let labels = pod.metadata.labels ?? [:]
        return parsed.parent == set.metadata.name && pod.metadata.namespace == set.metadata.namespace
            && labels[podNameLabel] == pod.metadata.name && labels[podIndexLabel] == String(ordinal)
    }

    /// The template's volumes with one volume per claim template (replacing a template volume
    /// of the same name) pointing at the member's claim.
    static func volumes(_ set: AppsV1.StatefulSet, ordinal: Int, existing: [CoreV1.Volume]) -> [CoreV1.Volume]? {
        let templates = set.spec.volumeClaimTemplates ?? []
        let claimVolumes = templates.map { template in
            var volume = CoreV1.Volume(name: template.metadata.name ?? "")
            volume.persistentVolumeClaim = CoreV1.PersistentVolumeClaimVolumeSource(
                claimName: claimName(template, set: set, ordinal: ordinal), readOnly: false)
            return volume
        }
        let names = Set(claimVolumes.map(\.name))
        let result = claimVolumes + existing.filter { !names.contains($0.name) }
        return result.isEmpty ? nil : result
    }

    /// The member's volumes mount its claims (upstream's storageMatches).
    static func storageMatches(_ set: AppsV1.StatefulSet, _ pod: CoreV1.Pod) -> Bool {
        guard let ordinal = ordinal(of: pod) else { return false }
        let volumes = Dictionary((pod.spec.volumes ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return (set.spec.volumeClaimTemplates ?? []).allSatisfy { template in
            volumes[template.metadata.name ?? ""]?.persistentVolumeClaim?.claimName == claimName(template, set: set, ordinal: ordinal)
        }
    }

    /// The claims of the member at `ordinal`, in template order: each template named for the
    /// member, in the set's namespace, labelled with the template's labels and the selector's
    /// matchLabels.
    static func claims(_ set: AppsV1.StatefulSet, ordinal: Int) -> [CoreV1.PersistentVolumeClaim] {
        (set.spec.volumeClaimTemplates ?? []).map { template in
            var claim = CoreV1.PersistentVolumeClaim()
            claim.metadata.name = claimName(template, set: set, ordinal: ordinal)
            claim.metadata.namespace = set.metadata.namespace
            let selectorLabels = set.spec.selector.matchLabels ?? [:]
            let labels = (template.metadata.labels ?? [:]).merging(selectorLabels) { _, selector in selector }
            claim.metadata.labels = labels.isEmpty ? nil : labels
            claim.metadata.annotations = template.metadata.annotations
            claim.metadata.finalizers = template.metadata.finalizers
            claim.spec = template.spec
            return claim
        }
    }
}

/// How a StatefulSet's pods read to its controller (upstream's isRunningAndReady and friends).
extension CoreV1.Pod {
    /// The API server has stored it (it always has a phase then).
    var isCreated: Bool { !(status.phase ?? "").isEmpty }

    var hasFinished: Bool { status.phase == "Failed" || status.phase == "Succeeded" }

    var isRunningAndReady: Bool { status.phase == "Running" && isReady }

    func isRunningAndAvailable(minReadySeconds: Int, now: Date) -> Bool {
        status.phase == "Running" && isAvailable(minReadySeconds: minReadySeconds, now: now)
    }

    /// Not available, or on its way out (upstream's isUnavailable).
    func isUnavailable(minReadySeconds: Int, now: Date) -> Bool {
        !isRunningAndAvailable(minReadySeconds: minReadySeconds, now: now) || isTerminating
    }

    /// The revision label a StatefulSet or DaemonSet set on it.
    var controllerRevision: String? { metadata.labels?[ControllerHistory.revisionLabel] }
}
