import Foundation
import KubeAPIServer
import KubeModel
import Testing

@Suite("pods/eviction")
struct EvictionTests {
    typealias F = AdmissionFixtures
    static let running: JSONValue = ["phase": "Running", "conditions": [["type": "Ready", "status": "True"]]]
    static let unready: JSONValue = ["phase": "Running", "conditions": [["type": "Ready", "status": "False"]]]

    /// A pod labelled app=web in the given status.
    func makePod(_ api: TestAPI, _ name: String = "web-1", status: JSONValue = running, spec: JSONObject = [:]) async throws {
        #expect(try await api.send(.POST, F.pods, F.pod(name, labels: ["app": "web"], spec: spec)).status == 201)
        try await api.putStatus(F.pods + "/" + name, status)
    }

    /// A budget for app=web whose status was observed with the given numbers.
    func makeBudget(_ api: TestAPI, _ name: String = "web", allowed: Int64, current: Int64 = 2, desired: Int64 = 2,
                    policy: String? = nil, observed: Int64 = 1) async throws {
        #expect(try await api.send(.POST, F.budgets, F.budget(name, policy: policy)).status == 201)
        try await api.putStatus(F.budgets + "/" + name, [
            "observedGeneration": .int(observed), "disruptionsAllowed": .int(allowed), "currentHealthy": .int(current),
            "desiredHealthy": .int(desired), "expectedPods": 3,
        ])
    }

    func evict(_ api: TestAPI, _ name: String = "web-1", query: String = "", deleteOptions: JSONObject? = nil) async throws -> TestAPI.Reply {
        try await api.send(.POST, F.pods + "/\(name)/eviction" + query, F.eviction(name, deleteOptions: deleteOptions))
    }

    func exists(_ api: TestAPI, _ name: String = "web-1") async throws -> Bool {
        try await api.send(.GET, F.pods + "/" + name).status == 200
    }

    @Test func discoveryListsTheSubresource() async throws {
        let api = try await TestAPI.make()
        let list = try await api.send(.GET, "/api/v1")
        let entry = list.body["resources"]?.arrayValue?.first { $0["name"] == "pods/eviction" }
        #expect(entry?["kind"] == "Eviction")
        #expect(entry?["group"] == "policy")
        #expect(entry?["version"] == "v1")
        #expect(entry?["verbs"] == ["create"])
        #expect(entry?["namespaced"] == true)
    }

    @Test func withoutABudgetThePodGoes() async throws {
        let api = try await TestAPI.make()
        try await makePod(api)
        let reply = try await evict(api)
        #expect(reply.status == 201)
        #expect(StrategyHarness.sorted(reply.body) == StrategyHarness.sorted(["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "code": 201]))
        #expect(try await exists(api) == false)
    }

