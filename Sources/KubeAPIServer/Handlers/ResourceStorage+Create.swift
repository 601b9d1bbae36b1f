import Foundation
import KubeModel
import KubeStore

extension ResourceStorage {
    func create(_ scope: RequestScope) async throws -> APIResponse {
        let (body, duplicates) = try RequestBody.object(scope.http)
        return try render(try await createObject(body, duplicates: duplicates, scope: scope), scope: scope, status: 201)
    }

    /// The whole create path; also used by server-side apply and create-on-update.
    func createObject(_ body: JSONValue, duplicates: [String], scope: RequestScope,
                      fieldValidation: FieldValidation? = nil) async throws -> WrittenObject {
        var json = try checkTypeMeta(body)
        if hasStatusSubresource, !strategy.keepsStatusOnCreate { json["status"] = nil }
        let validation = try fieldValidation ?? FieldValidation.from(scope.http.query)
        let (decoded, warnings) = try decode(json, duplicates: duplicates, validation: validation)
        var object = decoded

        try prepareMetadataForCreate(&object.metadata, scope: scope)
        strategy.prepareForCreate(&object)
        strategy.applyDefaults(&object)
        if strategy.tracksGeneration { object.metadata.generation = 1 }
        object.setTypeMeta()

        var attributes = AdmissionAttributes(
            operation: .create, resource: descriptor, subresource: nil, namespace: scope.namespace,
            name: object.metadata.name ?? "", object: object.toJSON(), oldObject: nil, user: scope.user, isDryRun: scope.isDryRun)
        // Mutating admission comes before validation, as upstream's.
        if context.admission.mutates(descriptor) {
            try await context.admission.mutate(&attributes)
            if let mutated = attributes.object { object = try decodeAdmitted(mutated) }
        }
        try validateOrThrow(object, errors: strategy.validate(object) + MetadataValidation.validateCreate(object.metadata, namespaced: descriptor.namespaced, nameRule: strategy.nameValidation))
        try await context.admission.admit(&attributes)
        var final = attributes.object ?? object.toJSON()
        fieldManagement.recordUpdate(old: nil, new: &final, scope: scope, target: .main, now: context.now())

        if scope.isDryRun {
            await context.admission.finished(attributes, committed: false)
            return WrittenObject(json: final, stored: nil, warnings: warnings)
        }
        let bytes = StoredObject.storageBytes(final)
        try checkSize(bytes)
        let name = object.metadata.name!
        do {
            let kv = try await store.create(key(scope, name: name), value: bytes)
            await context.admission.finished(attributes, committed: true)
            StoredObject.setResourceVersion(&final, kv.modRevision)
            return WrittenObject(json: final, stored: kv, warnings: warnings)
        } catch StoreError.keyExists {
            await context.admission.finished(attributes, committed: false)
            throw APIError.alreadyExists(qualified, name: name)
        } catch {
            await context.admission.finished(attributes, committed: false)
            throw mapStoreError(error, name: name)
        }
    }

    /// The object as mutating admission left it.
    func decodeAdmitted(_ json: JSONValue) throws -> Object {
        do {
            return try Object(json: json)
        } catch {
            throw APIError.internal("admission left a \(gvk.kind) that cannot be decoded: \(error)")
        }
    }

    /// Checks apiVersion and kind against the endpoint and fills them when missing, as
    /// upstream's decoder does with the request's group/version/kind as default.
    func checkTypeMeta(_ body: JSONValue) throws -> JSONValue {
        guard case .object = body else {
            throw APIError.badRequest("the object provided is unrecognized (must be of type \(gvk.kind)): body is not a JSON object")
        }
        var json = body
        if let apiVersion = json["apiVersion"]?.stringValue, !apiVersion.isEmpty {
            if apiVersion != gvk.apiVersion {
                throw APIError.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(gvk.apiVersion))")
            }
        } else {
            json["apiVersion"] = .string(gvk.apiVersion)
        }
        if let kind = json["kind"]?.stringValue, !kind.isEmpty {
            if kind != gvk.kind {
                throw APIError.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(gvk.kind))")
            }
        } else {
            json["kind"] = .string(gvk.kind)
        }
        return json
    }

    /// Typed decode with upstream's field validation of unknown and duplicate fields.
    func decode(_ json: JSONValue, duplicates: [String], validation: FieldValidation) throws -> (Object, [String]) {
        let context = JSONDecodingContext()
        let object: Object
        do {
            object = try Object(json: json, context: context)
        } catch {
            throw APIError.badRequest("\(gvk.kind) in version \"\(gvk.version)\" cannot be handled as a \(gvk.kind): \(error)")
        }
        let warnings = try validation.check(unknown: context.unknownFields, duplicates: duplicates, kind: gvk)
        return (object, warnings)
    }

    func prepareMetadataForCreate(_ metadata: inout MetaV1.ObjectMeta, scope: RequestScope) throws {
        if descriptor.namespaced {
            let requested = scope.namespace ?? ""
            if let given = metadata.namespace, !given.isEmpty, given != requested {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            metadata.namespace = requested
        } else {
            metadata.namespace = nil
        }
        if metadata.name?.isEmpty ?? true, let prefix = metadata.generateName, !prefix.isEmpty {
            metadata.name = RandomIdentifiers.name(prefix: prefix)
        }
        metadata.uid = RandomIdentifiers.uid()
        metadata.creationTimestamp = Time(Date(timeIntervalSince1970: context.now().timeIntervalSince1970.rounded(.down)))
        metadata.resourceVersion = nil
        metadata.deletionTimestamp = nil
        metadata.deletionGracePeriodSeconds = nil
        metadata.generation = nil
        metadata.selfLink = nil
    }

    func validateOrThrow(_ object: Object, errors: [FieldError]) throws {
        guard !errors.isEmpty else { return }
        throw APIError.invalid(kind: gvk, name: object.metadata.name ?? "", errors: errors)
    }

    func checkSize(_ bytes: [UInt8]) throws {
        if bytes.count > context.maximumObjectBytes {
            throw APIError(code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is \(context.maximumObjectBytes)")
        }
    }

    func mapStoreError(_ error: Error, name: String) -> Error {
        switch error {
        case let apiError as APIError: return apiError
        case StoreError.notFound: return APIError.notFound(qualified, name: name)
        case StoreError.keyExists: return APIError.alreadyExists(qualified, name: name)
        case StoreError.conflict: return APIError.staleResourceVersion(qualified, name: name)
        case StoreError.compacted(let requested, let compacted):
            return APIError.gone("too old resource version: \(requested) (\(compacted))")
        default: return APIError.internal("\(error)")
        }
    }
}
