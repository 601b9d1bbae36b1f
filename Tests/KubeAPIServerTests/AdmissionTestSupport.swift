import KubeAPIServer
import KubeModel
import Testing

/// Objects and status writes the admission and eviction tests share.
enum AdmissionFixtures {
    static let pods = "/api/v1/namespaces/default/pods"
    static let quotas = "/api/v1/namespaces/default/resourcequotas"
    static let budgets = "/apis/policy/v1/namespaces/default/poddisruptionbudgets"
    static let priorityClasses = "/apis/scheduling.k8s.io/v1/priorityclasses"

    static func container(_ name: String = "app", requests: JSONObject? = nil, limits: JSONObject? = nil) -> JSONValue {
        var container: JSONObject = ["name": .string(name), "image": "busybox"]
        var resources: JSONObject = [:]
        if let requests { resources["requests"] = .object(requests) }
        if let limits { resources["limits"] = .object(limits) }
        if !resources.isEmpty { container["resources"] = .object(resources) }
        return .object(container)
    }

    static func pod(_ name: String, labels: JSONObject = [:], annotations: JSONObject = [:], spec: JSONObject = [:],
                    containers: [JSONValue] = [container()]) -> JSONValue {
        var metadata: JSONObject = ["name": .string(name)]
        if !labels.isEmpty { metadata["labels"] = .object(labels) }
        if !annotations.isEmpty { metadata["annotations"] = .object(annotations) }
        var fullSpec = spec
        fullSpec["containers"] = .array(containers)
        return ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata), "spec": .object(fullSpec)]
    }

    static func priorityClass(_ name: String, value: Int64, globalDefault: Bool = false, preemptionPolicy: String? = nil) -> JSONValue {
        var object: JSONObject = ["apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": .string(name)],
                                  "value": .int(value), "globalDefault": .bool(globalDefault)]
        if let preemptionPolicy { object["preemptionPolicy"] = .string(preemptionPolicy) }
        return .object(object)
    }

    static func budget(_ name: String, selector: JSONObject = ["matchLabels": ["app": "web"]], policy: String? = nil) -> JSONValue {
        var spec: JSONObject = ["minAvailable": 1, "selector": .object(selector)]
        if let policy { spec["unhealthyPodEvictionPolicy"] = .string(policy) }
        return ["apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": .string(name)], "spec": .object(spec)]
    }

    static func quota(_ name: String, hard: JSONObject, scopes: [String] = []) -> JSONValue {
        var spec: JSONObject = ["hard": .object(hard)]
        if !scopes.isEmpty { spec["scopes"] = .array(scopes.map(JSONValue.string)) }
        return ["apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": .string(name)], "spec": .object(spec)]
    }

    static func eviction(_ name: String, deleteOptions: JSONObject? = nil) -> JSONValue {
        var object: JSONObject = ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": .string(name)]]
        if let deleteOptions { object["deleteOptions"] = .object(deleteOptions) }
        return .object(object)
    }
}

extension TestAPI {
    /// Replaces the status of the object at `path` through its status subresource.
    @discardableResult
    func putStatus(_ path: String, _ status: JSONValue) async throws -> Reply {
        var object = try await send(.GET, path).body
        object["status"] = status
        let reply = try await send(.PUT, path + "/status", object)
        #expect(reply.status == 200, "status of \(path): \(reply.body)")
        return reply
    }

    /// Creates a quota whose status says `hard` with `used` already counted.
    func makeQuota(_ name: String, hard: JSONObject, used: JSONObject, scopes: [String] = []) async throws {
        let created = try await send(.POST, AdmissionFixtures.quotas, AdmissionFixtures.quota(name, hard: hard, scopes: scopes))
        #expect(created.status == 201, "quota \(name): \(created.body)")
        try await putStatus(AdmissionFixtures.quotas + "/" + name, ["hard": .object(hard), "used": .object(used)])
    }

    func quotaUsed(_ name: String) async throws -> JSONValue? {
        try await send(.GET, AdmissionFixtures.quotas + "/" + name).body[path: ["status", "used"]]
    }
}

extension TestAPI.Reply {
    var message: String { body["message"]?.stringValue ?? "" }
    var reason: String { body["reason"]?.stringValue ?? "" }
}
