import Foundation
import KubeModel
import Testing
@testable import KubeControllers

/// The StatefulSet plan: what one sync does for a given set of pods.
@Suite struct StatefulSetPlanTests {
    typealias Action = StatefulSetPlan.Action
    typealias F = WorkloadFixtures

    static let old = F.revision("web-old", of: F.statefulSet(image: "nginx:1").spec.template, number: 1)
    static let new = F.revision("web-new", of: F.statefulSet(image: "nginx:2").spec.template, number: 2)

    func plan(_ set: AppsV1.StatefulSet, _ pods: [CoreV1.Pod], current: AppsV1.ControllerRevision = old,
              update: AppsV1.ControllerRevision = old, claims: [CoreV1.PersistentVolumeClaim]? = nil) -> StatefulSetPlan {
        let existing = claims ?? pods.map { F.claim("www-web-\(StatefulSetIdentity.ordinal(of: $0) ?? 0)") }
        let byName = Dictionary(existing.map { ($0.metadata.name ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        return StatefulSetPlan(StatefulSetPlan.Input(
            set: set, pods: pods, currentRevision: current, updateRevision: update, collisionCount: 0,
            claim: { byName[$0] }, now: F.now))
    }

    /// The actions as short strings: "create web-1", "delete web-2 (update)"…
    func summary(_ plan: StatefulSetPlan) -> [String] {
        plan.actions.map { action in
            switch action {
            case .create(let pod): "create \(pod.name)@\(pod.controllerRevision ?? "")"
            case .createMissingClaims(let pod): "claims \(pod.name)"
            case .repair(let pod): "repair \(pod.name)"
            case .retainClaims(let pod): "retain \(pod.name)"
            case .delete(let pod, let reason): "delete \(pod.name) (\(reason))"
            }
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        var set: AppsV1.StatefulSet
        var pods: [CoreV1.Pod]
        var update: AppsV1.ControllerRevision = StatefulSetPlanTests.old
        var expected: [String]
        var testDescription: String { label }
    }

    static let ordered = F.statefulSet()
    static let parallel = F.statefulSet(policy: "Parallel")

    static func scaled(_ set: AppsV1.StatefulSet, _ replicas: Int) -> AppsV1.StatefulSet {
        var set = set
        set.spec.replicas = replicas
        return set
    }

    static func updating(_ set: AppsV1.StatefulSet, partition: Int = 0, maxUnavailable: IntOrString? = nil) -> AppsV1.StatefulSet {
        var set = set
        set.spec.updateStrategy?.rollingUpdate = AppsV1.RollingUpdateStatefulSetStrategy(maxUnavailable: maxUnavailable, partition: partition)
        return set
    }

    static func onDelete(_ set: AppsV1.StatefulSet) -> AppsV1.StatefulSet {
        var set = set
        set.spec.updateStrategy = AppsV1.StatefulSetUpdateStrategy(type: "OnDelete")
        return set
    }

    static func members(_ set: AppsV1.StatefulSet, _ ordinals: ClosedRange<Int>, revision: String = "web-old") -> [CoreV1.Pod] {
        ordinals.map { F.member(set, $0, revision: revision) }
    }

    static let cases: [Case] = [
        Case(label: "OrderedReady starts with web-0 alone", set: ordered, pods: [], expected: ["create web-0@web-old"]),
        Case(label: "OrderedReady waits for a pending web-0",
             set: ordered, pods: [F.member(ordered, 0, revision: "web-old", phase: "Pending", ready: false)], expected: []),
        Case(label: "OrderedReady waits for a running but unready web-0",
             set: ordered, pods: [F.member(ordered, 0, revision: "web-old", ready: false)], expected: []),
        Case(label: "OrderedReady creates web-1 once web-0 is ready",
             set: ordered, pods: [F.member(ordered, 0, revision: "web-old")], expected: ["create web-1@web-old"]),
        Case(label: "OrderedReady fills a gap before going on",
             set: ordered, pods: [F.member(ordered, 0, revision: "web-old"), F.member(ordered, 2, revision: "web-old")],
             expected: ["create web-1@web-old"]),
        Case(label: "Parallel creates every replica at once", set: parallel, pods: [],
             expected: ["create web-0@web-old", "create web-1@web-old", "create web-2@web-old"]),
        Case(label: "Parallel does not wait for unready pods",
             set: parallel, pods: [F.member(parallel, 0, revision: "web-old", phase: "Pending", ready: false)],
             expected: ["create web-1@web-old", "create web-2@web-old"]),
        Case(label: "a failed pod is deleted and OrderedReady waits for it",
             set: ordered, pods: [F.member(ordered, 0, revision: "web-old", phase: "Failed", ready: false)],
             expected: ["delete web-0 (finished)"]),
        Case(label: "a succeeded pod is replaced too",
             set: parallel, pods: [F.member(parallel, 0, revision: "web-old", phase: "Succeeded", ready: false)],
             expected: ["delete web-0 (finished)", "create web-1@web-old", "create web-2@web-old"]),
        Case(label: "OrderedReady scales down from the highest ordinal, one at a time",
             set: scaled(ordered, 1), pods: members(ordered, 0...2), expected: ["delete web-2 (scaleDown)"]),
        Case(label: "OrderedReady waits for a terminating condemned pod",
             set: scaled(ordered, 1),
             pods: members(ordered, 0...1) + [F.member(ordered, 2, revision: "web-old", terminating: true)], expected: []),
        Case(label: "Parallel scales down all at once",
             set: scaled(parallel, 1), pods: members(parallel, 0...2),
             expected: ["delete web-2 (scaleDown)", "delete web-1 (scaleDown)"]),
        Case(label: "scale down waits until every replica is healthy",
             set: scaled(ordered, 1), pods: [F.member(ordered, 0, revision: "web-old", ready: false)] + members(ordered, 1...2),
             expected: []),
        Case(label: "an unhealthy condemned pod may go when it is the lowest unhealthy one",
             set: scaled(ordered, 1),
             pods: members(ordered, 0...1) + [F.member(ordered, 2, revision: "web-old", ready: false)],
             expected: ["delete web-2 (scaleDown)"]),
        Case(label: "OrderedReady waits while a lower condemned pod is unhealthy too",
             set: scaled(ordered, 1),
             pods: members(ordered, 0...0) + [F.member(ordered, 1, revision: "web-old", ready: false),
                                              F.member(ordered, 2, revision: "web-old", ready: false)],
             expected: []),
        Case(label: "a rolling update starts at the highest ordinal",
             set: ordered, pods: members(ordered, 0...2), update: new, expected: ["delete web-2 (update)"]),
        Case(label: "a rolling update waits for the updated pod to be ready",
             set: ordered, pods: members(ordered, 0...1) + [F.member(ordered, 2, revision: "web-new", ready: false)],
             update: new, expected: []),
        Case(label: "a rolling update goes on down once it is",
             set: ordered, pods: members(ordered, 0...1) + [F.member(ordered, 2, revision: "web-new")],
             update: new, expected: ["delete web-1 (update)"]),
        Case(label: "the partition keeps lower ordinals at the current revision",
             set: updating(ordered, partition: 2), pods: members(ordered, 0...1) + [F.member(ordered, 2, revision: "web-new")],
             update: new, expected: []),
        Case(label: "maxUnavailable 2 replaces two pods at once",
             set: updating(ordered, maxUnavailable: 2), pods: members(ordered, 0...2), update: new,
             expected: ["delete web-2 (update)", "delete web-1 (update)"]),
        Case(label: "maxUnavailable counts pods already unavailable",
             set: updating(parallel, maxUnavailable: 2),
             pods: members(parallel, 0...1) + [F.member(parallel, 2, revision: "web-new", ready: false)], update: new,
             expected: ["delete web-1 (update)"]),
        Case(label: "OnDelete never deletes for an update",
             set: onDelete(ordered), pods: members(ordered, 0...2), update: new, expected: []),
        Case(label: "OnDelete recreates a deleted pod at the update revision",
             set: onDelete(ordered), pods: members(ordered, 0...0) + members(ordered, 2...2), update: new,
             expected: ["create web-1@web-new"]),
        Case(label: "a missing pod below the partition comes back at the current revision",
             set: updating(ordered, partition: 2), pods: members(ordered, 1...1) + [F.member(ordered, 2, revision: "web-new")],
             update: new, expected: ["create web-0@web-old"]),
    ]

    @Test(arguments: cases)
    func actions(_ test: Case) {
        #expect(summary(plan(test.set, test.pods, update: test.update)) == test.expected)
    }

    @Test func startOrdinalShiftsTheNames() {
        var set = F.statefulSet(replicas: 2, policy: "Parallel")
        set.spec.ordinals = AppsV1.StatefulSetOrdinals(start: 5)
        let pods = [F.member(set, 0, revision: "web-old"), F.member(set, 5, revision: "web-old")]
        #expect(summary(plan(set, pods)) == ["create web-6@web-old", "delete web-0 (scaleDown)"])
    }

    @Test func pendingPodsGetTheirMissingClaims() {
        let set = F.statefulSet(policy: "Parallel", claims: true)
        let pods = [F.member(set, 0, revision: "web-old", phase: "Pending", ready: false)]
        #expect(summary(plan(set, pods, claims: [])).first == "claims web-0")
    }

    @Test func identityIsRepaired() {
        let set = F.statefulSet(replicas: 1)
        var pod = F.member(set, 0, revision: "web-old")
        pod.metadata.labels?[StatefulSetIdentity.podNameLabel] = "wrong"
        #expect(summary(plan(set, [pod])) == ["repair web-0"])
    }

    @Test func staleClaimBlocksCreation() {
        var set = F.statefulSet(replicas: 1)
        set.spec.persistentVolumeClaimRetentionPolicy = AppsV1.StatefulSetPersistentVolumeClaimRetentionPolicy(
            whenDeleted: "Retain", whenScaled: "Delete")
        let stale = F.claim("www-web-0", owners: [MetaV1.OwnerReference(apiVersion: "v1", kind: "Pod", name: "web-0", uid: "gone")])
        #expect(summary(plan(set, [], claims: [stale])).isEmpty)
    }

    @Test func deletingSetOnlyReports() {
        var set = F.statefulSet()
        set.metadata.deletionTimestamp = Time(F.now)
        let result = plan(set, Self.members(set, 0...0))
        #expect(result.actions.isEmpty)
        #expect(result.status.replicas == 1)
    }

    @Test func statusCountsPodsAtEachRevision() {
        let set = F.statefulSet()
        let pods = [F.member(set, 0, revision: "web-old"), F.member(set, 1, revision: "web-new", ready: false),
                    F.member(set, 2, revision: "web-new", terminating: true)]
        let status = plan(set, pods, current: Self.old, update: Self.new).status
        #expect(status.replicas == 3)
        #expect(status.readyReplicas == 2)
        #expect(status.availableReplicas == 2)
        #expect(status.currentReplicas == 1)
        #expect(status.updatedReplicas == 1)
        #expect(status.currentRevision == "web-old")
        #expect(status.updateRevision == "web-new")
        #expect(status.observedGeneration == 1)
    }

    @Test func minReadySecondsHoldsBackAvailability() {
        var set = F.statefulSet()
        set.spec.minReadySeconds = 120
        let status = plan(set, Self.members(set, 0...0)).status
        #expect(status.readyReplicas == 1)
        #expect(status.availableReplicas == 0)
    }

    @Test func completingARollingUpdateMovesTheCurrentRevision() {
        let set = F.statefulSet()
        var status = plan(set, Self.members(set, 0...2, revision: "web-new"), current: Self.old, update: Self.new).status
        StatefulSetController.completeRollingUpdate(set, &status)
        #expect(status.currentRevision == "web-new")
        #expect(status.currentReplicas == 3)
    }
}
