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
        try collector.visit(object, schema, path: [])
        return collector.set
    }

    private struct Collector {
        var set = FieldSet()
        let rejectsDuplicates: Bool

        init(rejectsDuplicates: Bool) { self.rejectsDuplicates = rejectsDuplicates }

        mutating func visit(_ value: JSONValue, _ schema: MergeSchema, path: FieldSetPath) throws(StructuredValueError) {
            switch schema.shape(for: value) {
            case .scalar, .untyped:
                set.insert(path)
            case .list(let itemSchema, let kind):
                guard case .array(let items) = value, kind != .atomic else {
                    if !value.isNull { set.insert(path) }
                    return
                }
                var seen = Set<FieldSetPathElement>()
                for (element, item) in try ListItemIdentity.identify(items, kind: kind, itemSchema: itemSchema, listPath: path) {
                    if rejectsDuplicates && !seen.insert(element).inserted {
                        throw StructuredValueError("duplicate entries for key \(element)", at: path)
                    }
                    let itemPath = path.appending(element)
                    try visit(item, itemSchema, path: itemPath)
                    set.insert(itemPath)
                }
            case .map(let shape):
                guard case .object(let entries) = value, !shape.isAtomic else {
                    if !value.isNull { set.insert(path) }
                    return
                }
                for (name, entry) in entries {
                    let entryPath = path.appending(.field(name))
                    try visit(entry, shape.schema(forField: name), path: entryPath)
                    if entry.isNull || entry.objectValue?.isEmpty == true || !shape.declares(name) {
                        set.insert(entryPath)
                    }
                }
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
