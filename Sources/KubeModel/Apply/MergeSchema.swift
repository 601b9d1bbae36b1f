/// The part of an OpenAPI schema that structured merge reads, one level at a time, with the
/// rules upstream's schema conversion applies: list types from `x-kubernetes-list-type`, or from
/// the strategic-merge patch strategy when absent (merge with a key is a map list, merge without
/// one a set), otherwise atomic; objects are granular unless `x-kubernetes-map-type: atomic`;
/// anything without a type is "deduced" from the value it meets.
///
/// Reads the catalog's compact keys (`t`, `p`, `addl`, `lt`…) and, for schemas that come from
/// custom resources, the full OpenAPI names.
struct MergeSchema: Sendable {
    enum ListKind: Sendable, Equatable {
        case atomic
        case set
        case map(keys: [String])
    }

    enum Shape {
        case scalar
        case list(element: MergeSchema, kind: ListKind)
        case map(MapShape)
        /// No type: shaped by the value (objects granular, lists atomic, the rest scalar).
        case untyped
    }

    struct MapShape {
        /// Declared fields (a struct); empty for plain maps.
        var fields: JSONObject
        /// Schema of entries that are not declared fields; nil when undeclared names are unknown.
        var element: MergeSchema?
        var isAtomic: Bool

        func schema(forField name: String) -> MergeSchema {
            if let field = fields[name] { return MergeSchema(field) }
            return element ?? .untyped
        }

        func declares(_ name: String) -> Bool { fields[name] != nil }
    }

    /// The resolved schema (references followed).
    let node: JSONValue

    init(_ schema: JSONValue) {
        node = Self.resolve(schema)
    }

    static let untyped = MergeSchema(.object([:]))

    private static func resolve(_ schema: JSONValue) -> JSONValue {
        if let name = schema["ref"]?.stringValue, let target = SchemaCatalog.definitions[name] { return target }
        if let reference = schema["$ref"]?.stringValue {
            let name = reference.split(separator: "/").last.map(String.init) ?? reference
            return SchemaCatalog.definitions[name] ?? schema
        }
        // OpenAPI v3 wraps a reference that carries a default in a one-element allOf.
        if let allOf = schema["allOf"]?.arrayValue, allOf.count == 1, schema["properties"] == nil {
            return resolve(allOf[0])
        }
        return schema
    }

    private func attribute(_ compact: String, _ full: String) -> JSONValue? {
        node[compact] ?? node[full]
    }

    /// The shape the schema declares, before looking at any value.
    var declaredShape: Shape {
        let type = attribute("t", "type")?.stringValue
        if type == "array" || attribute("items", "items") != nil {
            return .list(element: attribute("items", "items").map(MergeSchema.init) ?? .untyped, kind: listKind)
        }
        if node["x-kubernetes-int-or-string"]?.boolValue == true { return .scalar }
        let properties = attribute("p", "properties")?.objectValue
        let additional = attribute("addl", "additionalProperties")
        if type == "object" || properties != nil || additional != nil {
            let element: MergeSchema?
            switch additional {
            case .object(let schema)?: element = MergeSchema(.object(schema))
            case .bool(true)?: element = .untyped
            default:
                let preservesUnknown = node["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
                // An object with neither properties nor additionalProperties holds arbitrary values.
                element = properties == nil || preservesUnknown ? .untyped : nil
            }
            let isAtomic = attribute("mt", "x-kubernetes-map-type")?.stringValue == "atomic"
            return .map(MapShape(fields: properties ?? [:], element: element, isAtomic: isAtomic))
        }
        switch type {
        case "string", "integer", "number", "boolean": return .scalar
        default: return .untyped
        }
    }

    /// The shape used for `value`: the declared one, or for untyped schemas the one deduced from
    /// the value.
    func shape(for value: JSONValue?) -> Shape {
        let declared = declaredShape
        guard case .untyped = declared else { return declared }
        switch value {
        case .object?: return .map(MapShape(fields: [:], element: .untyped, isAtomic: false))
        case .array?: return .list(element: .untyped, kind: .atomic)
        default: return .scalar
        }
    }

    private var listKind: ListKind {
        switch attribute("lt", "x-kubernetes-list-type")?.stringValue {
        case "atomic": return .atomic
        case "set": return .set
        case "map":
            let keys = attribute("lmk", "x-kubernetes-list-map-keys")?.arrayValue?.compactMap(\.stringValue) ?? []
            return keys.isEmpty ? .atomic : .map(keys: keys)
        case nil:
            let strategy = attribute("ps", "x-kubernetes-patch-strategy")?.stringValue ?? ""
            guard strategy.split(separator: ",").contains("merge") else { return .atomic }
            if let key = attribute("pmk", "x-kubernetes-patch-merge-key")?.stringValue { return .map(keys: [key]) }
            return .set
        default:
            return .atomic
        }
    }
}
