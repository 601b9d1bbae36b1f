import Foundation
import KubeClient
import KubeModel
import Testing
@testable import KubeControllers

/// The StatefulSet controller against a real API server, the test acting as scheduler and kubelet.
/// One test at a time: each runs a server, and together they would starve the machine.
@Suite(.serialized) struct StatefulSetControllerTests {
    typealias F = WorkloadFixtures

    func generation(of image: String) -> Int? { Int(image.dropFirst("nginx:".count)) }

    /// Binds the pod to `node` and reports it Running and Ready once it exists.
    func start(_ name: String, on node: String = "node-a", in cluster: ControllerTestCluster) async throws {
        try await cluster.waitUntil("\(name) created") { try await cluster.pod(name) != nil }
        if try await cluster.pod(name)?.spec.nodeName == nil { try await cluster.bind(name, to: node) }
        try await cluster.setRunning(name)
    }

    @Test func orderedReadyComesUpInOrderWithClaims() async throws {
        try await ControllerTestCluster.run({ StatefulSetController(context: $0) }) { cluster in
            try await cluster.makeNode("node-a")
            try await cluster.submit(F.statefulSet())
            for ordinal in 0..<3 {
                let name = "web-\(ordinal)"
                try await cluster.waitUntil("\(name) created") { try await cluster.pod(name) != nil }
                // The next one waits until this one is Running and Ready.
                try await cluster.stays("web-\(ordinal + 1) absent") { try await cluster.pod("web-\(ordinal + 1)") == nil }
                let claimNames = try await cluster.claims().compactMap(\.metadata.name)
                #expect(claimNames.contains("www-\(name)"))
                try await start(name, in: cluster)
            }
            try await cluster.waitUntil("status ready") { try await cluster.statefulSet().status.readyReplicas == 3 }
            let status = try await cluster.statefulSet().status
            #expect(status.replicas == 3 && status.currentReplicas == 3 && status.updatedReplicas == 3 && status.availableReplicas == 3)
            #expect(status.currentRevision == status.updateRevision)
            #expect(status.observedGeneration == 1)
            #expect(status.collisionCount == 0)

            let pod = try #require(try await cluster.pod("web-1"))
            #expect(pod.metadata.labels?["statefulset.kubernetes.io/pod-name"] == "web-1")
            #expect(pod.metadata.labels?["apps.kubernetes.io/pod-index"] == "1")
            #expect(pod.metadata.labels?["controller-revision-hash"] == status.updateRevision)
            #expect(pod.spec.hostname == "web-1" && pod.spec.subdomain == "nginx")
            #expect(pod.spec.volumes?.first { $0.name == "www" }?.persistentVolumeClaim?.claimName == "www-web-1")
            let revisions = try await cluster.revisions()
            #expect(revisions.map(\.metadata.name) == [status.updateRevision])
            #expect(revisions.first?.metadata.labels?["controller.kubernetes.io/hash"] != nil)
            #expect(revisions.first?.revision == 1)
            let claim = try #require(try await cluster.claims().first { $0.metadata.name == "www-web-0" })
            #expect(claim.metadata.labels?["app"] == "web")
            #expect(claim.metadata.ownerReferences == nil)
        }
    }

    @Test func parallelCreatesEverythingAtOnce() async throws {
        try await ControllerTestCluster.run({ StatefulSetController(context: $0) }) { cluster in
            try await cluster.submit(F.statefulSet(replicas: 4, policy: "Parallel", claims: false))
            try await cluster.waitUntil("4 pods") { try await cluster.pods().count == 4 }
            #expect(Set(try await cluster.pods().map(\.name)) == ["web-0", "web-1", "web-2", "web-3"])
            try await cluster.waitUntil("status counts created pods") { try await cluster.statefulSet().status.replicas == 4 }
        }
    }

