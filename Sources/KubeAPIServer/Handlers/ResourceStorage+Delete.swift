import Foundation
import KubeModel
import KubeStore

extension ResourceStorage {
    func delete(_ scope: RequestScope) async throws -> APIResponse {
        let options = try DeleteRequestOptions.parse(scope.http)
        let result = try await deleteObject(scope, name: scope.resource.name!, options: options)
        return try render(json: result.object, scope: scope)
    }

    struct DeleteResult {
        var object: JSONValue
        /// False when the object stays with a deletionTimestamp (finalizers, graceful deletion).
        var deletedNow: Bool
    }

    func deleteObject(_ scope: RequestScope, name: String, options: DeleteRequestOptions) async throws -> DeleteResult {
        for _ in 0..<32 {
            let kv = try await load(scope, name: name)
            var json = try StoredObject.decode(kv)
            let object = try decodeTyped(json)
            try options.checkPreconditions(object.metadata, resource: qualified, name: name)

            var attributes = AdmissionAttributes(
                operation: .delete, resource: descriptor, subresource: nil, namespace: scope.namespace, name: name,
                object: nil, oldObject: json, user: scope.user, isDryRun: scope.isDryRun)
            try await context.admission.admit(&attributes)

            var metadata = object.metadata
            var finalizers = metadata.finalizers ?? []
            switch options.propagationPolicy {
            case "Foreground": if !finalizers.contains("foregroundDeletion") { finalizers.append("foregroundDeletion") }
            case "Orphan": if !finalizers.contains("orphan") { finalizers.append("orphan") }
            default: break
            }
            let grace = gracePeriod(for: object, options: options)
            let now = context.now()
            if !finalizers.isEmpty || (grace ?? 0) > 0 {
                // The object stays, marked for deletion, until finalizers are gone or the
                // kubelet confirms the pod stopped.
                if metadata.deletionTimestamp == nil {
                    metadata.deletionTimestamp = Time(Date(timeIntervalSince1970: (now.timeIntervalSince1970 + Double(grace ?? 0)).rounded(.down)))
                    metadata.deletionGracePeriodSeconds = grace ?? 0
                } else if let grace, let current = metadata.deletionGracePeriodSeconds, grace < current {
                    // A shorter grace period may replace a longer one, as upstream allows.
                    metadata.deletionTimestamp = Time(Date(timeIntervalSince1970: (now.timeIntervalSince1970 + Double(grace)).rounded(.down)))
                    metadata.deletionGracePeriodSeconds = grace
                }
                metadata.finalizers = finalizers
                if scope.isDryRun { return DeleteResult(object: json, deletedNow: false) }
                json["metadata"] = metadata.toJSON()
                if descriptor.plural == "namespaces" { json = withNamespacePhase(json, "Terminating") }
                let bytes = StoredObject.storageBytes(json)
                if bytes == kv.value { return DeleteResult(object: try StoredObject.decode(kv), deletedNow: false) }
                do {
                    let updated = try await store.update(kv.key, value: bytes, expectedModRevision: kv.modRevision)
                    StoredObject.setResourceVersion(&json, updated.modRevision)
                    return DeleteResult(object: json, deletedNow: false)
                } catch StoreError.conflict {
                    continue
                }
            }
            if scope.isDryRun { return DeleteResult(object: json, deletedNow: true) }
            do {
                _ = try await store.delete(kv.key, expectedModRevision: kv.modRevision)
                await context.admission.finished(attributes, committed: true)
                return DeleteResult(object: json, deletedNow: true)
            } catch StoreError.conflict {
                continue
            } catch {
                throw mapStoreError(error, name: name)
            }
        }
        throw APIError.conflict(qualified, name: name, message: "too many concurrent updates, please retry")
    }

