import Foundation
import KubeClient
import KubeModel
import Testing
@testable import KubeControllers

/// The DaemonSet controller against a real API server, the test acting as scheduler and kubelet.
/// One test at a time: each runs a server, and together they would starve the machine.
@Suite(.serialized) struct DaemonSetControllerTests {
    typealias F = WorkloadFixtures

    /// Live daemon pods by the node they are pinned to.
    func podsByNode(_ cluster: ControllerTestCluster) async throws -> [String: [CoreV1.Pod]] {
        DaemonSetController.podsByNode(try await cluster.pods().filter { $0.metadata.deletionTimestamp == nil })
    }

    /// Plays scheduler and kubelet for every daemon pod: binds it to the node it is pinned to,
    /// reports it Running and Ready, and finishes graceful deletions.
    func settle(_ cluster: ControllerTestCluster) async throws {
        for pod in try await cluster.pods() {
            if pod.metadata.deletionTimestamp != nil {
                try await cluster.finishDeletion(pod.name)
                continue
            }
            if pod.spec.nodeName == nil, let node = DaemonSetPlacement.targetNode(of: pod) {
                try await cluster.bind(pod.name, to: node)
            }
            if !pod.isReady { try await cluster.setRunning(pod.name) }
        }
    }

    @Test func followsNodesAsTheyComeAndGo() async throws {
        try await ControllerTestCluster.run({ DaemonSetController(context: $0) }) { cluster in
            try await cluster.makeNode("node-a")
            try await cluster.makeNode("node-b")
            try await cluster.submit(F.daemonSet())
            try await cluster.waitUntil("a pod per node") { Set(try await podsByNode(cluster).keys) == ["node-a", "node-b"] }

            let pod = try #require(try await podsByNode(cluster)["node-a"]?.first)
            #expect(pod.metadata.generateName == "agent-")
            #expect(pod.spec.nodeName == nil)
            #expect(pod.controllerReference?.kind == "DaemonSet")
            let hash = try #require(pod.metadata.labels?["controller-revision-hash"])
            let tolerated = Set((pod.spec.tolerations ?? []).compactMap(\.key))
            #expect(tolerated.isSuperset(of: ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable",
                                              "node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure",
                                              "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable"]))
            let revisions = try await cluster.revisions()
            #expect(revisions.map(\.metadata.name) == ["agent-\(hash)"])
            #expect(revisions.first?.metadata.labels?["controller-revision-hash"] == hash)

            try await settle(cluster)
            try await cluster.waitUntil("status with two nodes") {
                let status = try await cluster.daemonSet().status
                return status.desiredNumberScheduled == 2 && status.numberReady == 2 && status.numberAvailable == 2
                    && status.updatedNumberScheduled == 2 && status.currentNumberScheduled == 2 && status.observedGeneration == 1
            }

            try await cluster.makeNode("node-c")
            try await cluster.waitUntil("a pod on the new node") { try await podsByNode(cluster)["node-c"]?.count == 1 }
            try await cluster.deleteNode("node-a")
            try await cluster.waitUntil("the pod of the removed node goes") {
                Set(try await podsByNode(cluster).keys) == ["node-b", "node-c"]
            }
            try await settle(cluster)
            try await cluster.waitUntil("status follows") {
                let status = try await cluster.daemonSet().status
                return status.desiredNumberScheduled == 2 && status.numberReady == 2 && status.numberUnavailable == nil
            }
        }
    }

    @Test func selectorsAndTaintsChooseNodes() async throws {
        try await ControllerTestCluster.run({ DaemonSetController(context: $0) }) { cluster in
            try await cluster.makeNode("worker", labels: ["role": "worker"])
            try await cluster.makeNode("plain")
            try await cluster.makeNode("tainted", labels: ["role": "worker"],
                                       taints: [CoreV1.Taint(effect: "NoSchedule", key: "dedicated", value: "db")])
            var set = F.daemonSet()
            set.spec.template.spec?.nodeSelector = ["role": "worker"]
            try await cluster.submit(set)
            try await cluster.waitUntil("only the worker") { Set(try await podsByNode(cluster).keys) == ["worker"] }
            try await cluster.stays("still only the worker") { Set(try await podsByNode(cluster).keys) == ["worker"] }
            try await cluster.waitUntil("status") { try await cluster.daemonSet().status.desiredNumberScheduled == 1 }

            // Relabelled nodes are followed both ways.
            try await cluster.modify(CoreV1.Node.self, "plain") { $0.metadata.labels?["role"] = "worker" }
            try await cluster.modify(CoreV1.Node.self, "worker") { $0.metadata.labels?["role"] = "db" }
            try await cluster.waitUntil("moved") { Set(try await podsByNode(cluster).keys) == ["plain"] }

            // A toleration opens the tainted node.
            try await cluster.modify(AppsV1.DaemonSet.self, "agent") {
                $0.spec.template.spec?.tolerations = [CoreV1.Toleration(effect: "NoSchedule", key: "dedicated", operator: "Exists")]
            }
            try await cluster.waitUntil("tainted node too") { Set(try await podsByNode(cluster).keys) == ["plain", "tainted"] }
        }
    }

    @Test func rollingUpdateOneNodeAtATime() async throws {
        try await ControllerTestCluster.run({ DaemonSetController(context: $0) }) { cluster in
            for name in ["n1", "n2", "n3"] { try await cluster.makeNode(name) }
            try await cluster.submit(F.daemonSet())
            try await cluster.waitUntil("three pods") { try await podsByNode(cluster).count == 3 }
            try await settle(cluster)
            try await cluster.waitUntil("ready") { try await cluster.daemonSet().status.numberAvailable == 3 }

            try await cluster.modify(AppsV1.DaemonSet.self, "agent") { $0.spec.template.spec?.containers[0].image = "agent:2" }
            var rounds = 0
            while true {
                let status = try await cluster.daemonSet().status
                if status.observedGeneration == 2, status.updatedNumberScheduled == 3, status.numberAvailable == 3 { break }
                // Never more than one node without an available pod.
                let pods = try await cluster.pods()
                let terminating = pods.filter { $0.metadata.deletionTimestamp != nil }
                let unready = pods.filter { $0.metadata.deletionTimestamp == nil && !$0.isReady }
                #expect(terminating.count + unready.count <= 1)
                try await settle(cluster)
                try await Task.sleep(for: .milliseconds(50))
                rounds += 1
                if rounds > 300 {
                    Issue.record("rollout did not finish")
                    return
                }
            }
            let images = try await cluster.pods().map { $0.spec.containers[0].image }
            #expect(images == ["agent:2", "agent:2", "agent:2"])
            #expect(try await cluster.daemonSet().status.observedGeneration == 2)
            #expect(try await cluster.revisions().count == 2)
        }
    }

    @Test func surgeStartsNewPodsBesideOldOnes() async throws {
        try await ControllerTestCluster.run({ DaemonSetController(context: $0) }) { cluster in
            for name in ["n1", "n2"] { try await cluster.makeNode(name) }
            try await cluster.submit(F.daemonSet(maxUnavailable: 0, maxSurge: 1))
            try await cluster.waitUntil("two pods") { try await podsByNode(cluster).count == 2 }
            try await settle(cluster)
            try await cluster.waitUntil("ready") { try await cluster.daemonSet().status.numberAvailable == 2 }

            try await cluster.modify(AppsV1.DaemonSet.self, "agent") { $0.spec.template.spec?.containers[0].image = "agent:2" }
            try await cluster.waitUntil("a surge pod") { try await podsByNode(cluster).values.contains { $0.count == 2 } }
            // The old pod stays until the new one beside it is available.
            try await cluster.stays("old pods kept") { try await cluster.pods().filter { $0.metadata.deletionTimestamp != nil }.isEmpty }
            #expect(try await cluster.pods().count == 3)
            for _ in 0..<200 {
                try await settle(cluster)
                let status = try await cluster.daemonSet().status
                if status.observedGeneration == 2, status.updatedNumberScheduled == 2, status.numberAvailable == 2, try await cluster.pods().count == 2 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await cluster.pods().map { $0.spec.containers[0].image } == ["agent:2", "agent:2"])
        }
    }

    @Test func onDeleteLeavesPodsAlone() async throws {
        try await ControllerTestCluster.run({ DaemonSetController(context: $0) }) { cluster in
            try await cluster.makeNode("n1")
            try await cluster.submit(F.daemonSet(strategy: "OnDelete"))
            try await cluster.waitUntil("a pod") { try await podsByNode(cluster).count == 1 }
            try await settle(cluster)
            try await cluster.modify(AppsV1.DaemonSet.self, "agent") { $0.spec.template.spec?.containers[0].image = "agent:2" }
            try await cluster.waitUntil("observed") { try await cluster.daemonSet().status.observedGeneration == 2 }
            try await cluster.stays("old pod kept") { try await cluster.pods().allSatisfy { $0.spec.containers[0].image == "agent:1" } }
            #expect(try await cluster.daemonSet().status.updatedNumberScheduled == nil)
            let old = try #require(try await cluster.pods().first)
            try await cluster.client.resource(CoreV1.Pod.self, namespace: "default").delete(old.name)
            try await settle(cluster)
            try await cluster.waitUntil("replaced at the new template") {
                try await cluster.pods().map { $0.spec.containers[0].image } == ["agent:2"]
            }
        }
    }

    @Test func failedPodsAreReplaced() async throws {
        try await ControllerTestCluster.run({ DaemonSetController(context: $0) }) { cluster in
            try await cluster.makeNode("n1")
            try await cluster.submit(F.daemonSet())
            try await cluster.waitUntil("a pod") { try await podsByNode(cluster).count == 1 }
            try await settle(cluster)
            let first = try #require(try await cluster.pods().first)
            try await cluster.setRunning(first.name, ready: false, phase: "Failed")
            try await cluster.waitUntil("replaced") {
                let pods = try await cluster.pods()
                return pods.count == 1 && pods[0].name != first.name
            }
        }
    }
}
