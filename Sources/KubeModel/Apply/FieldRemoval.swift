/// Removes the fields, list items and map entries of a set from an object (upstream's
/// `TypedValue.RemoveItems`). Atomic values are never taken apart; a list or map left empty by
/// the removal disappears with its last item.
enum FieldRemoval {
    static func removing(_ set: FieldSet, from value: JSONValue, schema: MergeSchema) -> JSONValue? {
        guard !set.isEmpty else { return value }
        switch schema.shape(for: value) {
        case .scalar, .untyped:
            return value
        case .list(let itemSchema, let kind):
            guard case .array(let items) = value, !items.isEmpty, kind != .atomic else { return value }
            var kept: [JSONValue] = []
            for (index, item) in items.enumerated() {
                // An item whose key cannot be read was never tracked, so nothing of it is removed.
                guard let element = try? ListItemIdentity.element(
                    of: item, at: index, kind: kind, itemSchema: itemSchema, listPath: [])
                else {
                    kept.append(item)
                    continue
                }
                if set.members.contains(element) { continue }
                if let remaining = removing(set.child(element), from: item, schema: itemSchema) { kept.append(remaining) }
            }
            return kept.isEmpty ? nil : .array(kept)
        case .map(let shape):
            guard case .object(let entries) = value, !entries.isEmpty, !shape.isAtomic else { return value }
            var kept = JSONObject()
            for (name, entry) in entries {
                let element = FieldSetPathElement.field(name)
                if set.members.contains(element) { continue }
                kept[name] = removing(set.child(element), from: entry, schema: shape.schema(forField: name))
            }
            return kept.isEmpty ? nil : .object(kept)
        }
    }
}