    @Test func aBudgetWithoutDisruptionsLeftRefuses() async throws {
        let api = try await TestAPI.make()
        try await makePod(api)
        try await makeBudget(api, allowed: 0)
        let reply = try await evict(api)
        #expect(reply.status == 429)
        #expect(reply.reason == "TooManyRequests")
        #expect(reply.message == "Cannot evict pod as it would violate the pod's disruption budget.")
        #expect(StrategyHarness.sorted(reply.body[path: ["details", "causes"]] ?? .null) == StrategyHarness.sorted([["reason": "DisruptionBudget",
                                                               "message": "The disruption budget web needs 2 healthy pods and has 2 currently"]]))
        #expect(reply.body[path: ["details", "retryAfterSeconds"]] == nil)
        #expect(reply.headers["Retry-After"].isEmpty)
        #expect(try await exists(api))
    }

    @Test func aBudgetWithADisruptionLeftGivesItUp() async throws {
        let api = try await TestAPI.make()
        try await makePod(api)
        try await makeBudget(api, allowed: 1)
        #expect(try await evict(api).status == 201)
        #expect(try await exists(api) == false)
        let status = try await api.send(.GET, F.budgets + "/web").body["status"]
        #expect(status?["disruptionsAllowed"] == 0)
        #expect(status?[path: ["disruptedPods", "web-1"]]?.stringValue?.isEmpty == false)
        let condition = status?["conditions"]?.arrayValue?.first
        #expect(condition?["type"] == "DisruptionAllowed")
        #expect(condition?["status"] == "False")
        #expect(condition?["reason"] == "InsufficientPods")
        #expect(condition?["observedGeneration"] == 1)
        // The next pod finds the budget used up.
        try await makePod(api, "web-2")
        #expect(try await evict(api, "web-2").status == 429)
    }

    @Test func aBudgetNotYetObservedAsksToComeBack() async throws {
        let api = try await TestAPI.make()
        try await makePod(api)
        #expect(try await api.send(.POST, F.budgets, F.budget("web")).status == 201)
        let reply = try await evict(api)
        #expect(reply.status == 429)
        #expect(StrategyHarness.sorted(reply.body[path: ["details", "causes"]] ?? .null) == StrategyHarness.sorted([["reason": "DisruptionBudget",
                                                               "message": "The disruption budget web is still being processed by the server."]]))
        #expect(reply.body[path: ["details", "retryAfterSeconds"]] == 10)
        #expect(reply.headers["Retry-After"] == ["10"])
    }

    @Test func aNegativeBudgetIsForbidden() async throws {
        let api = try await TestAPI.make()
        try await makePod(api)
        try await makeBudget(api, allowed: -1)
        let reply = try await evict(api)
        #expect(reply.status == 403)
        #expect(reply.message == #"poddisruptionbudget.policy "web" is forbidden: pdb disruptions allowed is negative"#)
    }

    @Test func twoBudgetsAreAnError() async throws {
        let api = try await TestAPI.make()
        try await makePod(api)
        try await makeBudget(api, "one", allowed: 1)
        try await makeBudget(api, "two", allowed: 1)
        let reply = try await evict(api)
        #expect(reply.status == 500)
        #expect(StrategyHarness.sorted(reply.body) == StrategyHarness.sorted(["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                               "message": "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
                               "code": 500]))
        #expect(try await exists(api))
    }

    @Test func budgetsOfOtherPodsDoNotCount() async throws {
        let api = try await TestAPI.make()
        try await makePod(api)
        #expect(try await api.send(.POST, F.budgets, F.budget("other", selector: ["matchLabels": ["app": "db"]])).status == 201)
        #expect(try await evict(api).status == 201)
    }

    struct PhaseCase: CustomTestStringConvertible, Sendable {
        var label: String
        var status: JSONValue
        var policy: String?
        var current: Int64 = 2
        var desired: Int64 = 2
        var evicted: Bool
        var testDescription: String { label }
    }

    static let phaseCases: [PhaseCase] = [
        PhaseCase(label: "pending pods skip budgets", status: ["phase": "Pending"], evicted: true),
        PhaseCase(label: "succeeded pods skip budgets", status: ["phase": "Succeeded"], evicted: true),
        PhaseCase(label: "failed pods skip budgets", status: ["phase": "Failed"], evicted: true),
        PhaseCase(label: "unready pods go under AlwaysAllow", status: unready, policy: "AlwaysAllow", current: 0, evicted: true),
        PhaseCase(label: "unready pods go while the application is healthy", status: unready, policy: "IfHealthyBudget", evicted: true),
        PhaseCase(label: "unready pods wait while it is not", status: unready, current: 1, evicted: false),
        PhaseCase(label: "ready pods wait", status: running, evicted: false),
    ]

    @Test(arguments: phaseCases)
    func podsThatAreNotRunningAndReady(_ test: PhaseCase) async throws {
        let api = try await TestAPI.make()
        try await makePod(api, status: test.status)
        try await makeBudget(api, allowed: 0, current: test.current, desired: test.desired, policy: test.policy)
        let reply = try await evict(api)
        #expect(reply.status == (test.evicted ? 201 : 429), "\(reply.body)")
        #expect(try await exists(api) == !test.evicted)
        // Unready evictions leave the budget alone.
        #expect(try await api.send(.GET, F.budgets + "/web").body[path: ["status", "disruptionsAllowed"]] == 0)
    }

    @Test(arguments: ["?dryRun=All", ""])
    func dryRunsChangeNothing(query: String) async throws {
        let api = try await TestAPI.make()
        try await makePod(api)
        try await makeBudget(api, allowed: 1)
        let options: JSONObject? = query.isEmpty ? ["dryRun": ["All"]] : nil
        let reply = try await evict(api, query: query, deleteOptions: options)
        #expect(reply.status == 201)
        #expect(try await exists(api))
        let status = try await api.send(.GET, F.budgets + "/web").body["status"]
        #expect(status?["disruptionsAllowed"] == 1)
        #expect(status?["disruptedPods"] == nil)
        let pod = try await api.send(.GET, F.pods + "/web-1").body
        #expect(pod[path: ["status", "conditions"]]?.arrayValue?.count == 1)
    }

    @Test func scheduledPodsGoGracefullyAsTheDeleteOptionsSay() async throws {
        let api = try await TestAPI.make()
        try await makePod(api, "slow", spec: ["nodeName": "node-1"])
        #expect(try await evict(api, "slow").status == 201)
        let slow = try await api.send(.GET, F.pods + "/slow").body
        #expect(slow[path: ["metadata", "deletionTimestamp"]] != nil)
        let condition = slow[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"] == "DisruptionTarget" }
        #expect(condition?["status"] == "True")
        #expect(condition?["reason"] == "EvictionByEvictionAPI")
        #expect(condition?["message"] == "Eviction API: evicting")

        try await makePod(api, "fast", spec: ["nodeName": "node-1"])
        #expect(try await evict(api, "fast", deleteOptions: ["gracePeriodSeconds": 0]).status == 201)
        #expect(try await exists(api, "fast") == false)
    }

    @Test func badRequestsAndPreconditions() async throws {
        let api = try await TestAPI.make()
        try await makePod(api)
        let mismatch = try await api.send(.POST, F.pods + "/web-1/eviction", F.eviction("other"))
        #expect(mismatch.status == 400)
        #expect(mismatch.message == "name in URL does not match name in Eviction object")

        let missing = try await evict(api, "ghost")
        #expect(missing.status == 404)
        #expect(missing.message == #"pods "ghost" not found"#)

        let wrongUID = try await evict(api, deleteOptions: ["preconditions": ["uid": "nope"]])
        #expect(wrongUID.status == 409)
        #expect(wrongUID.message.hasPrefix(#"Operation cannot be fulfilled on Pod "web-1": the UID in the precondition (nope) does not match"#))

        let dangerous = try await evict(api, deleteOptions: ["ignoreStoreReadErrorWithClusterBreakingPotential": true])
        #expect(dangerous.status == 422)
        #expect(dangerous.body[path: ["details", "causes"]]?.arrayValue?.first?["field"]
                == "deleteOptions.ignoreStoreReadErrorWithClusterBreakingPotential")

        let disagreeing = try await evict(api, query: "?dryRun=All", deleteOptions: ["dryRun": ["Other"]])
        #expect(disagreeing.status == 500)
        #expect(try await exists(api))
    }
}
