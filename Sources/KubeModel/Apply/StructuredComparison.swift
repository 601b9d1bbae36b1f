/// What changed between two versions of an object, as field sets (upstream's
/// `TypedValue.Compare`). Leaves are compared by value; a map, list, list item or map entry that
/// appears or disappears as a whole is recorded too, not just the leaves under it.
struct StructuredComparison {
    var added = FieldSet()
    var modified = FieldSet()
    var removed = FieldSet()

    /// With `mergingAdditions`, what was added is recorded in `modified` with what was modified
    /// (`changed` is the same, built in one set), for callers that only need `changed`.
    init(from old: JSONValue?, to new: JSONValue?, schema: MergeSchema, mergingAdditions: Bool = false) throws(StructuredValueError) {
        var walker = Walker(mergingAdditions: mergingAdditions)
        // The root has an empty path, which no set can hold: only what is under it counts.
        switch (old, new) {
        case (nil, nil): break
        case (nil, let new?):
            if mergingAdditions { modified = try walker.whole(new, schema) } else { added = try walker.whole(new, schema) }
        case (let old?, nil): removed = try walker.whole(old, schema)
        case (let old?, let new?):
            guard !Self.isUnchanged(old, new, schema) else { return }
            var root = Changes()
            try walker.visit(old, new, schema, into: &root)
            (added, modified, removed) = (root.added, root.modified, root.removed)
        }
    }

    var changed: FieldSet { modified.union(added) }

    /// The comparison without the changes under `ignored` (fields reset by the API, like status).
    func excluding(_ ignored: FieldSet) -> StructuredComparison {
        guard !ignored.isEmpty else { return self }
        var result = self
        result.added = added.subtractingRecursively(ignored)
        result.modified = modified.subtractingRecursively(ignored)
        result.removed = removed.subtractingRecursively(ignored)
        return result
    }

    /// Whether comparing `lhs` with `rhs` would find no change and meet no error: the two hold the
    /// same values (numbers of the same type too), and every list the comparison would take apart
    /// identifies its items. Cheaper than the comparison (nothing is built), so what an update
    /// leaves alone is only read; when unsure it answers false and the values are compared.
    static func isUnchanged(_ lhs: JSONValue, _ rhs: JSONValue, _ schema: MergeSchema) -> Bool {
        switch (lhs, rhs) {
        case (.object(let lhsEntries), .object(let rhsEntries)):
            guard lhsEntries.count == rhsEntries.count else { return false }
            guard case .map(let shape) = schema.shape(for: rhs), !shape.isAtomic else { return lhsEntries == rhsEntries }
            for (name, value) in lhsEntries {
                guard let other = rhsEntries[name] else { return false }
                if value.structuralKind == 0 || other.structuralKind == 0 {
                    // A leaf on either side: unchanged only when equal, whatever the schema.
                    guard value == other else { return false }
                } else if !isUnchanged(value, other, shape.schema(forField: name)) {
                    return false
                }
            }
            return true
        case (.array(let lhsItems), .array(let rhsItems)):
            guard lhsItems.count == rhsItems.count else { return false }
            guard case .list(let itemSchema, let kind) = schema.shape(for: rhs), kind != .atomic else { return lhsItems == rhsItems }
            for (lhsItem, rhsItem) in zip(lhsItems, rhsItems) {
                guard ListItemIdentity.isIdentifiable(lhsItem, kind: kind, itemSchema: itemSchema),
                    isUnchanged(lhsItem, rhsItem, itemSchema)
                else { return false }
            }
            return true
        default:
            return lhs == rhs
        }
    }

    /// The changes under one value, relative to it.
    private struct Changes {
        var added = FieldSet()
        var modified = FieldSet()
        var removed = FieldSet()
    }

    /// Builds each level's sets on the way back up, so no path is walked from the root per
    /// change; `path` is kept only for errors.
    private struct Walker {
        var path: [FieldSetPathElement]
        let mergingAdditions: Bool

        init(mergingAdditions: Bool) {
            path = []
            path.reserveCapacity(16)
            self.mergingAdditions = mergingAdditions
        }