    /// Pods on a node are deleted gracefully (the kubelet stops them first); everything else
    /// goes at once unless finalizers hold it.
    func gracePeriod(for object: Object, options: DeleteRequestOptions) -> Int? {
        guard descriptor.plural == "pods", descriptor.group.isEmpty,
            case .object(let spec)? = object.toJSON()["spec"],
            let nodeName = spec["nodeName"]?.stringValue, !nodeName.isEmpty
        else { return nil }
        // A finished pod has nothing left to stop: no grace period, and one it was given earlier
        // drops to zero (so removing its last finalizer then deletes it).
        let phase = object.toJSON()[path: ["status", "phase"]]?.stringValue
        if phase == "Succeeded" || phase == "Failed" { return 0 }
        if let requested = options.gracePeriodSeconds { return max(0, requested) }
        return spec["terminationGracePeriodSeconds"]?.intValue.map { Int($0) } ?? 30
    }

    func withNamespacePhase(_ json: JSONValue, _ phase: String) -> JSONValue {
        var json = json
        var status = json["status"]?.objectValue ?? [:]
        status["phase"] = .string(phase)
        json["status"] = .object(status)
        return json
    }

    func deleteCollection(_ scope: RequestScope) async throws -> APIResponse {
        let options = try DeleteRequestOptions.parse(scope.http)
        let selection = try ListSelection.parse(scope.http.query, strategy: strategy)
        let listed = try await store.list(prefix: keys.listPrefix(namespace: scope.namespace))
        var deleted: [JSONValue] = []
        for kv in listed.items {
            let json = try StoredObject.decode(kv)
            guard try selection.matches(json, decode: decodeTyped) else { continue }
            let name = json[path: ["metadata", "name"]]?.stringValue ?? ""
            var itemScope = scope
            itemScope.resource.namespace = json[path: ["metadata", "namespace"]]?.stringValue ?? scope.namespace
            do {
                deleted.append(try await deleteObject(itemScope, name: name, options: options).object)
            } catch let error as APIError where error.code == 404 {
                continue
            }
        }
        let list: JSONValue = [
            "apiVersion": .string(gvk.apiVersion), "kind": .string(gvk.kind + "List"),
            "metadata": ["resourceVersion": .string(String(listed.revision))], "items": .array(deleted),
        ]
        return .json(JSONWriter.bytes(list))
    }
}

/// DeleteOptions from the body (a DeleteOptions object) and the query string.
struct DeleteRequestOptions {
    var gracePeriodSeconds: Int?
    var propagationPolicy: String?
    var preconditionUID: String?
    var preconditionResourceVersion: String?

    static func parse(_ request: APIRequest) throws -> DeleteRequestOptions {
        var options = DeleteRequestOptions()
        if !request.body.isEmpty {
            let (body, _) = try RequestBody.parseJSON(request.body)
            let decoded: MetaV1.DeleteOptions
            do { decoded = try MetaV1.DeleteOptions(json: body) } catch {
                throw APIError.badRequest("DeleteOptions cannot be decoded: \(error)")
            }
            options.gracePeriodSeconds = decoded.gracePeriodSeconds
            options.propagationPolicy = decoded.propagationPolicy
            if decoded.orphanDependents == true, options.propagationPolicy == nil { options.propagationPolicy = "Orphan" }
            options.preconditionUID = decoded.preconditions?.uid
            options.preconditionResourceVersion = decoded.preconditions?.resourceVersion
        }
        if let grace = request.query["gracePeriodSeconds"] {
            guard let value = Int(grace) else { throw APIError.badRequest("invalid gracePeriodSeconds: \(grace)") }
            options.gracePeriodSeconds = value
        }
        if let policy = request.query["propagationPolicy"] { options.propagationPolicy = policy }
        if let policy = options.propagationPolicy, !["Foreground", "Background", "Orphan"].contains(policy) {
            throw APIError.badRequest("propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")
        }
        return options
    }

    func checkPreconditions(_ metadata: MetaV1.ObjectMeta, resource: QualifiedResource, name: String) throws {
        if let uid = preconditionUID, !uid.isEmpty, uid != metadata.uid {
            throw APIError.conflict(resource, name: name,
                                    message: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(metadata.uid ?? "")")
        }
        if let version = preconditionResourceVersion, !version.isEmpty, version != metadata.resourceVersion {
            throw APIError.conflict(resource, name: name,
                                    message: "Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(metadata.resourceVersion ?? "")")
        }
    }
}
