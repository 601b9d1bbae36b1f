/// What changed between two versions of an object, as field sets (upstream's
/// `TypedValue.Compare`). Leaves are compared by value; a map, list, list item or map entry that
/// appears or disappears as a whole is recorded too, not just the leaves under it.
struct StructuredComparison {
    var added = FieldSet()
    var modified = FieldSet()
    var removed = FieldSet()

    init(from old: JSONValue?, to new: JSONValue?, schema: MergeSchema) throws(StructuredValueError) {
        try visit(old, new, schema, path: [])
    }

    var changed: FieldSet { modified.union(added) }

    /// The comparison without the changes under `ignored` (fields reset by the API, like status).
    func excluding(_ ignored: FieldSet) -> StructuredComparison {
        var result = self
        result.added = added.subtractingRecursively(ignored)
        result.modified = modified.subtractingRecursively(ignored)
        result.removed = removed.subtractingRecursively(ignored)
        return result
    }

    private mutating func visit(
        _ lhs: JSONValue?, _ rhs: JSONValue?, _ schema: MergeSchema, path: FieldSetPath
    ) throws(StructuredValueError) {
        if case .none = lhs, case .none = rhs { return }
        if let lhs, let rhs, !lhs.isNull, !rhs.isNull, lhs.structuralKind != rhs.structuralKind {
            modified.insert(path)
            return
        }
        // A null compares as an empty map or list would.
        switch schema.shape(for: rhs.flatMap { $0.isNull ? nil : $0 } ?? lhs) {
        case .scalar, .untyped:
            compareLeaf(lhs, rhs, path: path)
        case .list(let itemSchema, let kind):
            let (lhsItems, rhsItems) = (lhs?.arrayValue ?? [], rhs?.arrayValue ?? [])
            if kind == .atomic || (lhsItems.isEmpty && rhsItems.isEmpty) {
                compareLeaf(lhs, rhs, path: path)
                return
            }
            let lhsIdentified = try ListItemIdentity.identify(lhsItems, kind: kind, itemSchema: itemSchema, listPath: path)
            let rhsIdentified = try ListItemIdentity.identify(rhsItems, kind: kind, itemSchema: itemSchema, listPath: path)
            var lhsByElement: [FieldSetPathElement: JSONValue] = [:]
            var rhsByElement: [FieldSetPathElement: JSONValue] = [:]
            var order: [FieldSetPathElement] = []
            for (element, item) in lhsIdentified where lhsByElement[element] == nil {
                lhsByElement[element] = item
                order.append(element)
            }
            for (element, item) in rhsIdentified where rhsByElement[element] == nil {
                rhsByElement[element] = item
                if lhsByElement[element] == nil { order.append(element) }
            }
            for element in order {
                try visit(lhsByElement[element], rhsByElement[element], itemSchema, path: path.appending(element))
            }
            recordAppearance(lhs, rhs, path: path)
        case .map(let shape):
            let (lhsEntries, rhsEntries) = (lhs?.objectValue ?? [:], rhs?.objectValue ?? [:])
            if shape.isAtomic || (lhsEntries.isEmpty && rhsEntries.isEmpty) {
                compareLeaf(lhs, rhs, path: path)
                return
            }
            for (name, value) in lhsEntries {
                try visit(value, rhsEntries[name], shape.schema(forField: name), path: path.appending(.field(name)))
            }
            for (name, value) in rhsEntries where lhsEntries[name] == nil {
                try visit(nil, value, shape.schema(forField: name), path: path.appending(.field(name)))
            }
            recordAppearance(lhs, rhs, path: path)
        }
    }

    private mutating func compareLeaf(_ lhs: JSONValue?, _ rhs: JSONValue?, path: FieldSetPath) {
        switch (lhs, rhs) {
        case (.none, .some): added.insert(path)
        case (.some, .none): removed.insert(path)
        case (let lhs?, let rhs?) where !lhs.isSemanticallyEqual(to: rhs): modified.insert(path)
        default: break
        }
    }

    /// A container that is new or gone is itself added or removed.
    private mutating func recordAppearance(_ lhs: JSONValue?, _ rhs: JSONValue?, path: FieldSetPath) {
        if case .none = lhs { added.insert(path) } else if case .none = rhs { removed.insert(path) }
    }
}
