import Foundation
import KubeModel
import KubeStore

extension ResourceStorage {
    func patch(_ scope: RequestScope, target: UpdateTarget) async throws -> APIResponse {
        let type = scope.http.contentType ?? ""
        let name = scope.resource.name!
        let validation = try FieldValidation.from(scope.http.query)
        if type == "application/apply-patch+yaml" {
            return try await apply(scope, target: target, validation: validation)
        }
        guard RequestBody.patchMediaTypes.contains(type) else {
            throw APIError.unsupportedMediaType(type, accepted: RequestBody.patchMediaTypes)
        }
        let (patch, duplicates) = try RequestBody.parseJSON(scope.http.body)
        let schema = SchemaCatalog.definitionNameByKind[gvk].flatMap { SchemaCatalog.definitions[$0] }

        let (written, _) = try await writeWithRetry(
            scope, name: name, requestedVersion: "", duplicates: duplicates, validation: validation, target: target
        ) { current in
            guard let current else { return nil }
            var patched = try Self.applyPatch(patch, type: type, to: current, schema: schema)
            // The patch may not change the name or move the object to another namespace.
            patched = self.withName(patched, name)
            if patched[path: ["metadata", "resourceVersion"]] == nil {
                var metadata = patched["metadata"]?.objectValue ?? [:]
                metadata["resourceVersion"] = current[path: ["metadata", "resourceVersion"]]
                patched["metadata"] = .object(metadata)
            }
            return patched
        } onMissing: {
            throw APIError.notFound(self.qualified, name: name)
        }
        return try render(written, scope: scope)
    }

    static func applyPatch(_ patch: JSONValue, type: String, to document: JSONValue, schema: JSONValue?) throws -> JSONValue {
        do {
            switch type {
            case "application/json-patch+json":
                guard case .array = patch else { throw APIError.badRequest("json patch must be an array of operations") }
                return try JSONPatch.apply(patch, to: document)
            case "application/merge-patch+json":
                guard case .object = patch else { throw APIError.badRequest("merge patch must be a JSON object") }
                return MergePatch.apply(patch, to: document)
            default:
                guard case .object = patch else { throw APIError.badRequest("strategic merge patch must be a JSON object") }
                guard let schema else { throw APIError.unsupportedMediaType(type, accepted: RequestBody.patchMediaTypes) }
                return try StrategicMergePatch(schema: schema).apply(patch, to: document)
            }
        } catch let error as APIError {
            throw error
        } catch let error as PatchError {
            // A malformed patch is the client's syntax error; one that cannot apply is 422.
            if error.kind == .malformedPatch { throw APIError.badRequest(error.message) }
            throw APIError(code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request: \(error.message)")
        } catch {
            throw APIError.internal("\(error)")
        }
    }

    /// Server-side apply (application/apply-patch+yaml): merge the applied configuration into
    /// the live object under the field manager's ownership, creating the object if needed.
    func apply(_ scope: RequestScope, target: UpdateTarget, validation: FieldValidation) async throws -> APIResponse {
        guard let manager = scope.fieldManager, !manager.isEmpty else {
            throw APIError.badRequest("PATCH, application/apply-patch+yaml requires fieldManager parameter")
        }
        let force = scope.http.query.bool("force") ?? false
        let name = scope.resource.name!
        var config = try checkTypeMeta(try RequestBody.parseYAML(scope.http.body))
        if let configName = config[path: ["metadata", "name"]]?.stringValue, !configName.isEmpty, configName != name {
            throw APIError.badRequest("the name of the object (\(configName)) does not match the name on the URL (\(name))")
        }
        config = withName(config, name)
        let requestedVersion = config[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        let now = context.now()

        let (written, created) = try await writeWithRetry(
            scope, name: name, requestedVersion: requestedVersion, duplicates: [], validation: validation, target: target
        ) { current in
            guard let current else { return nil }
            return try self.fieldManagement.apply(config: config, to: current, manager: manager, force: force, target: target, now: now)
        } onMissing: {
            guard target == .main else { throw APIError.notFound(self.qualified, name: name) }
            let applied = try self.fieldManagement.apply(config: config, to: nil, manager: manager, force: force, target: target, now: now)
            return try await self.createObject(applied, duplicates: [], scope: scope, fieldValidation: validation)
        }
        return try render(written, scope: scope, status: created ? 201 : 200)
    }
}
