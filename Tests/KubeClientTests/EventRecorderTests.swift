import Foundation
import KubeClient
import KubeModel
import Testing

@Suite("Event recorder against a real API server")
struct EventRecorderTests {
    @Test("repeats of one event become one Event with a count; other events get their own")
    func aggregation() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let subject = try await cluster.client.resource(CoreV1.ConfigMap.self, namespace: namespace).create(configMap("subject"))
            let recorder = EventRecorder(client: cluster.client, component: "client-test", host: "node-1")
            let events = cluster.client.resource(CoreV1.Event.self, namespace: namespace)

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await recorder.run() }
                for _ in 0..<3 {
                    recorder.record(subject, type: .warning, reason: "Broken", message: "it broke")
                }
                try await eventually("count 3") {
                    let items = try await events.list().items
                    return items.count == 1 && items.first?.count == 3
                }
                recorder.record(subject, type: .normal, reason: "Fixed", message: "all good")
                try await eventually("second event") { try await events.list().items.count == 2 }
                group.cancelAll()
            }

            let all = try await events.list().items
            let broken = try #require(all.first { $0.reason == "Broken" })
            #expect(broken.count == 3)
            #expect(broken.type == "Warning")
            #expect(broken.message == "it broke")
            #expect(broken.involvedObject.name == "subject")
            #expect(broken.involvedObject.kind == "ConfigMap")
            #expect(broken.involvedObject.uid == subject.metadata.uid)
            #expect(broken.source?.component == "client-test")
            #expect(broken.source?.host == "node-1")
            #expect(broken.reportingComponent == "client-test")
            #expect(broken.firstTimestamp != nil)
            #expect(broken.lastTimestamp.map { $0 >= broken.firstTimestamp! } == true)
            let name = try #require(broken.metadata.name)
            #expect(name.hasPrefix("subject."))
            #expect(name.dropFirst("subject.".count).count == 16)
            #expect(all.first { $0.reason == "Fixed" }?.count == 1)
        }
    }

    @Test("recording never blocks: beyond the buffer, events are dropped")
    func boundedBuffer() async throws {
        try await TestCluster.withNamespace { cluster, namespace in
            let subject = configMap("subject", namespace: namespace)
            let recorder = EventRecorder(client: cluster.client, component: "client-test", bufferSize: 2)
            for index in 0..<5 {
                recorder.record(subject, type: .normal, reason: "Step", message: "step \(index)")
            }
            let events = cluster.client.resource(CoreV1.Event.self, namespace: namespace)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await recorder.run() }
                try await eventually("buffered events written") { try await events.list().items.count == 2 }
                try await Task.sleep(for: .milliseconds(100))
                group.cancelAll()
            }
            #expect(Set(try await events.list().items.compactMap(\.message)) == ["step 0", "step 1"])
        }
    }
}
