import Foundation
import KubeModel
import KubeStore

extension ResourceStorage {
    /// The scale subresource (autoscaling/v1 Scale) of workloads: reads spec.replicas,
    /// status.replicas and the selector; writes spec.replicas.
    func scale(_ scope: RequestScope) async throws -> APIResponse {
        let name = scope.resource.name!
        switch scope.resource.verb {
        case .get:
            let json = try StoredObject.decode(try await load(scope, name: name))
            return .json(Self.scaleObject(of: json).jsonBytes())
        case .update, .patch:
            let incoming: JSONValue
            var precondition = ""
            if scope.resource.verb == .update {
                incoming = try RequestBody.object(scope.http).0
                precondition = incoming[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            } else {
                incoming = try RequestBody.parseJSON(scope.http.body).0
            }
            let type = scope.http.contentType ?? ""
            let (written, _) = try await writeWithRetry(
                scope, name: name, requestedVersion: precondition, duplicates: [], validation: .ignore, target: .main
            ) { current in
                guard var current else { return nil }
                var scale = Self.scaleObject(of: current).toJSON()
                if scope.resource.verb == .update {
                    scale = incoming
                } else {
                    let schema = SchemaCatalog.definitionNameByKind[AutoscalingV1.Scale.groupVersionKind].flatMap { SchemaCatalog.definitions[$0] }
                    scale = try Self.applyPatch(incoming, type: type, to: scale, schema: schema)
                }
                guard let replicas = scale[path: ["spec", "replicas"]]?.intValue ?? (scale[path: ["spec", "replicas"]] == nil ? 0 : nil) else {
                    throw APIError.badRequest("Scale.spec.replicas must be an integer")
                }
                if replicas < 0 {
                    throw APIError(code: 422, reason: "Invalid",
                                   message: "Scale.autoscaling \"\(name)\" is invalid: spec.replicas: Invalid value: \(replicas): must be greater than or equal to 0",
                                   details: MetaV1.StatusDetails(kind: "Scale", causes: [MetaV1.StatusCause(field: "spec.replicas", message: "Invalid value: \(replicas): must be greater than or equal to 0", reason: "FieldValueInvalid")], group: "autoscaling", name: name))
                }
                var spec = current["spec"]?.objectValue ?? [:]
                spec["replicas"] = .int(replicas)
                current["spec"] = .object(spec)
                return current
            } onMissing: {
                throw APIError.notFound(self.qualified, name: name)
            }
            var response = APIResponse.json(Self.scaleObject(of: written.json).jsonBytes())
            response.addWarnings(written.warnings)
            return response
        default:
            throw APIError.methodNotAllowed(scope.http.method.rawValue)
        }
    }

    static func scaleObject(of json: JSONValue) -> AutoscalingV1.Scale {
        var scale = AutoscalingV1.Scale()
        scale.setTypeMeta()
        scale.metadata.name = json[path: ["metadata", "name"]]?.stringValue
        scale.metadata.namespace = json[path: ["metadata", "namespace"]]?.stringValue
        scale.metadata.uid = json[path: ["metadata", "uid"]]?.stringValue
        scale.metadata.resourceVersion = json[path: ["metadata", "resourceVersion"]]?.stringValue
        scale.metadata.creationTimestamp = json[path: ["metadata", "creationTimestamp"]].flatMap { try? Time(json: $0) }
        scale.spec = AutoscalingV1.ScaleSpec(replicas: json[path: ["spec", "replicas"]]?.intValue.map { Int($0) } ?? 0)
        var status = AutoscalingV1.ScaleStatus(replicas: json[path: ["status", "replicas"]]?.intValue.map { Int($0) } ?? 0)
        if let selector = json[path: ["spec", "selector"]] {
            status.selector = selector.stringValue ?? (try? MetaV1.LabelSelector(json: selector)).map(LabelSelectorText.render)
        }
        scale.status = status
        return scale
    }

    /// pods/binding: assigns a pod to a node once, as the scheduler does.
    func bind(_ scope: RequestScope) async throws -> APIResponse {
        let name = scope.resource.name!
        let body = try RequestBody.object(scope.http).0
        let binding: CoreV1.Binding
        do { binding = try CoreV1.Binding(json: body) } catch { throw APIError.badRequest("Binding cannot be decoded: \(error)") }
        let node = binding.target.name ?? ""
        guard !node.isEmpty else {
            throw APIError.invalid(kind: CoreV1.Binding.groupVersionKind, name: name, errors: [.required("target.name")])
        }
        let now = context.now()
        _ = try await writeWithRetry(scope, name: name, requestedVersion: "", duplicates: [], validation: .ignore, target: .binding) { current in
            guard var current else { return nil }
            if let assigned = current[path: ["spec", "nodeName"]]?.stringValue, !assigned.isEmpty {
                throw APIError.conflict(self.qualified, name: name, message: "pod \(name) is already assigned to node \"\(assigned)\"")
            }
            if current[path: ["metadata", "deletionTimestamp"]] != nil {
                throw APIError.conflict(self.qualified, name: name, message: "pod \(name) is being deleted, cannot be assigned to a host")
            }
            // One write, as upstream's: the node and the PodScheduled condition together, so no
            // watcher ever sees a bound pod without it.
            var spec = current["spec"]?.objectValue ?? [:]
            spec["nodeName"] = .string(node)
            current["spec"] = .object(spec)
            var status = current["status"]?.objectValue ?? [:]
            var conditions = status["conditions"]?.arrayValue ?? []
            conditions.removeAll { $0["type"]?.stringValue == "PodScheduled" }
            conditions.append(["type": "PodScheduled", "status": "True", "lastProbeTime": .null,
                               "lastTransitionTime": .string(Time(now).description)])
            status["conditions"] = .array(conditions)
            current["status"] = .object(status)
            return current
        } onMissing: {
            throw APIError.notFound(self.qualified, name: name)
        }
        let success: JSONValue = ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "code": 201]
        return .json(JSONWriter.bytes(success), status: .created)
    }
}

/// metav1.FormatLabelSelector: the string form of a LabelSelector (`app=web,tier in (a,b)`).
enum LabelSelectorText {
    static func render(_ selector: MetaV1.LabelSelector) -> String {
        var parts: [String] = []
        for (key, value) in (selector.matchLabels ?? [:]).sorted(by: { $0.key < $1.key }) { parts.append("\(key)=\(value)") }
        for expression in selector.matchExpressions ?? [] {
            let values = expression.values ?? []
            switch expression.operator {
            case "In": parts.append("\(expression.key) in (\(values.sorted().joined(separator: ",")))")
            case "NotIn": parts.append("\(expression.key) notin (\(values.sorted().joined(separator: ",")))")
            case "Exists": parts.append(expression.key)
            case "DoesNotExist": parts.append("!\(expression.key)")
            default: break
            }
        }
        return parts.isEmpty ? "" : parts.joined(separator: ",")
    }
}
