/// The part of an OpenAPI schema (in `SchemaCatalog`'s compact form) that strategic merge patch
/// reads: for each field, its patch strategies (`x-kubernetes-patch-strategy`), its merge key
/// (`x-kubernetes-patch-merge-key`) and the schema of its value.
///
/// Only those two extensions steer the merge, as upstream's struct tags do: list and map types
/// (`x-kubernetes-list-type`, `x-kubernetes-map-type`) belong to server-side apply, and kubectl's
/// patches count on, say, an atomic `nodeSelector` still merging key by key.
struct PatchSchema: Sendable {
    /// The resolved definition; nil for values the catalog does not describe, whose maps then
    /// merge like JSON merge patch and whose lists are replaced.
    let definition: JSONValue?

    static let unknown = PatchSchema(nil)

    init(_ schema: JSONValue?) {
        definition = schema.map(SchemaCatalog.resolve)
    }

    func field(_ name: String) -> PatchField {
        // Declared properties first; otherwise a map's values (labels, annotations, data…).
        let property = definition?["p"]?[name] ?? definition?["addl"]
        return PatchField(name: name, property: property)
    }
}

/// How one field of an object takes a patch.
struct PatchField: Sendable {
    let name: String
    /// The property's schema; nil when the field is unknown.
    let property: JSONValue?

    var strategies: [Substring] {
        property?["ps"]?.stringValue?.split(separator: ",") ?? []
    }

    /// Lists merge element by element (by `mergeKey` for lists of maps) instead of being replaced.
    var mergesList: Bool { strategies.contains("merge") }
    /// Maps are replaced whole instead of merged.
    var replacesMap: Bool { strategies.contains("replace") }
    /// Two-way diffs of this map (or of each element of this list) list the keys to keep, so
    /// that applying them clears the members of a union the patch does not mention.
    var retainsKeys: Bool { strategies.contains("retainKeys") }

    var mergeKey: String? { property?["pmk"]?.stringValue }

    /// The schema of the field's value when it is a map.
    var valueSchema: PatchSchema { PatchSchema(property) }
    /// The schema of the field's elements when it is a list.
    var elementSchema: PatchSchema { PatchSchema(property?["items"]) }

    /// What names an element of this list across original, patch and order lists: the value of
    /// its merge key for lists of maps, the element itself otherwise.
    func identity(of element: JSONValue) -> JSONValue? {
        guard let mergeKey else { return element }
        return element.objectValue?[mergeKey]
    }
}