    @Test func rollingUpdateReplacesFromTheHighestOrdinal() async throws {
        try await ControllerTestCluster.run({ StatefulSetController(context: $0) }) { cluster in
            try await cluster.makeNode("node-a")
            try await cluster.submit(F.statefulSet(claims: false))
            for ordinal in 0..<3 { try await start("web-\(ordinal)", in: cluster) }
            try await cluster.waitUntil("ready") { try await cluster.statefulSet().status.readyReplicas == 3 }
            let firstRevision = try await cluster.statefulSet().status.currentRevision

            try await cluster.modify(AppsV1.StatefulSet.self, "web") { $0.spec.template.spec?.containers[0].image = "nginx:2" }
            var order: [String] = []
            for ordinal in (0..<3).reversed() {
                let name = "web-\(ordinal)"
                // The bound pod is deleted gracefully; the kubelet finishes it, the controller recreates it.
                try await cluster.waitUntil("\(name) terminating") { try await cluster.pod(name)?.metadata.deletionTimestamp != nil }
                for other in 0..<ordinal { #expect(try await cluster.pod("web-\(other)")?.metadata.deletionTimestamp == nil) }
                order.append(name)
                try await cluster.finishDeletion(name)
                try await cluster.waitUntil("\(name) recreated") {
                    try await cluster.pod(name).map { $0.spec.containers.first?.image == "nginx:2" } ?? false
                }
                try await start(name, in: cluster)
            }
            #expect(order == ["web-2", "web-1", "web-0"])
            try await cluster.waitUntil("rollout complete") {
                let status = try await cluster.statefulSet().status
                return status.currentRevision == status.updateRevision && status.updatedReplicas == 3 && status.readyReplicas == 3
            }
            let status = try await cluster.statefulSet().status
            #expect(status.currentRevision != firstRevision)
            #expect(status.observedGeneration == 2)
            let revisions = ControllerHistory.sorted(try await cluster.revisions())
            #expect(revisions.map(\.metadata.name) == [firstRevision, status.updateRevision])
            #expect(revisions.map(\.revision) == [1, 2])

            // Going back to the first template renumbers its revision instead of making a third.
            try await cluster.modify(AppsV1.StatefulSet.self, "web") { $0.spec.template.spec?.containers[0].image = "nginx:1" }
            try await cluster.waitUntil("rollback revision") { try await cluster.statefulSet().status.updateRevision == firstRevision }
            let after = ControllerHistory.sorted(try await cluster.revisions())
            #expect(after.map(\.metadata.name) == [status.updateRevision, firstRevision])
            #expect(after.map(\.revision) == [2, 3])
        }
    }

    @Test func partitionHoldsLowerOrdinals() async throws {
        try await ControllerTestCluster.run({ StatefulSetController(context: $0) }) { cluster in
            try await cluster.makeNode("node-a")
            var set = F.statefulSet(policy: "Parallel", claims: false)
            set.spec.updateStrategy?.rollingUpdate?.partition = 2
            try await cluster.submit(set)
            for ordinal in 0..<3 { try await start("web-\(ordinal)", in: cluster) }
            try await cluster.waitUntil("ready") { try await cluster.statefulSet().status.readyReplicas == 3 }
            try await cluster.modify(AppsV1.StatefulSet.self, "web") { $0.spec.template.spec?.containers[0].image = "nginx:2" }
            try await cluster.waitUntil("web-2 terminating") { try await cluster.pod("web-2")?.metadata.deletionTimestamp != nil }
            try await cluster.finishDeletion("web-2")
            try await start("web-2", in: cluster)
            try await cluster.waitUntil("web-2 updated") {
                try await cluster.pod("web-2")?.spec.containers.first?.image == "nginx:2"
            }
            try await cluster.waitUntil("status") {
                let status = try await cluster.statefulSet().status
                return status.updatedReplicas == 1 && status.currentReplicas == 2 && status.readyReplicas == 3
            }
            try await cluster.stays("web-1 untouched") { try await cluster.pod("web-1")?.metadata.deletionTimestamp == nil }
            let status = try await cluster.statefulSet().status
            #expect(status.currentRevision != status.updateRevision)
        }
    }

    @Test func scaleDownGoesFromTheHighestOrdinalAndRetentionOwnsClaims() async throws {
        try await ControllerTestCluster.run({ StatefulSetController(context: $0) }) { cluster in
            try await cluster.makeNode("node-a")
            var set = F.statefulSet()
            set.spec.persistentVolumeClaimRetentionPolicy = AppsV1.StatefulSetPersistentVolumeClaimRetentionPolicy(
                whenDeleted: "Delete", whenScaled: "Delete")
            try await cluster.submit(set)
            for ordinal in 0..<3 { try await start("web-\(ordinal)", in: cluster) }
            try await cluster.waitUntil("ready") { try await cluster.statefulSet().status.readyReplicas == 3 }
            let uid = try await cluster.statefulSet().metadata.uid
            try await cluster.waitUntil("claims owned by the set") {
                try await cluster.claims().allSatisfy { $0.metadata.ownerReferences?.map(\.uid) == [uid ?? ""] }
            }

            try await cluster.modify(AppsV1.StatefulSet.self, "web") { $0.spec.replicas = 1 }
            try await cluster.waitUntil("web-2 terminating") { try await cluster.pod("web-2")?.metadata.deletionTimestamp != nil }
            // One at a time: web-1 waits until web-2 is gone.
            try await cluster.stays("web-1 kept") { try await cluster.pod("web-1")?.metadata.deletionTimestamp == nil }
            let claim = try #require(try await cluster.claims().first { $0.metadata.name == "www-web-2" })
            #expect(claim.metadata.ownerReferences?.map(\.kind) == ["Pod"])
            try await cluster.finishDeletion("web-2")
            try await cluster.waitUntil("web-1 terminating") { try await cluster.pod("web-1")?.metadata.deletionTimestamp != nil }
            try await cluster.finishDeletion("web-1")
            try await cluster.waitUntil("one replica") {
                let status = try await cluster.statefulSet().status
                return status.replicas == 1 && status.readyReplicas == 1
            }
            #expect(try await cluster.pods().map(\.name) == ["web-0"])
        }
    }

    @Test func failedPodsAreReplaced() async throws {
        try await ControllerTestCluster.run({ StatefulSetController(context: $0) }) { cluster in
            try await cluster.makeNode("node-a")
            try await cluster.submit(F.statefulSet(replicas: 1, claims: false))
            try await start("web-0", in: cluster)
            let uid = try await cluster.pod("web-0")?.metadata.uid
            try await cluster.setRunning("web-0", ready: false, phase: "Failed")
            try await cluster.waitUntil("web-0 recreated") {
                guard let pod = try await cluster.pod("web-0") else { return false }
                return pod.metadata.uid != uid
            }
        }
    }

    @Test func onDeleteWaitsForDeletions() async throws {
        try await ControllerTestCluster.run({ StatefulSetController(context: $0) }) { cluster in
            try await cluster.makeNode("node-a")
            var set = F.statefulSet(replicas: 2, policy: "Parallel", claims: false)
            set.spec.updateStrategy = AppsV1.StatefulSetUpdateStrategy(type: "OnDelete")
            try await cluster.submit(set)
            for ordinal in 0..<2 { try await start("web-\(ordinal)", in: cluster) }
            try await cluster.modify(AppsV1.StatefulSet.self, "web") { $0.spec.template.spec?.containers[0].image = "nginx:2" }
            try await cluster.waitUntil("update revision") {
                let status = try await cluster.statefulSet().status
                return status.observedGeneration == 2 && status.updateRevision != status.currentRevision
            }
            try await cluster.stays("pods untouched") {
                try await cluster.pods().allSatisfy { $0.metadata.deletionTimestamp == nil && $0.spec.containers[0].image == "nginx:1" }
            }
            try await cluster.finishDeletion("web-1")
            try await cluster.waitUntil("web-1 recreated at the new template") {
                try await cluster.pod("web-1")?.spec.containers.first?.image == "nginx:2"
            }
            #expect(try await cluster.pod("web-0")?.spec.containers.first?.image == "nginx:1")
        }
    }

    @Test func startOrdinalAndHistoryLimit() async throws {
        try await ControllerTestCluster.run({ StatefulSetController(context: $0) }) { cluster in
            var set = F.statefulSet(replicas: 2, policy: "Parallel", claims: false)
            set.spec.ordinals = AppsV1.StatefulSetOrdinals(start: 5)
            set.spec.revisionHistoryLimit = 1
            set.spec.updateStrategy = AppsV1.StatefulSetUpdateStrategy(type: "OnDelete")
            try await cluster.submit(set)
            try await cluster.waitUntil("web-5 and web-6") { Set(try await cluster.pods().map(\.name)) == ["web-5", "web-6"] }
            // Pods stay at the first revision (OnDelete), so it is live; of the others only one is kept.
            for image in ["nginx:2", "nginx:3", "nginx:4"] {
                try await cluster.modify(AppsV1.StatefulSet.self, "web") { $0.spec.template.spec?.containers[0].image = image }
                try await cluster.waitUntil("revision for \(image)") {
                    let status = try await cluster.statefulSet().status
                    guard status.observedGeneration == self.generation(of: image) else { return false }
                    return try await cluster.revisions().contains { $0.metadata.name == status.updateRevision }
                }
            }
            try await cluster.waitUntil("history truncated") { try await cluster.revisions().count == 3 }
            let names = Set(try await cluster.revisions().compactMap(\.metadata.name))
            let status = try await cluster.statefulSet().status
            #expect(names.contains(status.currentRevision ?? "") && names.contains(status.updateRevision ?? ""))
        }
    }
}
