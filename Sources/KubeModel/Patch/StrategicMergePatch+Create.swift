/// Two-way diffs: the strategic merge patch a client sends to turn `original` into `modified`
/// (upstream's CreateTwoWayMergePatch, with `$setElementOrder` lists).
extension StrategicMergePatch {
    public func create(original: JSONValue, modified: JSONValue) throws(PatchError) -> JSONValue {
        .object(try diffObject(Self.members(of: original), Self.members(of: modified), schema: rootSchema, listsKeptKeys: false))
    }

    /// Added and changed members, nulls for removed ones, and with `listsKeptKeys` (a field with
    /// the retainKeys strategy) a `$retainKeys` list whenever anything changed.
    func diffObject(
        _ original: JSONObject,
        _ modified: JSONObject,
        schema: PatchSchema,
        listsKeptKeys: Bool
    ) throws(PatchError) -> JSONObject {
        var patch = JSONObject()
        for (key, modifiedValue) in modified {
            guard let originalValue = original[key] else {
                patch[key] = modifiedValue
                continue
            }
            let field = schema.field(key)
            switch (originalValue, modifiedValue) {
            case (.object(let originalMembers), .object(let modifiedMembers)) where !field.replacesMap:
                let nested = try diffObject(originalMembers, modifiedMembers, schema: field.valueSchema, listsKeptKeys: field.retainsKeys)
                if !nested.isEmpty { patch[key] = .object(nested) }
            case (.array(let originalElements), .array(let modifiedElements)) where field.mergesList:
                try diffList(originalElements, modifiedElements, field: field, into: &patch)
            default:
                if !originalValue.isSemanticallyEqual(to: modifiedValue) { patch[key] = modifiedValue }
            }
        }
        for key in original.keys where modified[key] == nil {
            patch[key] = .null
        }
        if listsKeptKeys && !patch.isEmpty {
            let kept = modified.filter { $0.value != .null }.keys.sorted().map(JSONValue.string)
            patch.updateValue(.array(kept), forKey: PatchDirective.retainKeys, insertingAt: 0)
        }
        return patch
    }

    /// The patch entries for a merging list: changed and added elements (with delete directives
    /// for removed maps), a `$deleteFromPrimitiveList` for removed primitives, and the
    /// `$setElementOrder` list whenever the contents or the order changed.
    private func diffList(
        _ original: [JSONValue],
        _ modified: [JSONValue],
        field: PatchField,
        into patch: inout JSONObject
    ) throws(PatchError) {
        guard !original.isEmpty else {
            if !modified.isEmpty { patch[field.name] = .array(modified) }
            return
        }
        let changes: [JSONValue]
        var deletions: [JSONValue] = []
        let orderChanged: Bool
        switch try ListElementKind(of: original + modified, field: field.name) {
        case .primitive:
            changes = modified.filter { !original.containsSemantically($0) }.removingSemanticDuplicates()
            deletions = original.filter { !modified.containsSemantically($0) }.removingSemanticDuplicates()
            orderChanged = !JSONValue.array(original).isSemanticallyEqual(to: .array(modified))
        case .map:
            guard let mergeKey = field.mergeKey else {
                throw .notApplicable("cannot merge lists without merge key for \(field.name)")
            }
            let originalKeys = try mergeKeys(of: original, field: field)
            let modifiedKeys = try mergeKeys(of: modified, field: field)
            var mapChanges: [JSONValue] = []
            for (element, key) in zip(modified, modifiedKeys) {
                guard let index = originalKeys.firstIndexSemantically(of: key),
                      case .object(let originalMembers) = original[index],
                      case .object(let modifiedMembers) = element
                else {
                    mapChanges.append(element)
                    continue
                }
                var nested = try diffObject(originalMembers, modifiedMembers, schema: field.elementSchema, listsKeptKeys: field.retainsKeys)
                if !nested.isEmpty {
                    nested.updateValue(key, forKey: mergeKey, insertingAt: 0)
                    mapChanges.append(.object(nested))
                }
            }
            for key in originalKeys.removingSemanticDuplicates() where !modifiedKeys.containsSemantically(key) {
                mapChanges.append(.object([mergeKey: key, PatchDirective.marker: .string(PatchDirective.Action.delete.rawValue)]))
            }
            changes = mapChanges
            orderChanged = !JSONValue.array(originalKeys).isSemanticallyEqual(to: .array(modifiedKeys))
        }

        if !changes.isEmpty { patch[field.name] = .array(changes) }
        if !deletions.isEmpty { patch["\(PatchDirective.deleteFromPrimitiveList)/\(field.name)"] = .array(deletions) }
        if (!changes.isEmpty || !deletions.isEmpty || orderChanged) && !modified.isEmpty {
            let order = field.mergeKey.map { key in modified.map { JSONValue.object([key: field.identity(of: $0) ?? .null]) } } ?? modified
            patch["\(PatchDirective.setElementOrder)/\(field.name)"] = .array(order)
        }
    }

    private func mergeKeys(of elements: [JSONValue], field: PatchField) throws(PatchError) -> [JSONValue] {
        var keys: [JSONValue] = []
        for element in elements {
            guard let key = field.identity(of: element) else { throw .missingMergeKey(field.mergeKey ?? "", in: element) }
            keys.append(key)
        }
        return keys
    }
}
