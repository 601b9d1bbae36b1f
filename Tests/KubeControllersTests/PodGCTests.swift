import Foundation
import KubeClient
@testable import KubeControllers
import KubeModel
import Testing

@Suite("Pod garbage collector")
struct PodGCTests {
    func settings(threshold: Int = 12500) -> ControllerSettings {
        var settings = ControllerSettings()
        settings.podGCPeriod = .milliseconds(100)
        settings.podGCOrphanQuarantine = .milliseconds(300)
        settings.terminatedPodGCThreshold = threshold
        return settings
    }

    func podGC(_ context: ControllerContext) -> [any Controller] { [PodGCController(context: context)] }

    @Test("terminated pods beyond the threshold go, oldest first")
    func terminated() async throws {
        let cluster = try await TestAPIServer.make()
        let pods = cluster.resource(CoreV1.Pod.self, "default")
        for index in 0..<4 {
            _ = try await pods.create(makePod("done-\(index)", namespace: "default"))
            try await cluster.setPodStatus("default", "done-\(index)", ip: nil, ready: false, phase: index == 3 ? "Failed" : "Succeeded")
        }
        _ = try await pods.create(makePod("running", namespace: "default"))
        try await cluster.running(settings: settings(threshold: 2), podGC) {
            try await eventually("terminated pods over the threshold remain") { try await pods.list().items.count == 3 }
            try await Task.sleep(for: .milliseconds(250))
            #expect(Set(try await pods.list().items.compactMap(\.metadata.name)) == ["done-2", "done-3", "running"])
        }
    }

    @Test("pods bound to a node that is gone are deleted after the quarantine")
    func orphaned() async throws {
        let cluster = try await TestAPIServer.make()
        try await cluster.makeNode("alive")
        let pods = cluster.resource(CoreV1.Pod.self, "default")
        for (name, node) in [("stranded", "ghost"), ("home", "alive")] {
            var pod = makePod(name, namespace: "default")
            pod.spec.nodeName = node
            _ = try await pods.create(pod)
        }
        try await cluster.running(settings: settings(), podGC) {
            try await eventually("the orphaned pod is not deleted") { try await isGone(pods, "stranded") }
            #expect(try await isGone(pods, "home") == false)
        }
    }

    @Test("unscheduled pods being deleted are failed and force-deleted")
    func unscheduledTerminating() async throws {
        let cluster = try await TestAPIServer.make()
        let pods = cluster.resource(CoreV1.Pod.self, "default")
        var pod = makePod("held", namespace: "default")
        pod.metadata.finalizers = ["example.com/hold"]
        _ = try await pods.create(pod)
        try await pods.delete("held")
        try await cluster.running(settings: settings(), podGC) {
            try await eventually("the unscheduled terminating pod is not failed") { try await pods.get("held").status.phase == "Failed" }
        }
    }
}
