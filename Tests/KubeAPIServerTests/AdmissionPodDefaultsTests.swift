import Foundation
import KubeAPIServer
import KubeModel
import Testing

@Suite("Admission: DefaultTolerationSeconds and ServiceAccount")
struct AdmissionPodDefaultsTests {
    typealias F = AdmissionFixtures
    static let notReady: JSONValue = ["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300]
    static let unreachable: JSONValue = ["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300]

    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        var given: [JSONValue]
        var expected: [JSONValue]
        var testDescription: String { label }
    }

    static let cases: [Case] = {
        let ownNotReady: JSONValue = ["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60]
        let everything: JSONValue = ["operator": "Exists"]
        let noSchedule: JSONValue = ["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoSchedule"]
        let anyEffect: JSONValue = ["key": "node.kubernetes.io/unreachable", "operator": "Exists"]
        return [
            Case(label: "none: both are added", given: [], expected: [notReady, unreachable]),
            Case(label: "an own not-ready toleration stays", given: [ownNotReady], expected: [ownNotReady, unreachable]),
            Case(label: "tolerating everything needs nothing", given: [everything], expected: [everything]),
            Case(label: "another effect does not count", given: [noSchedule], expected: [noSchedule, notReady, unreachable]),
            Case(label: "an empty effect counts", given: [anyEffect], expected: [anyEffect, notReady]),
        ]
    }()

    @Test(arguments: cases)
    func podsTolerateNodeFailuresForAWhile(_ test: Case) async throws {
        let api = try await TestAPI.make()
        let spec: JSONObject = test.given.isEmpty ? [:] : ["tolerations": .array(test.given)]
        let reply = try await api.send(.POST, F.pods, F.pod("p", spec: spec))
        #expect(reply.status == 201, "\(reply.body)")
        #expect(StrategyHarness.sorted(reply.body[path: ["spec", "tolerations"]] ?? .null) == StrategyHarness.sorted(.array(test.expected)))
    }

    @Test func theSecondsAreConfigurable() async throws {
        let api = try await TestAPI.make(admission: AdmissionOptions(defaultNotReadyTolerationSeconds: 60, defaultUnreachableTolerationSeconds: 90))
        let reply = try await api.send(.POST, F.pods, F.pod("p"))
        let seconds = reply.body[path: ["spec", "tolerations"]]?.arrayValue?.map { $0["tolerationSeconds"]?.intValue }
        #expect(seconds == [60, 90])
    }

    @Test func anUpdateThatDropsThemGetsThemBack() async throws {
        let api = try await TestAPI.make()
        var pod = try await api.send(.POST, F.pods, F.pod("p")).body
        var spec = pod["spec"]?.objectValue ?? [:]
        spec["tolerations"] = nil
        pod["spec"] = .object(spec)
        let updated = try await api.send(.PUT, F.pods + "/p", pod)
        #expect(updated.status == 200, "\(updated.body)")
        #expect(StrategyHarness.sorted(updated.body[path: ["spec", "tolerations"]] ?? .null) == StrategyHarness.sorted([Self.notReady, Self.unreachable]))
    }

    @Test func statusWritesAreLeftAlone() async throws {
        let api = try await TestAPI.make()
        _ = try await api.send(.POST, F.pods, F.pod("p"))
        let written = try await api.putStatus(F.pods + "/p", ["phase": "Running"])
        #expect(written.body[path: ["spec", "tolerations"]]?.arrayValue?.count == 2)
    }

    @Test(arguments: [
        (JSONObject(), "default"),
        (["serviceAccountName": "builder"], "builder"),
        (["serviceAccount": "legacy"], "legacy"),
    ] as [(JSONObject, String)])
    func podsRunAsTheDefaultServiceAccountUnlessTheyNameOne(spec: JSONObject, account: String) async throws {
        let api = try await TestAPI.make()
        let reply = try await api.send(.POST, F.pods, F.pod("p", spec: spec))
        #expect(reply.status == 201, "\(reply.body)")
        #expect(reply.body[path: ["spec", "serviceAccountName"]]?.stringValue == account)
        #expect(reply.body[path: ["spec", "serviceAccount"]]?.stringValue == account)
    }

    @Test func podsTakeTheirAccountsPullSecrets() async throws {
        let api = try await TestAPI.make()
        let account: JSONValue = ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "default"],
                                  "imagePullSecrets": [["name": "registry"]]]
        #expect(try await api.send(.POST, "/api/v1/namespaces/default/serviceaccounts", account).status == 201)
        let plain = try await api.send(.POST, F.pods, F.pod("plain"))
        #expect(plain.body[path: ["spec", "imagePullSecrets"]] == [["name": "registry"]])
        let own = try await api.send(.POST, F.pods, F.pod("own", spec: ["imagePullSecrets": [["name": "mine"]]]))
        #expect(own.body[path: ["spec", "imagePullSecrets"]] == [["name": "mine"]])
    }

    @Test func mirrorPodsReferenceNeitherAccountsNorSecrets() async throws {
        let api = try await TestAPI.make()
        let mirror: JSONObject = ["kubernetes.io/config.mirror": "hash"]
        let plain = try await api.send(.POST, F.pods, F.pod("static", annotations: mirror))
        #expect(plain.status == 201)
        #expect(plain.body[path: ["spec", "serviceAccountName"]] == nil)

        let named = try await api.send(.POST, F.pods, F.pod("named", annotations: mirror, spec: ["serviceAccountName": "x"]))
        #expect(named.status == 403)
        #expect(named.message == #"pods "named" is forbidden: a mirror pod may not reference service accounts"#)

        let volumes: JSONObject = ["volumes": [["name": "creds", "secret": ["secretName": "creds"]]]]
        let secret = try await api.send(.POST, F.pods, F.pod("secret", annotations: mirror, spec: volumes))
        #expect(secret.status == 403)
        #expect(secret.message == #"pods "secret" is forbidden: a mirror pod may not reference secrets"#)

        let env = F.container(requests: nil)
        var withEnv = env.objectValue!
        withEnv["env"] = [["name": "A", "valueFrom": ["secretKeyRef": ["name": "s", "key": "k"]]]]
        let fromEnv = try await api.send(.POST, F.pods, F.pod("env", annotations: mirror, containers: [.object(withEnv)]))
        #expect(fromEnv.status == 403)
    }
}
