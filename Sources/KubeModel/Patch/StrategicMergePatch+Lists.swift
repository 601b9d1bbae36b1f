/// Lists under strategic merge patch: merging (by merge key, or as sets of primitives), the
/// `$patch` elements, `$deleteFromPrimitiveList` and `$setElementOrder`.
extension StrategicMergePatch {
    /// Merges a list whose field has the merge strategy.
    func mergeList(_ original: [JSONValue], _ patch: [JSONValue], field: PatchField) throws(PatchError) -> [JSONValue] {
        if original.isEmpty && patch.isEmpty { return original }
        switch try ListElementKind(of: original + patch, field: field.name) {
        case .primitive:
            let union = (original + patch).removingSemanticDuplicates()
            return ElementOrder.arrange(union, patchOrder: patch, serverOrder: original, identity: field.identity)
        case .map:
            return try mergeMapList(original, patch, field: field)
        }
    }

    private func mergeMapList(_ original: [JSONValue], _ patch: [JSONValue], field: PatchField) throws(PatchError) -> [JSONValue] {
        guard let mergeKey = field.mergeKey else {
            throw .notApplicable("cannot merge lists without merge key for \(field.name)")
        }
        var survivors = original
        var updates: [JSONObject] = []
        var replacesAll = false
        for element in patch {
            guard case .object(var members) = element else { continue }
            switch try PatchDirective.takeAction(from: &members) {
            case .delete?:
                guard let doomed = members[mergeKey] else { throw .missingMergeKey(mergeKey, in: element) }
                survivors.removeAll { field.identity(of: $0)?.isSemanticallyEqual(to: doomed) == true }
            case .replace?:
                replacesAll = true
            case .merge?:
                // Merging is what the list does anyway; a bare marker element carries nothing else.
                if !members.isEmpty { updates.append(members) }
            case nil:
                updates.append(members)
            }
        }

        var merged = replacesAll ? [] : survivors
        for update in updates {
            guard let key = update[mergeKey] else { throw .missingMergeKey(mergeKey, in: .object(update)) }
            if !replacesAll,
               let index = merged.firstIndex(where: { field.identity(of: $0)?.isSemanticallyEqual(to: key) == true }),
               case .object(let existing) = merged[index] {
                merged[index] = .object(try mergeObject(existing, update, schema: field.elementSchema))
            } else {
                merged.append(.object(try mergeObject([:], update, schema: field.elementSchema)))
            }
        }
        if replacesAll { return merged }
        return ElementOrder.arrange(merged, patchOrder: updates.map(JSONValue.object), serverOrder: survivors, identity: field.identity)
    }

    /// A patch list taken whole: merged into nothing when the field merges, otherwise the list
    /// as given with marker elements dropped and each map cleaned of directives and nulls.
    func newList(_ patch: [JSONValue], field: PatchField) throws(PatchError) -> [JSONValue] {
        if field.mergesList { return try mergeList([], patch, field: field) }
        var result: [JSONValue] = []
        for element in patch {
            guard case .object(let members) = element else {
                result.append(element)
                continue
            }
            if members[PatchDirective.marker] != nil { continue }
            result.append(.object(try mergeObject([:], members, schema: field.elementSchema)))
        }
        return result
    }

    /// `$deleteFromPrimitiveList/<field>`: every listed value leaves the list, duplicates included.
    func deleteFromPrimitiveList(_ doomed: JSONValue, field: String, in merged: inout JSONObject) throws(PatchError) {
        guard case .array(let doomedValues) = doomed else {
            throw .malformed("invalid patch format of primitive list: $deleteFromPrimitiveList/\(field) must be a list")
        }
        guard case .array(let elements)? = merged[field] else { return }
        merged[field] = .array(elements.filter { !doomedValues.containsSemantically($0) })
    }

    /// Every `$setElementOrder/<field>` of the patch: merges the field's list (taking it out of
    /// the patch) and puts the result in the order given.
    func applyElementOrders(from patch: inout JSONObject, to merged: inout JSONObject, schema: PatchSchema) throws(PatchError) {
        for key in patch.keys {
            guard let fieldName = try PatchDirective.field(of: key, prefix: PatchDirective.setElementOrder),
                  let directive = patch.removeValue(forKey: key)
            else { continue }
            guard case .array(let order) = directive else {
                throw .malformed("invalid patch format of setElementOrder list: \(key) must be a list")
            }
            let field = schema.field(fieldName)
            let originalList = try list(merged[fieldName], named: fieldName)
            let patchList = try list(patch.removeValue(forKey: fieldName), named: fieldName)
            try checkOrder(order, agreesWith: patchList ?? [], field: field)

            let combined: [JSONValue]
            switch (originalList, patchList) {
            case (nil, nil):
                continue
            case (let originalElements?, nil):
                combined = originalElements
            case (nil, let patchElements?):
                combined = try newList(patchElements, field: field)
            case (let originalElements?, let patchElements?):
                combined = field.mergesList
                    ? try mergeList(originalElements, patchElements, field: field)
                    : try newList(patchElements, field: field)
            }
            merged[fieldName] = .array(
                ElementOrder.arrange(combined, patchOrder: order, serverOrder: originalList ?? [], identity: field.identity))
        }
    }

    private func list(_ value: JSONValue?, named field: String) throws(PatchError) -> [JSONValue]? {
        switch value {
        case nil: return nil
        case .array(let elements)?: return elements
        case let other?: throw .notApplicable("$setElementOrder/\(field) needs \(field) to be a list, not \(other.typeName)")
        }
    }

    /// The patch list must name its elements in the order the `$setElementOrder` list gives, and
    /// name none that list leaves out (upstream's validatePatchWithSetOrderList); an empty order
    /// list asks for nothing.
    private func checkOrder(_ order: [JSONValue], agreesWith patchList: [JSONValue], field: PatchField) throws(PatchError) {
        if let mergeKey = field.mergeKey {
            for entry in order where field.identity(of: entry) == nil {
                throw .missingMergeKey(mergeKey, in: entry)
            }
        }
        guard !order.isEmpty else { return }
        var orderIndex = 0
        for element in patchList {
            if case .object(let members) = element, members[PatchDirective.marker] != nil { continue }
            guard let key = field.identity(of: element) else {
                throw .missingMergeKey(field.mergeKey ?? "", in: element)
            }
            while orderIndex < order.count, field.identity(of: order[orderIndex])?.isSemanticallyEqual(to: key) != true {
                orderIndex += 1
            }
            guard orderIndex < order.count else {
                throw .malformed("the order in patch list:\n\(JSONWriter.string(.array(patchList)))\n"
                    + " doesn't match $setElementOrder list:\n\(JSONWriter.string(.array(order)))")
            }
            orderIndex += 1
        }
    }
}

/// What a merged list holds; upstream merges only lists whose elements all share one JSON type.
enum ListElementKind {
    case primitive
    case map

    init(of elements: [JSONValue], field: String) throws(PatchError) {
        var seen: String?
        for element in elements {
            if case .array = element {
                throw .notApplicable("lists of lists are not supported (\(field))")
            }
            if let seen, seen != element.typeName {
                throw .notApplicable("list element types are not identical in \(field): \(seen) and \(element.typeName)")
            }
            seen = element.typeName
        }
        self = seen == "object" ? .map : .primitive
    }
}
