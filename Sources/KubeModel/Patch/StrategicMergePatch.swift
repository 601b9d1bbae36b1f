/// Kubernetes strategic merge patch (`application/strategic-merge-patch+json`), as upstream's
/// k8s.io/apimachinery/pkg/util/strategicpatch applies it on the server: a JSON merge patch whose
/// lists merge element by element where the schema says so (`patchStrategy: merge`, keyed by
/// `patchMergeKey`), steered by the directives `$patch`, `$retainKeys`,
/// `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`.
///
/// The schema is one definition of `SchemaCatalog`, so the same code patches every kind.
public struct StrategicMergePatch: Sendable {
    let rootSchema: PatchSchema

    /// `schema` is a definition from `SchemaCatalog.definitions`, or a `{"ref": name}` naming one.
    public init(schema: JSONValue) {
        rootSchema = PatchSchema(schema)
    }

    /// The patcher for a kind the catalog describes; nil for any other kind.
    public init?(kind: GroupVersionKind) {
        guard let name = SchemaCatalog.definitionNameByKind[kind], let schema = SchemaCatalog.definitions[name] else {
            return nil
        }
        self.init(schema: schema)
    }

    public func apply(_ patch: JSONValue, to original: JSONValue) throws(PatchError) -> JSONValue {
        guard case .object(let patchMembers) = patch else {
            throw .malformed("invalid JSON document: a strategic merge patch must be an object, not \(patch.typeName)")
        }
        return .object(try mergeObject(try Self.members(of: original), patchMembers, schema: rootSchema))
    }

    static func members(of document: JSONValue) throws(PatchError) -> JSONObject {
        switch document {
        case .object(let members): return members
        case .null: return [:]
        default: throw .malformed("invalid JSON document: expected an object, not \(document.typeName)")
        }
    }

    // MARK: Maps

    func mergeObject(_ original: JSONObject, _ patch: JSONObject, schema: PatchSchema) throws(PatchError) -> JSONObject {
        var patch = patch
        switch try PatchDirective.takeAction(from: &patch) {
        case .delete?:
            // Upstream leaves an empty map where the deleted one was.
            return [:]
        case .replace?:
            return try mergeObject([:], patch, schema: schema)
        case .merge?, nil:
            // Merging is what maps do anyway (upstream rejects an explicit "merge"; we take it at its word).
            break
        }

        var merged = original
        try applyRetainKeys(from: &patch, to: &merged)
        try applyElementOrders(from: &patch, to: &merged, schema: schema)
        for (key, patchValue) in patch {
            if let listField = try PatchDirective.field(of: key, prefix: PatchDirective.deleteFromPrimitiveList) {
                try deleteFromPrimitiveList(patchValue, field: listField, in: &merged)
            } else if patchValue == .null {
                merged.removeValue(forKey: key)
            } else {
                merged[key] = try mergeValue(merged[key], patchValue, field: schema.field(key))
            }
        }
        return merged
    }

    /// What a field holds after the patch; nil removes it.
    func mergeValue(_ original: JSONValue?, _ patch: JSONValue, field: PatchField) throws(PatchError) -> JSONValue? {
        switch (original, patch) {
        case (.object(let originalMembers)?, .object(let patchMembers)) where !field.replacesMap:
            return .object(try mergeObject(originalMembers, patchMembers, schema: field.valueSchema))
        case (.array(let originalElements)?, .array(let patchElements)) where field.mergesList:
            return .array(try mergeList(originalElements, patchElements, field: field))
        default:
            return try newValue(patch, field: field)
        }
    }

    /// A patch value taken whole (nothing to merge it with, a different type, or a replace
    /// strategy): its directives apply to nothing and its nulls go, as upstream drops them.
    func newValue(_ patch: JSONValue, field: PatchField) throws(PatchError) -> JSONValue? {
        switch patch {
        case .object(let members):
            // Deleting what is not there leaves nothing behind.
            if try PatchDirective.action(in: members) == .delete { return nil }
            return .object(try mergeObject([:], members, schema: field.valueSchema))
        case .array(let elements):
            return .array(try newList(elements, field: field))
        default:
            return patch
        }
    }

    /// `$retainKeys`: the map keeps only the listed keys, and the patch may set no others.
    private func applyRetainKeys(from patch: inout JSONObject, to merged: inout JSONObject) throws(PatchError) {
        guard let directive = patch.removeValue(forKey: PatchDirective.retainKeys) else { return }
        guard case .array(let entries) = directive else {
            throw .malformed("invalid patch format of retainKeys: \(JSONWriter.string(directive)) is not a list")
        }
        var retained = Set<String>()
        for entry in entries {
            guard case .string(let key) = entry else {
                throw .malformed("invalid patch format of retainKeys: \(JSONWriter.string(entry)) is not a field name")
            }
            retained.insert(key)
        }
        for (key, value) in patch where value != .null && !PatchDirective.isParallelList(key) && !retained.contains(key) {
            throw .malformed("invalid patch format of retainKeys: the patch sets \"\(key)\", which $retainKeys does not list")
        }
        merged.removeAll { !retained.contains($0.key) }
    }
}
