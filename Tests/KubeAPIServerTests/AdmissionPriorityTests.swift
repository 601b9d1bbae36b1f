import Foundation
import KubeAPIServer
import KubeModel
import Testing

@Suite("Admission: Priority")
struct AdmissionPriorityTests {
    typealias F = AdmissionFixtures

    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        var classes: [JSONValue] = []
        var spec: JSONObject = [:]
        var status = 201
        var priority: Int64? = nil
        var className: String? = nil
        var preemptionPolicy: String? = nil
        var message = ""
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "no class and no default: 0", priority: 0, preemptionPolicy: "PreemptLowerPriority"),
        Case(label: "the global default class", classes: [F.priorityClass("low", value: 100, globalDefault: true, preemptionPolicy: "Never")],
             priority: 100, className: "low", preemptionPolicy: "Never"),
        Case(label: "a named class", classes: [F.priorityClass("high", value: 1000, preemptionPolicy: "Never")],
             spec: ["priorityClassName": "high"], priority: 1000, className: "high", preemptionPolicy: "Never"),
        Case(label: "a system class", spec: ["priorityClassName": "system-node-critical"], priority: 2_000_001_000,
             className: "system-node-critical", preemptionPolicy: "PreemptLowerPriority"),
        Case(label: "a matching priority is accepted", classes: [F.priorityClass("high", value: 1000)],
             spec: ["priorityClassName": "high", "priority": 1000], priority: 1000, className: "high", preemptionPolicy: "PreemptLowerPriority"),
        Case(label: "an unknown class", spec: ["priorityClassName": "foo"], status: 403,
             message: #"pods "p" is forbidden: no PriorityClass with name foo was found"#),
        Case(label: "a priority that disagrees", classes: [F.priorityClass("high", value: 1000)],
             spec: ["priorityClassName": "high", "priority": 5], status: 403,
             message: #"pods "p" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name"#),
        Case(label: "a priority without class disagrees with 0", spec: ["priority": 7], status: 403,
             message: #"pods "p" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name"#),
        Case(label: "a preemption policy that disagrees", classes: [F.priorityClass("calm", value: 10, preemptionPolicy: "Never")],
             spec: ["priorityClassName": "calm", "preemptionPolicy": "PreemptLowerPriority"], status: 403,
             message: #"pods "p" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name"#),
    ]

    @Test(arguments: cases)
    func podsGetTheirPriorityFromTheirClass(_ test: Case) async throws {
        let api = try await TestAPI.make()
        for priorityClass in test.classes { #expect(try await api.send(.POST, F.priorityClasses, priorityClass).status == 201) }
        let reply = try await api.send(.POST, F.pods, F.pod("p", spec: test.spec))
        #expect(reply.status == test.status, "\(reply.body)")
        if test.status == 201 {
            #expect(reply.body[path: ["spec", "priority"]]?.intValue == test.priority)
            #expect(reply.body[path: ["spec", "priorityClassName"]]?.stringValue == test.className)
            #expect(reply.body[path: ["spec", "preemptionPolicy"]]?.stringValue == test.preemptionPolicy)
        } else {
            #expect(reply.message == test.message)
            #expect(reply.reason == "Forbidden")
            #expect(reply.body[path: ["details", "kind"]] == "pods")
            #expect(reply.body[path: ["details", "name"]] == "p")
        }
    }

    @Test func theSystemClassesExistFromTheStart() async throws {
        let api = try await TestAPI.make()
        for (name, value) in [("system-cluster-critical", 2_000_000_000), ("system-node-critical", 2_000_001_000)] {
            let reply = try await api.send(.GET, F.priorityClasses + "/" + name)
            #expect(reply.status == 200)
            #expect(reply.body["value"]?.intValue == Int64(value))
            #expect(reply.body["preemptionPolicy"] == "PreemptLowerPriority")
            #expect(reply.body["description"]?.stringValue?.hasPrefix("Used for system critical pods") == true)
        }
        let deleted = try await api.send(.DELETE, F.priorityClasses + "/system-node-critical")
        #expect(deleted.status == 403)
        #expect(deleted.message == #"priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted"#)
    }

    @Test func onlyOneClassIsTheGlobalDefault() async throws {
        let api = try await TestAPI.make()
        #expect(try await api.send(.POST, F.priorityClasses, F.priorityClass("first", value: 10, globalDefault: true)).status == 201)
        let second = try await api.send(.POST, F.priorityClasses, F.priorityClass("second", value: 20, globalDefault: true))
        #expect(second.status == 403)
        #expect(second.message == #"priorityclasses.scheduling.k8s.io "second" is forbidden: PriorityClass first is already marked as default. Only one default can exist"#)
        #expect(second.body[path: ["details", "group"]] == "scheduling.k8s.io")

        #expect(try await api.send(.POST, F.priorityClasses, F.priorityClass("second", value: 20)).status == 201)
        let marked = try await api.send(.PATCH, F.priorityClasses + "/second", ["globalDefault": true],
                                        contentType: "application/merge-patch+json")
        #expect(marked.status == 403)
        // The default itself may stay the default.
        let kept = try await api.send(.PATCH, F.priorityClasses + "/first", ["globalDefault": true, "description": "d"],
                                      contentType: "application/merge-patch+json")
        #expect(kept.status == 200)
    }

    @Test func updatesKeepTheResolvedPriority() async throws {
        let api = try await TestAPI.make()
        #expect(try await api.send(.POST, F.priorityClasses, F.priorityClass("high", value: 1000)).status == 201)
        let created = try await api.send(.POST, F.pods, F.pod("p", spec: ["priorityClassName": "high"]))
        var replacement = created.body
        var spec = replacement["spec"]?.objectValue ?? [:]
        spec["priority"] = nil
        spec["preemptionPolicy"] = nil
        replacement["spec"] = .object(spec)
        replacement["metadata"] = ["name": "p", "labels": ["changed": "yes"]]
        let updated = try await api.send(.PUT, F.pods + "/p", replacement)
        #expect(updated.status == 200, "\(updated.body)")
        #expect(updated.body[path: ["spec", "priority"]] == 1000)
        #expect(updated.body[path: ["spec", "preemptionPolicy"]] == "PreemptLowerPriority")
    }
}
