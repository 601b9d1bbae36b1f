/// The FieldsV1 an updater owns after creating an object when no ownership was stored or sent:
/// every field of the object (as comparing it with nothing finds them added), less the fields
/// nobody owns through the endpoint and the untracked ones. Written straight from the object in
/// FieldsV1's order, so a create builds no field sets.
struct CreatedFields {
    private var path: [FieldSetPathElement] = []

    /// One written element and what is under it.
    private struct Entry {
        let element: FieldSetPathElement
        let isMember: Bool
        let under: [Entry]
    }

    /// FieldsV1 contents for what `StructuredComparison` finds added from nothing to `object`,
    /// less `ignored` (with everything under it) and the paths of `untracked` (not what is under
    /// them). Fails as the comparison does, ignored parts included.
    static func fieldsV1(
        of object: JSONValue, schema: MergeSchema, ignoring ignored: FieldSet, untracked: FieldSet
    ) throws(StructuredValueError) -> JSONObject {
        var writer = CreatedFields()
        return encoded(try writer.contents(object, schema, ignored: ignored, untracked: untracked), includingSelf: false)
    }

    /// The entries under `value`, sorted. Each entry and item under it is added as a whole, so it
    /// is a member unless `untracked` names it.
    private mutating func contents(
        _ value: JSONValue, _ schema: MergeSchema, ignored: FieldSet?, untracked: FieldSet?
    ) throws(StructuredValueError) -> [Entry] {
        var entries: [Entry] = []
        switch schema.shape(for: value) {
        case .scalar, .untyped:
            return []
        case .list(let itemSchema, let kind):
            guard kind != .atomic, case .array(let items) = value, !items.isEmpty else { return [] }
            let identified = try ListItemIdentity.identify(items, kind: kind, itemSchema: itemSchema, listPath: FieldSetPath(path))
            var seen = Set<FieldSetPathElement>()
            seen.reserveCapacity(identified.count)
            entries.reserveCapacity(identified.count)
            // Only the first of duplicate items is compared.
            for (element, item) in identified where seen.insert(element).inserted {
                if let entry = try self.entry(element, item, itemSchema, ignored: ignored, untracked: untracked) {
                    entries.append(entry)
                }
            }
        case .map(let shape):
            guard !shape.isAtomic, case .object(let fields) = value, !fields.isEmpty else { return [] }
            entries.reserveCapacity(fields.count)
            for (name, field) in fields {
                // Nothing is under a leaf, whatever its schema: none is looked up for it.
                let schema = field.structuralKind == 0 ? MergeSchema.untyped : shape.schema(forField: name)
                if let entry = try self.entry(.field(name), field, schema, ignored: ignored, untracked: untracked) {
                    entries.append(entry)
                }
            }
        }
        // FieldsV1's order, as `FieldSet.fieldsV1` sorts.
        entries.sort { $0.element < $1.element }
        return entries
    }

    private mutating func entry(
        _ element: FieldSetPathElement, _ value: JSONValue, _ schema: MergeSchema, ignored: FieldSet?, untracked: FieldSet?
    ) throws(StructuredValueError) -> Entry? {
        path.append(element)
        defer { path.removeLast() }
        if let ignored, ignored.members.contains(element) {
            try check(value, schema)
            return nil
        }
        let isMember = !(untracked?.members.contains(element) ?? false)
        let under = try contents(value, schema, ignored: ignored?.children[element], untracked: untracked?.children[element])
        guard isMember || !under.isEmpty else { return nil }
        return Entry(element: element, isMember: isMember, under: under)
    }

    /// Walks a part that is left out as the comparison would, for the errors it would meet.
    private mutating func check(_ value: JSONValue, _ schema: MergeSchema) throws(StructuredValueError) {
        switch schema.shape(for: value) {
        case .scalar, .untyped:
            return
        case .list(let itemSchema, let kind):
            guard kind != .atomic, case .array(let items) = value, !items.isEmpty else { return }
            let identified = try ListItemIdentity.identify(items, kind: kind, itemSchema: itemSchema, listPath: FieldSetPath(path))
            var seen = Set<FieldSetPathElement>()
            for (element, item) in identified where seen.insert(element).inserted {
                path.append(element)
                try check(item, itemSchema)
                path.removeLast()
            }
        case .map(let shape):
            guard !shape.isAtomic, case .object(let fields) = value else { return }
            for (name, field) in fields {
                path.append(.field(name))
                try check(field, shape.schema(forField: name))
                path.removeLast()
            }
        }
    }

    /// Sorted entries as a FieldsV1 level; distinct elements have distinct keys.
    private static func encoded(_ entries: [Entry], includingSelf: Bool) -> JSONObject {
        var keys: [String] = []
        var values: [JSONValue] = []
        keys.reserveCapacity(entries.count + 1)
        values.reserveCapacity(entries.count + 1)
        if includingSelf {
            keys.append(".")
            values.append(.object([:]))
        }
        for entry in entries {
            keys.append(entry.element.fieldsV1Key)
            values.append(entry.under.isEmpty ? .object([:]) : .object(encoded(entry.under, includingSelf: entry.isMember)))
        }
        return JSONObject(uncheckedUniqueKeys: keys, values: values)
    }
}