        /// Compares two values present on both sides; their own changes go to `parent` under
        /// `element` (nil for the root).
        mutating func visit(
            _ lhs: JSONValue, _ rhs: JSONValue, _ schema: MergeSchema, into parent: inout Changes,
            as element: FieldSetPathElement? = nil
        ) throws(StructuredValueError) {
            if !lhs.isNull, !rhs.isNull, lhs.structuralKind != rhs.structuralKind {
                if let element { parent.modified.members.insert(element) }
                return
            }
            // A null compares as an empty map or list would where the schema declares one; an
            // untyped field set to null compares as a leaf (the shape is read from the new value).
            switch schema.shape(for: rhs) {
            case .scalar, .untyped:
                compareLeaf(lhs, rhs, into: &parent, as: element)
            case .list(let itemSchema, let kind):
                let (lhsItems, rhsItems) = (lhs.arrayValue ?? [], rhs.arrayValue ?? [])
                if kind == .atomic || (lhsItems.isEmpty && rhsItems.isEmpty) {
                    compareLeaf(lhs, rhs, into: &parent, as: element)
                    return
                }
                let lhsIdentified = try ListItemIdentity.identify(
                    lhsItems, kind: kind, itemSchema: itemSchema, listPath: FieldSetPath(path))
                let rhsIdentified = try ListItemIdentity.identify(
                    rhsItems, kind: kind, itemSchema: itemSchema, listPath: FieldSetPath(path))
                // Items are matched by element; a duplicate after the first is not compared.
                var lhsByElement: [FieldSetPathElement: JSONValue] = [:]
                var rhsByElement: [FieldSetPathElement: JSONValue] = [:]
                lhsByElement.reserveCapacity(lhsIdentified.count)
                rhsByElement.reserveCapacity(rhsIdentified.count)
                var order: [FieldSetPathElement] = []
                order.reserveCapacity(lhsIdentified.count + rhsIdentified.count)
                for (element, item) in lhsIdentified where lhsByElement[element] == nil {
                    lhsByElement[element] = item
                    order.append(element)
                }
                for (element, item) in rhsIdentified where rhsByElement[element] == nil {
                    rhsByElement[element] = item
                    if lhsByElement[element] == nil { order.append(element) }
                }
                var level = Changes()
                for itemElement in order {
                    try visitChild(lhsByElement[itemElement], rhsByElement[itemElement], itemSchema, into: &level, as: itemElement)
                }
                attach(level, into: &parent, as: element)
            case .map(let shape):
                let (lhsEntries, rhsEntries) = (lhs.objectValue ?? [:], rhs.objectValue ?? [:])
                if shape.isAtomic || (lhsEntries.isEmpty && rhsEntries.isEmpty) {
                    compareLeaf(lhs, rhs, into: &parent, as: element)
                    return
                }
                var level = Changes()
                for (name, value) in lhsEntries {
                    let other = rhsEntries[name]
                    // Two leaves (or a leaf and nothing) compare the same under any schema: no
                    // schema is looked up for them.
                    if value.structuralKind == 0, (other?.structuralKind ?? 0) == 0 {
                        if let other {
                            compareLeaf(value, other, into: &level, as: .field(name))
                        } else {
                            level.removed.members.insert(.field(name))
                        }
                        continue
                    }
                    try visitChild(value, other, shape.schema(forField: name), into: &level, as: .field(name))
                }
                for (name, value) in rhsEntries where lhsEntries[name] == nil {
                    if value.structuralKind == 0 {
                        if mergingAdditions {
                            level.modified.members.insert(.field(name))
                        } else {
                            level.added.members.insert(.field(name))
                        }
                        continue
                    }
                    try visitChild(nil, value, shape.schema(forField: name), into: &level, as: .field(name))
                }
                attach(level, into: &parent, as: element)
            }
        }

        private mutating func visitChild(
            _ lhs: JSONValue?, _ rhs: JSONValue?, _ schema: MergeSchema, into level: inout Changes,
            as element: FieldSetPathElement
        ) throws(StructuredValueError) {
            path.append(element)
            defer { path.removeLast() }
            switch (lhs, rhs) {
            case (let lhs?, let rhs?):
                if lhs.structuralKind != 0, StructuredComparison.isUnchanged(lhs, rhs, schema) { return }
                try visit(lhs, rhs, schema, into: &level, as: element)
            case (nil, let rhs?):
                let subset = try whole(rhs, schema)
                if mergingAdditions {
                    level.modified.add(subset, under: element, isMember: true)
                } else {
                    level.added.add(subset, under: element, isMember: true)
                }
            case (let lhs?, nil):
                level.removed.add(try whole(lhs, schema), under: element, isMember: true)
            case (nil, nil):
                break
            }
        }

        /// Everything under a value that is only on one side: its leaves, and every container
        /// (list item, map, list) that appears or goes with it. The value itself always counts.
        mutating func whole(_ value: JSONValue, _ schema: MergeSchema) throws(StructuredValueError) -> FieldSet {
            switch schema.shape(for: value) {
            case .scalar, .untyped:
                return FieldSet()
            case .list(let itemSchema, let kind):
                guard kind != .atomic, case .array(let items) = value, !items.isEmpty else { return FieldSet() }
                let identified = try ListItemIdentity.identify(items, kind: kind, itemSchema: itemSchema, listPath: FieldSetPath(path))
                var set = FieldSet()
                for (element, item) in identified where !set.members.contains(element) {
                    path.append(element)
                    let subset = try whole(item, itemSchema)
                    path.removeLast()
                    set.add(subset, under: element, isMember: true)
                }
                return set
            case .map(let shape):
                guard !shape.isAtomic, case .object(let entries) = value, !entries.isEmpty else { return FieldSet() }
                var set = FieldSet()
                for (name, entry) in entries {
                    let element = FieldSetPathElement.field(name)
                    // Nothing is under a leaf, whatever its schema.
                    guard entry.structuralKind != 0 else {
                        set.members.insert(element)
                        continue
                    }
                    path.append(element)
                    let subset = try whole(entry, shape.schema(forField: name))
                    path.removeLast()
                    set.add(subset, under: element, isMember: true)
                }
                return set
            }
        }

        private func compareLeaf(_ lhs: JSONValue, _ rhs: JSONValue, into parent: inout Changes, as element: FieldSetPathElement?) {
            guard let element, !lhs.isSemanticallyEqual(to: rhs) else { return }
            parent.modified.members.insert(element)
        }

        private func attach(_ level: Changes, into parent: inout Changes, as element: FieldSetPathElement?) {
            guard let element else {
                parent = level
                return
            }
            parent.added.add(level.added, under: element, isMember: false)
            parent.modified.add(level.modified, under: element, isMember: false)
            parent.removed.add(level.removed, under: element, isMember: false)
        }
    }
}
