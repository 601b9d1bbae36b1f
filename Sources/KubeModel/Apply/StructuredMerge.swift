/// Structured merge of an applied configuration into a live object (upstream's
/// `TypedValue.Merge`): the configuration wins on every leaf it sets; granular maps merge by
/// field, map lists by key and sets by value; atomic lists and maps are replaced whole. Nothing is
/// removed — pruning is a separate step.
enum StructuredMerge {
    static func merge(_ live: JSONValue?, _ config: JSONValue?, schema: MergeSchema) throws(StructuredValueError) -> JSONValue? {
        try merge(live, config, schema, path: [])
    }

    private static func merge(
        _ lhs: JSONValue?, _ rhs: JSONValue?, _ schema: MergeSchema, path: FieldSetPath
    ) throws(StructuredValueError) -> JSONValue? {
        guard let lhs else { return rhs }
        guard let rhs else { return lhs }
        // Values of different shapes cannot merge: the configuration replaces. A null merges as
        // an empty map or list would, so it leaves a granular live container as it is.
        if !lhs.isNull, !rhs.isNull, lhs.structuralKind != rhs.structuralKind { return rhs }
        switch schema.shape(for: rhs.isNull ? lhs : rhs) {
        case .scalar, .untyped:
            return rhs
        case .list(let itemSchema, let kind):
            let (lhsItems, rhsItems) = (lhs.arrayValue ?? [], rhs.arrayValue ?? [])
            if kind == .atomic || (lhsItems.isEmpty && rhsItems.isEmpty) { return rhs }
            return .array(try mergeItems(lhsItems, rhsItems, itemSchema, kind, path: path))
        case .map(let shape):
            let (lhsEntries, rhsEntries) = (lhs.objectValue ?? [:], rhs.objectValue ?? [:])
            if shape.isAtomic || (lhsEntries.isEmpty && rhsEntries.isEmpty) { return rhs }
            var result = JSONObject()
            for (name, value) in lhsEntries {
                result[name] = try merge(value, rhsEntries[name], shape.schema(forField: name), path: path.appending(.field(name)))
            }
            for (name, value) in rhsEntries where lhsEntries[name] == nil {
                result[name] = value
            }
            return .object(result)
        }
    }

    /// Items keep the configuration's order; live items the configuration does not mention stay
    /// where they were relative to the items around them.
    private static func mergeItems(
        _ lhsItems: [JSONValue], _ rhsItems: [JSONValue], _ itemSchema: MergeSchema, _ kind: MergeSchema.ListKind,
        path: FieldSetPath
    ) throws(StructuredValueError) -> [JSONValue] {
        let lhs = try ListItemIdentity.identify(lhsItems, kind: kind, itemSchema: itemSchema, listPath: path)
        let rhs = try ListItemIdentity.identify(rhsItems, kind: kind, itemSchema: itemSchema, listPath: path)
        var lhsByElement: [FieldSetPathElement: JSONValue] = [:]
        for (element, item) in lhs where lhsByElement[element] == nil { lhsByElement[element] = item }
        var rhsByElement: [FieldSetPathElement: JSONValue] = [:]
        for (element, item) in rhs where rhsByElement[element] == nil { rhsByElement[element] = item }
        // Items on both sides, in the configuration's order: the next one due is `shared[nextShared]`.
        let shared = rhs.map(\.element).filter { lhsByElement[$0] != nil }
        var nextShared = 0
        var emitted = Set<FieldSetPathElement>()
        var result: [JSONValue] = []

        func emit(_ element: FieldSetPathElement) throws(StructuredValueError) {
            guard emitted.insert(element).inserted else { return }
            if let merged = try merge(lhsByElement[element], rhsByElement[element], itemSchema, path: path.appending(element)) {
                result.append(merged)
            }
            if nextShared < shared.count, shared[nextShared] == element { nextShared += 1 }
        }

        var (l, r) = (0, 0)
        while l < lhs.count || r < rhs.count {
            if l < lhs.count && r < rhs.count {
                let element = lhs[l].element
                if element == rhs[r].element {
                    try emit(element)
                    l += 1
                    r += 1
                    continue
                }
                if rhsByElement[element] != nil, nextShared < shared.count, shared[nextShared] != element {
                    // A shared item the configuration places later: it is emitted from there.
                    l += 1
                    continue
                }
            }
            if l < lhs.count {
                let (element, item) = lhs[l]
                if rhsByElement[element] == nil {
                    // Live-only items keep their place (duplicates included).
                    result.append(item)
                    l += 1
                    continue
                }
                if emitted.contains(element) || r >= rhs.count {
                    l += 1
                    continue
                }
            }
            try emit(rhs[r].element)
            r += 1
        }
        return result
    }
}
