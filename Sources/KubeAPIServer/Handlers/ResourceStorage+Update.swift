import Foundation
import KubeModel
import KubeStore

extension ResourceStorage {
    func update(_ scope: RequestScope, target: UpdateTarget) async throws -> APIResponse {
        let (body, duplicates) = try RequestBody.object(scope.http)
        var json = try checkTypeMeta(body)
        let name = scope.resource.name!
        if let bodyName = json[path: ["metadata", "name"]]?.stringValue, !bodyName.isEmpty, bodyName != name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        if json[path: ["metadata", "name"]] == nil { json = withName(json, name) }
        let requestedVersion = json[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        let validation = try FieldValidation.from(scope.http.query)

        let (written, created) = try await writeWithRetry(
            scope, name: name, requestedVersion: requestedVersion, duplicates: duplicates, validation: validation, target: target
        ) { current in
            guard current != nil else { return nil }
            return json
        } onMissing: {
            // Upstream allows create-on-update only for a few kinds; the rest answer 404.
            guard Self.createsOnUpdate(self.descriptor) else { throw APIError.notFound(self.qualified, name: name) }
            return try await self.createObject(json, duplicates: duplicates, scope: scope, fieldValidation: validation)
        }
        return try render(written, scope: scope, status: created ? 201 : 200)
    }

    func withName(_ json: JSONValue, _ name: String) -> JSONValue {
        var json = json
        var metadata = json["metadata"]?.objectValue ?? [:]
        metadata["name"] = .string(name)
        json["metadata"] = .object(metadata)
        return json
    }

    static func createsOnUpdate(_ descriptor: ResourceDescriptor) -> Bool {
        ["endpoints", "leases", "nodes"].contains(descriptor.plural) && descriptor.group.isEmpty
            || descriptor.plural == "leases"
    }

    /// Read-modify-write with compare-and-swap. `produce` maps the stored object to the new
    /// JSON (nil means not found). A conflict is retried when the client gave no
    /// resourceVersion, and answered 409 when it did.
    func writeWithRetry(
        _ scope: RequestScope, name: String, requestedVersion: String,
        duplicates: [String], validation: FieldValidation, target: UpdateTarget,
        produce: (JSONValue?) async throws -> JSONValue?,
        onMissing: () async throws -> WrittenObject
    ) async throws -> (WrittenObject, created: Bool) {
        for _ in 0..<32 {
            guard let kv = try await store.get(key(scope, name: name)) else {
                return (try await onMissing(), true)
            }
            let oldJSON = try StoredObject.decode(kv)
            guard let produced = try await produce(oldJSON) else { throw APIError.notFound(qualified, name: name) }
            let producedVersion = produced[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            let precondition = requestedVersion.isEmpty ? producedVersion : requestedVersion
            if !precondition.isEmpty, precondition != String(kv.modRevision) {
                if !requestedVersion.isEmpty || producedVersion != String(kv.modRevision) {
                    throw APIError.staleResourceVersion(qualified, name: name)
                }
            }
            do {
                let written = try await commitUpdate(
                    scope, name: name, old: kv, oldJSON: oldJSON, newJSON: produced,
                    duplicates: duplicates, validation: validation, target: target)
                return (written, false)
            } catch StoreError.conflict {
                if !requestedVersion.isEmpty { throw APIError.staleResourceVersion(qualified, name: name) }
                continue
            }
        }
        throw APIError.conflict(qualified, name: name, message: "too many concurrent updates, please retry")
    }

    /// Turns the new JSON into the stored object: carries over what the client may not change,
    /// defaults, validates, admits and writes it (or deletes it when its last finalizer went).
    func commitUpdate(_ scope: RequestScope, name: String, old: KeyValue, oldJSON: JSONValue, newJSON: JSONValue,
                      duplicates: [String], validation: FieldValidation, target: UpdateTarget) async throws -> WrittenObject {
        var json = newJSON
        switch target {
        case .main:
            if hasStatusSubresource { json["status"] = oldJSON["status"] }
        case .status:
            var merged = oldJSON
            merged["status"] = newJSON["status"]
            var metadata = oldJSON["metadata"]?.objectValue ?? [:]
            if let managed = newJSON[path: ["metadata", "managedFields"]] { metadata["managedFields"] = managed }
            merged["metadata"] = .object(metadata)
            json = merged
        case .finalize:
            json = Self.replacing(["spec", "finalizers"], in: oldJSON, from: newJSON)
        case .binding:
            json = Self.replacing(["spec", "nodeName"], in: oldJSON, from: newJSON)
            json["status"] = newJSON["status"]
        }
        let (decoded, warnings) = try decode(json, duplicates: duplicates, validation: validation)
        var object = decoded
        let oldObject = try decodeTyped(oldJSON)
        carryOverMetadata(&object.metadata, from: oldObject.metadata)
        object.setTypeMeta()
        // The kind's update rules apply to writes of the object itself; subresources change
        // only their own part (status, finalizers, the node binding) and skip them, as upstream.
        var attributes = AdmissionAttributes(
            operation: .update, resource: descriptor, subresource: target.subresource,
            namespace: scope.namespace, name: name, object: nil, oldObject: oldJSON, user: scope.user,
            isDryRun: scope.isDryRun)
        var errors: [FieldError] = []
        if target == .main {
            strategy.prepareForUpdate(&object, old: oldObject)
            strategy.applyDefaults(&object)
            // Mutating admission comes before validation, as upstream's.
            if context.admission.mutates(descriptor) {
                attributes.object = object.toJSON()
                try await context.admission.mutate(&attributes)
                if let mutated = attributes.object { object = try decodeAdmitted(mutated) }
            }
            if strategy.tracksGeneration, specChanged(object, oldObject) {
                object.metadata.generation = (oldObject.metadata.generation ?? 1) + 1
            }
            errors += strategy.validateUpdate(object, old: oldObject)
        }
        errors = MetadataValidation.validateUpdate(object.metadata, old: oldObject.metadata,
                                                   namespaced: descriptor.namespaced, nameRule: strategy.nameValidation) + errors
        try validateOrThrow(object, errors: errors)

        attributes.object = object.toJSON()
        try await context.admission.admit(&attributes)
        var final = attributes.object ?? object.toJSON()
        fieldManagement.recordUpdate(old: oldJSON, new: &final, scope: scope, target: target, now: context.now())

        let bytes = StoredObject.storageBytes(final)
        // An update that changes nothing is not written, so resourceVersion stays (as upstream).
        if bytes == old.value || scope.isDryRun {
            await context.admission.finished(attributes, committed: false)
            if bytes == old.value { return WrittenObject(json: oldJSON, stored: old, warnings: warnings) }
            return WrittenObject(json: final, stored: nil, warnings: warnings)
        }
        try checkSize(bytes)
        // Once deletion was requested, removing the last finalizer completes the delete, unless
        // a grace period still runs (the kubelet deletes the pod) or, for a namespace, spec
        // finalizers remain (upstream's ShouldDeleteDuringUpdate).
        if object.metadata.deletionTimestamp != nil, object.metadata.finalizers?.isEmpty ?? true,
            (oldObject.metadata.deletionGracePeriodSeconds ?? 0) == 0,
            !(descriptor.plural == "namespaces" && !(final[path: ["spec", "finalizers"]]?.arrayValue ?? []).isEmpty)
        {
            let deleted = try await store.delete(old.key, expectedModRevision: old.modRevision)
            await context.admission.finished(attributes, committed: true)
            StoredObject.setResourceVersion(&final, deleted.modRevision)
            return WrittenObject(json: final, stored: nil, warnings: warnings)
        }
        do {
            let kv = try await store.update(old.key, value: bytes, expectedModRevision: old.modRevision)
            await context.admission.finished(attributes, committed: true)
            StoredObject.setResourceVersion(&final, kv.modRevision)
            return WrittenObject(json: final, stored: kv, warnings: warnings)
        } catch {
            await context.admission.finished(attributes, committed: false)
            if case StoreError.conflict = error { throw error }
            throw mapStoreError(error, name: name)
        }
    }

    /// The stored object with one nested field taken from the request.
    static func replacing(_ path: [String], in old: JSONValue, from new: JSONValue) -> JSONValue {
        guard let first = path.first else { return new }
        var result = old
        if path.count == 1 {
            result[first] = new[first]
        } else {
            result[first] = replacing(Array(path.dropFirst()), in: old[first] ?? [:], from: new[first] ?? [:])
        }
        return result
    }

    /// Fields of metadata only the server sets.
    func carryOverMetadata(_ metadata: inout MetaV1.ObjectMeta, from old: MetaV1.ObjectMeta) {
        metadata.name = old.name
        metadata.namespace = old.namespace
        metadata.uid = old.uid
        metadata.creationTimestamp = old.creationTimestamp
        metadata.deletionTimestamp = old.deletionTimestamp
        metadata.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds
        metadata.generation = old.generation
        metadata.selfLink = nil
        if metadata.resourceVersion?.isEmpty ?? true { metadata.resourceVersion = old.resourceVersion }
        if metadata.managedFields == nil { metadata.managedFields = old.managedFields }
        if metadata.generateName == nil { metadata.generateName = old.generateName }
    }

    func specChanged(_ object: Object, _ old: Object) -> Bool {
        object.toJSON()["spec"] != old.toJSON()["spec"]
    }
}
