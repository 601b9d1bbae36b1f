import Foundation
import KubeModel
import Testing
@testable import KubeControllers

@Suite struct ControllerHistoryTests {
    typealias F = WorkloadFixtures

    @Test func patchRestoresTheTemplate() throws {
        let template = F.statefulSet(image: "nginx:7").spec.template
        let data = ControllerHistory.templatePatch(template)
        #expect(data[path: ["spec", "template", "$patch"]] == "replace")
        let revision = F.revision("web-x", of: template, number: 1)
        #expect(ControllerHistory.template(of: revision) == template)
    }

    @Test func hashIsStableAndNameSafe() {
        let data = ControllerHistory.templatePatch(F.statefulSet().spec.template)
        let hash = ControllerHistory.hash(data, collisionCount: 0)
        #expect(hash == ControllerHistory.hash(data, collisionCount: 0))
        #expect(hash != ControllerHistory.hash(data, collisionCount: 1))
        #expect(hash != ControllerHistory.hash(ControllerHistory.templatePatch(F.statefulSet(image: "nginx:2").spec.template),
                                               collisionCount: 0))
        #expect(!hash.isEmpty && hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
    }

    @Test func keyOrderDoesNotMatter() {
        let a: JSONValue = ["spec": ["b": 1, "a": ["y": 2, "x": 3]]]
        let b: JSONValue = ["spec": ["a": ["x": 3, "y": 2], "b": 1]]
        #expect(ControllerHistory.sameData(a, b))
        #expect(ControllerHistory.hash(a, collisionCount: 0) == ControllerHistory.hash(b, collisionCount: 0))
    }

    @Test func namesAreOwnerDashHash() {
        #expect(ControllerHistory.revisionName(owner: "web", hash: "7b9c") == "web-7b9c")
        #expect(ControllerHistory.revisionName(owner: String(repeating: "a", count: 300), hash: "h").count == 225)
    }

    @Test func revisionsSortByNumberThenName() {
        let template = F.statefulSet().spec.template
        let sorted = ControllerHistory.sorted([F.revision("c", of: template, number: 2), F.revision("b", of: template, number: 1),
                                               F.revision("a", of: template, number: 2)])
        #expect(sorted.map(\.metadata.name) == ["b", "a", "c"])
        #expect(ControllerHistory.nextRevision(after: sorted) == 3)
        #expect(ControllerHistory.nextRevision(after: []) == 1)
    }
}
