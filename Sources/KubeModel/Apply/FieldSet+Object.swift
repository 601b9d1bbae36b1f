/// The fields an object specifies, as upstream's `ToFieldSet` computes them: every scalar leaf,
/// atomic lists and maps as single leaves, every list item (its `.`), map entries that are not
/// declared struct fields, and fields set to null or `{}`.
extension FieldSet {
    public init(of object: JSONValue, schema: JSONValue) throws(StructuredValueError) {
        self = try Self.specified(by: object, schema: MergeSchema(schema), rejectingDuplicates: false)
    }

    /// With `rejectingDuplicates`, two list items with the same key are an error, as they are in
    /// an applied configuration (live objects may hold them).
    static func specified(
        by object: JSONValue, schema: MergeSchema, rejectingDuplicates: Bool
    ) throws(StructuredValueError) -> FieldSet {
        var collector = Collector(rejectsDuplicates: rejectingDuplicates)
        // The root itself is never a member (its path is empty).
        return try collector.visit(object, schema).set
    }

    /// Builds each level's set on the way back up, so no path is walked from the root per field;
    /// `path` is kept only for errors.
    private struct Collector {
        let rejectsDuplicates: Bool
        var path: [FieldSetPathElement] = []

        init(rejectsDuplicates: Bool) { self.rejectsDuplicates = rejectsDuplicates }

        /// The fields under `value`, and whether `value` is itself a member of its parent's set.
        mutating func visit(_ value: JSONValue, _ schema: MergeSchema) throws(StructuredValueError) -> (set: FieldSet, isMember: Bool) {
            switch schema.shape(for: value) {
            case .scalar, .untyped:
                return (FieldSet(), true)
            case .list(let itemSchema, let kind):
                guard case .array(let items) = value, kind != .atomic else { return (FieldSet(), !value.isNull) }
                var set = FieldSet()
                var seen = Set<FieldSetPathElement>()
                let identified = try ListItemIdentity.identify(
                    items, kind: kind, itemSchema: itemSchema, listPath: FieldSetPath(path))
                for (element, item) in identified {
                    if rejectsDuplicates && !seen.insert(element).inserted {
                        throw StructuredValueError("duplicate entries for key \(element)", at: FieldSetPath(path))
                    }
                    path.append(element)
                    let (subset, _) = try visit(item, itemSchema)
                    path.removeLast()
                    set.add(subset, under: element, isMember: true)
                }
                return (set, false)
            case .map(let shape):
                guard case .object(let entries) = value, !shape.isAtomic else { return (FieldSet(), !value.isNull) }
                var set = FieldSet()
                for (name, entry) in entries {
                    let element = FieldSetPathElement.field(name)
                    let entrySchema = shape.schema(forField: name)
                    path.append(element)
                    let (subset, isMember) = try visit(entry, entrySchema)
                    path.removeLast()
                    let isLeaf = entry.isNull || entry.objectValue?.isEmpty == true || !shape.declares(name)
                    set.add(subset, under: element, isMember: isMember || isLeaf)
                }
                return (set, false)
            }
        }
    }

    /// This set plus every declared struct field that has something under it as a member itself
    /// (upstream's `EnsureNamedFieldsAreMembers`), so pruning can remove a whole field.
    func withNamedFieldsAsMembers(_ schema: MergeSchema) -> FieldSet {
        var result = self
        let shape = schema.declaredShape
        for (element, subset) in children {
            var childSchema = MergeSchema.untyped
            switch (element.kind, shape) {
            case (.field(let name), .map(let map)):
                if map.declares(name) { result.members.insert(element) }
                childSchema = map.schema(forField: name)
            case (.key, .list(let itemSchema, _)), (.value, .list(let itemSchema, _)), (.index, .list(let itemSchema, _)):
                childSchema = itemSchema
            default:
                break
            }
            result.children[element] = subset.withNamedFieldsAsMembers(childSchema)
        }
        return result
    }
}
