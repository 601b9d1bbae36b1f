import Foundation
import KubeModel
import Testing

@testable import KubeScheduler

@Suite struct NodeCacheTests {
    @Test func accountsPodsOnTheirNodes() throws {
        var cache = NodeCache()
        cache.addNode(Make.node("n1"))
        cache.addPod(Make.pod("a", cpu: "1", memory: "1Gi", node: "n1") {
            $0.spec.containers[0].ports = [CoreV1.ContainerPort(containerPort: 80, hostPort: 8080)]
        })
        cache.addPod(Make.pod("b", node: "n1"))
        let node = try #require(cache.snapshot().node(named: "n1"))
        #expect(node.pods.count == 2)
        #expect(node.requested.milliCPU == 1000)
        #expect(node.nonZeroRequested.milliCPU == 1100)
        #expect(node.nonZeroRequested.memory == 1024 * 1024 * 1024 + PodRequests.defaultMemoryRequest)
        #expect(node.usedPorts.conflicts(with: HostPort(port: 8080)))

        cache.removePod(Make.pod("a", node: "n1"))
        let after = try #require(cache.snapshot().node(named: "n1"))
        #expect(after.requested.milliCPU == 0)
        #expect(!after.usedPorts.conflicts(with: HostPort(port: 8080)))
    }

    @Test func snapshotsDoNotChangeWhenTheCacheDoes() {
        var cache = NodeCache()
        cache.addNode(Make.node("n1"))
        let before = cache.snapshot()
        cache.addPod(Make.pod("a", cpu: "1", node: "n1"))
        cache.addNode(Make.node("n2"))
        #expect(before.node(named: "n1")?.pods.isEmpty == true)
        #expect(before.nodes.count == 1)
        #expect(cache.snapshot().node(named: "n1")?.pods.count == 1)
    }

    @Test func assumeConfirmAndForget() throws {
        var cache = NodeCache()
        cache.addNode(Make.node("n1"))
        cache.addNode(Make.node("n2"))
        let pod = Make.pod("p", cpu: "1")
        try cache.assumePod(pod, on: "n1")
        #expect(cache.isAssumed(pod))
        #expect(cache.snapshot().node(named: "n1")?.requested.milliCPU == 1000)
        #expect(throws: NodeCacheError.self) { try cache.assumePod(pod, on: "n2") }

        // The informer confirms the binding: no longer assumed, still counted once.
        var bound = pod
        bound.spec.nodeName = "n1"
        cache.addPod(bound)
        #expect(!cache.isAssumed(pod))
        #expect(cache.snapshot().node(named: "n1")?.pods.count == 1)

        let other = Make.pod("q", cpu: "1")
        try cache.assumePod(other, on: "n2")
        cache.forgetPod(other)
        #expect(cache.snapshot().node(named: "n2")?.pods.isEmpty == true)
    }

    @Test func podsMayArriveBeforeTheirNode() {
        var cache = NodeCache()
        cache.addPod(Make.pod("early", cpu: "1", node: "late"))
        #expect(cache.snapshot().nodes.isEmpty)
        cache.addNode(Make.node("late"))
        #expect(cache.snapshot().node(named: "late")?.pods.map(\.name) == ["early"])
        cache.removeNode(named: "late")
        #expect(cache.snapshot().nodes.isEmpty)
        cache.addNode(Make.node("late"))
        #expect(cache.snapshot().node(named: "late")?.pods.map(\.name) == ["early"])
    }

    @Test func updatesMovePodsAndChangeNodes() {
        var cache = NodeCache()
        cache.addNode(Make.node("n1"))
        let old = Make.pod("p", cpu: "1", node: "n1")
        cache.addPod(old)
        var new = old
        new.spec.containers[0].resources = CoreV1.ResourceRequirements(requests: ["cpu": "2"])
        cache.updatePod(old: old, new: new)
        #expect(cache.snapshot().node(named: "n1")?.requested.milliCPU == 2000)
        cache.updateNode(Make.node("n1", cpu: "16"))
        #expect(cache.snapshot().node(named: "n1")?.allocatable.milliCPU == 16000)
        #expect(cache.snapshot().node(named: "n1")?.pods.count == 1)
    }

    @Test func nodeOrderInterleavesZones() {
        var cache = NodeCache()
        for name in ["a1", "a2", "a3"] { cache.addNode(Make.node(name, labels: ["topology.kubernetes.io/zone": "a"])) }
        for name in ["b1", "b2"] { cache.addNode(Make.node(name, labels: ["topology.kubernetes.io/zone": "b"])) }
        #expect(cache.snapshot().nodeNames == ["a1", "b1", "a2", "b2", "a3"])
    }

    @Test func labelIndexCountsMatchScanning() throws {
        var cache = NodeCache()
        cache.addNode(Make.node("n1"))
        for index in 0..<30 {
            cache.addPod(Make.pod("p\(index)", namespace: index % 3 == 0 ? "other" : "default",
                                  labels: ["app": index % 2 == 0 ? "web" : "db", "tier": "\(index % 5)"], node: "n1") {
                if index % 7 == 0 { $0.metadata.deletionTimestamp = Time.now() }
            })
        }
        let node = try #require(cache.snapshot().node(named: "n1"))
        let selectors = [
            LabelSelector(validatedLabels: ["app": "web"]),
            LabelSelector(validatedLabels: ["app": "web", "tier": "2"]),
            try LabelSelector(parsing: "tier in (1,3)"),
            try LabelSelector(parsing: "app"),
            LabelSelector.everything,
            LabelSelector.nothing,
        ]
        for selector in selectors {
            for namespace in ["default", "other", "none"] {
                for excluding in [false, true] {
                    let scanned = node.pods.filter {
                        $0.namespace == namespace && (!excluding || !$0.isTerminating) && selector.matches($0.labels)
                    }.count
                    #expect(node.countPods(matching: selector, namespace: namespace, excludingTerminating: excluding) == scanned,
                            "\(selector) in \(namespace)")
                }
            }
        }
    }
}
