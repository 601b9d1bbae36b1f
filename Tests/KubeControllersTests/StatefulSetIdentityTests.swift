import Foundation
import KubeModel
import Testing
@testable import KubeControllers

@Suite struct StatefulSetIdentityTests {
    typealias F = WorkloadFixtures

    struct NameCase: Sendable, CustomTestStringConvertible {
        var name: String
        var parent: String?
        var ordinal: Int?
        var testDescription: String { name }
    }

    @Test(arguments: [
        NameCase(name: "web-0", parent: "web", ordinal: 0),
        NameCase(name: "my-app-12", parent: "my-app", ordinal: 12),
        NameCase(name: "web-01", parent: "web", ordinal: 1),
        NameCase(name: "web-99999999999", parent: "web", ordinal: nil),
        NameCase(name: "web", parent: nil, ordinal: nil),
        NameCase(name: "web-", parent: nil, ordinal: nil),
        NameCase(name: "web-x1", parent: nil, ordinal: nil),
        NameCase(name: "web0", parent: nil, ordinal: nil),
    ])
    func parsesMemberNames(_ test: NameCase) {
        let parsed = StatefulSetIdentity.parentAndOrdinal(test.name)
        #expect(parsed?.parent == test.parent)
        #expect(parsed?.ordinal == test.ordinal)
    }

    @Test func newPodCarriesItsIdentity() throws {
        var set = F.statefulSet()
        set.spec.template.spec?.volumes = [CoreV1.Volume(emptyDir: CoreV1.EmptyDirVolumeSource(), name: "www"),
                                           CoreV1.Volume(emptyDir: CoreV1.EmptyDirVolumeSource(), name: "scratch")]
        let pod = StatefulSetIdentity.newPod(set, template: set.spec.template, ordinal: 2, revision: "web-abc")
        #expect(pod.metadata.name == "web-2")
        #expect(pod.metadata.namespace == "default")
        #expect(pod.metadata.labels == [
            "app": "web", "statefulset.kubernetes.io/pod-name": "web-2", "apps.kubernetes.io/pod-index": "2",
            "controller-revision-hash": "web-abc",
        ])
        #expect(pod.spec.hostname == "web-2")
        #expect(pod.spec.subdomain == "nginx")
        let reference = try #require(pod.controllerReference)
        #expect(reference.kind == "StatefulSet" && reference.name == "web" && reference.uid == "set-uid")
        // The claim template replaces the template's volume of the same name.
        #expect(pod.spec.volumes?.map(\.name) == ["www", "scratch"])
        #expect(pod.spec.volumes?.first?.persistentVolumeClaim?.claimName == "www-web-2")
        #expect(StatefulSetIdentity.identityMatches(set, pod))
        #expect(StatefulSetIdentity.storageMatches(set, pod))
    }

    @Test func claimsAreNamedForTheMember() {
        var set = F.statefulSet()
        set.spec.volumeClaimTemplates?[0].metadata.labels = ["tier": "data", "app": "other"]
        let claims = StatefulSetIdentity.claims(set, ordinal: 1)
        #expect(claims.map(\.metadata.name) == ["www-web-1"])
        #expect(claims.first?.metadata.labels == ["tier": "data", "app": "web"])
        #expect(claims.first?.spec.accessModes == ["ReadWriteOnce"])
    }

    struct RetentionCase: Sendable, CustomTestStringConvertible {
        var whenDeleted: String
        var whenScaled: String
        var scaledDown: Bool
        /// The kinds of the claim's owners afterwards.
        var owners: [String]
        var testDescription: String { "whenDeleted \(whenDeleted), whenScaled \(whenScaled), \(scaledDown ? "scaled down" : "in range")" }
    }

    @Test(arguments: [
        RetentionCase(whenDeleted: "Retain", whenScaled: "Retain", scaledDown: false, owners: []),
        RetentionCase(whenDeleted: "Retain", whenScaled: "Retain", scaledDown: true, owners: []),
        RetentionCase(whenDeleted: "Delete", whenScaled: "Retain", scaledDown: false, owners: ["StatefulSet"]),
        RetentionCase(whenDeleted: "Delete", whenScaled: "Retain", scaledDown: true, owners: ["StatefulSet"]),
        RetentionCase(whenDeleted: "Retain", whenScaled: "Delete", scaledDown: false, owners: []),
        RetentionCase(whenDeleted: "Retain", whenScaled: "Delete", scaledDown: true, owners: ["Pod"]),
        RetentionCase(whenDeleted: "Delete", whenScaled: "Delete", scaledDown: false, owners: ["StatefulSet"]),
        RetentionCase(whenDeleted: "Delete", whenScaled: "Delete", scaledDown: true, owners: ["Pod"]),
    ])
    func retentionPolicySetsOwners(_ test: RetentionCase) {
        var set = F.statefulSet(replicas: test.scaledDown ? 1 : 3)
        set.spec.persistentVolumeClaimRetentionPolicy = AppsV1.StatefulSetPersistentVolumeClaimRetentionPolicy(
            whenDeleted: test.whenDeleted, whenScaled: test.whenScaled)
        let pod = F.member(set, 2, revision: "r")
        // Start from the opposite of what is wanted: both owners present.
        let claim = F.claim("www-web-2", owners: [StatefulSetClaimRetention.reference(to: set), StatefulSetClaimRetention.reference(to: pod)])
        let owners = StatefulSetClaimRetention.ownerReferences(of: claim, set: set, pod: pod) ?? claim.metadata.ownerReferences ?? []
        #expect(owners.map(\.kind) == test.owners)
        #expect(owners.allSatisfy { $0.controller == nil })
        var settled = claim
        settled.metadata.ownerReferences = owners
        #expect(StatefulSetClaimRetention.ownerReferences(of: settled, set: set, pod: pod) == nil)
    }
}
