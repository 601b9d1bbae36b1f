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

            let now = context.now()
            var metadata = object.metadata
            let isNamespace = descriptor.plural == "namespaces" && descriptor.group.isEmpty
            let pendingGrace = metadata.deletionTimestamp != nil ? (metadata.deletionGracePeriodSeconds ?? 0) : 0
            var keep: Bool
            if pendingGrace > 0 {
                // Graceful deletion is under way: only a shorter grace period changes anything,
                // and finalizers cannot be changed through DeleteOptions any more (as upstream).
                guard let requested = options.gracePeriodSeconds.map({ max(0, $0) }), requested < pendingGrace,
                      let timestamp = metadata.deletionTimestamp else {
                    return DeleteResult(object: json, deletedNow: false)
                }
                metadata.deletionTimestamp = Time(timestamp.date.addingTimeInterval(Double(requested - pendingGrace)))
                metadata.deletionGracePeriodSeconds = requested
                keep = requested > 0 || !(metadata.finalizers ?? []).isEmpty
            } else if isNamespace, metadata.deletionTimestamp == nil {
                // A namespace is never deleted at once: it turns Terminating and the namespace
                // controller empties it, then removes its spec finalizers (upstream's namespace REST).
                metadata.deletionTimestamp = Time(Self.wholeSeconds(now))
                metadata.finalizers = DeletePropagation.namespaceFinalizers(metadata.finalizers ?? [], options: options)
                keep = true
            } else if isNamespace, !(json[path: ["spec", "finalizers"]]?.arrayValue ?? []).isEmpty {
                return DeleteResult(object: json, deletedNow: false)
            } else {
                metadata.finalizers = DeletePropagation.finalizers(
                    metadata.finalizers ?? [], options: options, orphanByDefault: DeletePropagation.orphansByDefault(descriptor))
                let grace = metadata.deletionTimestamp == nil ? gracePeriod(for: object, options: options) : nil
                keep = !(metadata.finalizers ?? []).isEmpty || (grace ?? 0) > 0
                if keep, metadata.deletionTimestamp == nil {
                    // The object stays, marked for deletion, until finalizers are gone or the
                    // kubelet confirms the pod stopped.
                    metadata.deletionTimestamp = Time(Self.wholeSeconds(now.addingTimeInterval(Double(grace ?? 0))))
                    metadata.deletionGracePeriodSeconds = grace ?? 0
                }
            }
            if metadata.finalizers?.isEmpty == true { metadata.finalizers = nil }
            if keep {
                if scope.isDryRun { return DeleteResult(object: json, deletedNow: false) }
                json["metadata"] = metadata.toJSON()
                if isNamespace { json = withNamespacePhase(json, "Terminating") }
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

    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
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
            if let orphan = decoded.orphanDependents {
                guard options.propagationPolicy == nil else {
                    throw APIError.badRequest("OrphanDependents and DeletionPropagation cannot be both set")
                }
                options.propagationPolicy = orphan ? "Orphan" : "Background"
            }
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

/// Which garbage-collection finalizers a delete leaves on an object (upstream's
/// deletionFinalizersForGarbageCollection): an explicit propagation policy decides; without
/// one, a finalizer already there; without that, the kind's default (orphan for the legacy
/// kinds, background otherwise).
enum DeletePropagation {
    static let orphan = "orphan"
    static let foreground = "foregroundDeletion"

    /// ReplicationControllers (core v1) and Jobs (batch v1) orphan their dependents unless told
    /// otherwise, for backward compatibility; every other kind deletes them.
    static func orphansByDefault(_ descriptor: ResourceDescriptor) -> Bool {
        (descriptor.group == "" && descriptor.plural == "replicationcontrollers")
            || (descriptor.group == "batch" && descriptor.plural == "jobs")
    }

    static func finalizers(_ current: [String], options: DeleteRequestOptions, orphanByDefault: Bool) -> [String] {
        let orphan: Bool, foreground: Bool
        switch options.propagationPolicy {
        case "Orphan": (orphan, foreground) = (true, false)
        case "Foreground": (orphan, foreground) = (false, true)
        case "Background": (orphan, foreground) = (false, false)
        default:
            if current.contains(self.foreground) {
                (orphan, foreground) = (false, true)
            } else {
                (orphan, foreground) = (current.contains(self.orphan) || orphanByDefault, false)
            }
        }
        return adjusted(current, orphan: orphan, foreground: foreground)
    }

    /// A namespace keeps the finalizers it has unless a policy is given.
    static func namespaceFinalizers(_ current: [String], options: DeleteRequestOptions) -> [String] {
        switch options.propagationPolicy {
        case "Orphan": return adjusted(current, orphan: true, foreground: false)
        case "Foreground": return adjusted(current, orphan: false, foreground: true)
        case "Background": return adjusted(current, orphan: false, foreground: false)
        default: return current
        }
    }

    private static func adjusted(_ current: [String], orphan: Bool, foreground: Bool) -> [String] {
        var result = current.filter { $0 != self.orphan && $0 != self.foreground }
        if orphan { result.append(self.orphan) }
        if foreground { result.append(self.foreground) }
        return Set(result) == Set(current) ? current : result
    }
}
