import Foundation
import KubeClient
import KubeModel
import Testing

@testable import KubeControllers

@Suite struct TTLAfterFinishedControllerTests {
    func exists(_ harness: BatchHarness, _ name: String) async throws -> Bool {
        do {
            _ = try await harness.jobs.get(name)
            return true
        } catch let error as APIStatusError where error.isNotFound {
            return false
        }
    }

    func exists(_ harness: BatchHarness, _ names: [String]) async throws -> [Bool] {
        var result: [Bool] = []
        for name in names { result.append(try await exists(harness, name)) }
        return result
    }

    @Test func finishedJobIsDeletedWhenItsTimeRunsOut() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([TTLAfterFinishedController(context: harness.context)]) {
            _ = try await harness.jobs.create(batchJob("short") { $0.spec.ttlSecondsAfterFinished = 60 })
            _ = try await harness.jobs.create(batchJob("failed") { $0.spec.ttlSecondsAfterFinished = 60 })
            _ = try await harness.jobs.create(batchJob("running") { $0.spec.ttlSecondsAfterFinished = 0 })
            _ = try await harness.jobs.create(batchJob("forever"))
            try await harness.finishJob("short")
            try await harness.finishJob("failed", succeeded: false)
            try await harness.finishJob("forever")
            harness.clock.advance(by: .seconds(59))
            try await harness.holds("kept for 60 s") { try await exists(harness, ["short", "failed"]) == [true, true] }
            harness.clock.advance(by: .seconds(2))
            try await harness.eventually("deleted", tick: .zero) { try await exists(harness, ["short", "failed"]) == [false, false] }
            try await harness.holds("unfinished and TTL-less Jobs stay") {
                try await exists(harness, ["running", "forever"]) == [true, true]
            }
        }
    }

    @Test func aLongerTTLSetBeforeExpiryKeepsTheJob() async throws {
        let harness = try await BatchHarness.make()
        try await harness.run([TTLAfterFinishedController(context: harness.context)]) {
            _ = try await harness.jobs.create(batchJob("extended") { $0.spec.ttlSecondsAfterFinished = 10 })
            try await harness.finishJob("extended")
            var job = try await harness.jobs.get("extended")
            job.spec.ttlSecondsAfterFinished = 100
            _ = try await harness.jobs.update(job)
            harness.clock.advance(by: .seconds(20))
            try await harness.holds("kept") { try await exists(harness, "extended") }
            harness.clock.advance(by: .seconds(81))
            try await harness.eventually("deleted", tick: .zero) { try await !exists(harness, "extended") }
        }
    }
}
