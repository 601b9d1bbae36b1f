/// The part of an OpenAPI schema that structured merge reads, one level at a time, with the
/// rules upstream's schema conversion applies: list types from `x-kubernetes-list-type`, or from
/// the strategic-merge patch strategy when absent (merge with a key is a map list, merge without
/// one a set), otherwise atomic; objects are granular unless `x-kubernetes-map-type: atomic`;
/// anything without a type is "deduced" from the value it meets.
///
/// Reads the catalog's compact keys (`t`, `p`, `addl`, `lt`…) and, for schemas that come from
/// custom resources, the full OpenAPI names.
///
/// A schema is compiled once into a graph of shapes: every walk over an object visits each node's
/// schema, so reading the JSON schema there (and resolving references by name) would be paid per
/// value. The catalog's definitions are compiled together on first use and refer to each other by
/// position, which keeps recursive definitions finite and the graph immutable.
struct MergeSchema: Sendable {
    enum ListKind: Sendable, Equatable {
        case atomic
        case set
        case map(keys: [String])
    }

    enum Shape: Sendable {
        case scalar
        case list(element: MergeSchema, kind: ListKind)
        case map(MapShape)
        /// No type: shaped by the value (objects granular, lists atomic, the rest scalar).
        case untyped
    }

    /// A class so taking a shape out of its node costs one retain.
    final class MapShape: Sendable {
        /// Declared fields (a struct), compiled; empty for plain maps.
        let fields: [String: MergeSchema]
        /// The same fields as the schema writes them (for key defaults).
        let rawFields: JSONObject
        /// Schema of entries that are not declared fields; nil when undeclared names are unknown.
        let element: MergeSchema?
        let isAtomic: Bool

        init(fields: [String: MergeSchema], rawFields: JSONObject, element: MergeSchema?, isAtomic: Bool) {
            self.fields = fields
            self.rawFields = rawFields
            self.element = element
            self.isAtomic = isAtomic
        }

        func schema(forField name: String) -> MergeSchema {
            fields[name] ?? element ?? .untyped
        }

        func declares(_ name: String) -> Bool { fields[name] != nil }
    }

    private enum Reference: Sendable {
        case node(SchemaNode)
        /// A catalog definition, by its position in `SchemaGraph.catalog`.
        case definition(Int)
    }

    private let reference: Reference

    private init(_ reference: Reference) { self.reference = reference }

    init(_ schema: JSONValue) {
        if let index = SchemaGraph.catalogIndex(ofDefinition: schema) {
            reference = .definition(index)
        } else {
            self = SchemaGraph.resolved(schema, definitions: SchemaGraph.catalog.indexByName)
        }
    }

    fileprivate static func node(_ node: SchemaNode) -> MergeSchema { MergeSchema(.node(node)) }
    fileprivate static func definition(_ index: Int) -> MergeSchema { MergeSchema(.definition(index)) }

    /// Built directly: it must not touch the catalog, which is compiled with it.
    static let untyped = MergeSchema(.node(SchemaNode(shape: .untyped)))

    private static let deducedMap = Shape.map(MapShape(fields: [:], rawFields: [:], element: .untyped, isAtomic: false))
    private static let deducedList = Shape.list(element: .untyped, kind: .atomic)

    /// The shape the schema declares, before looking at any value.
    var declaredShape: Shape {
        switch reference {
        case .node(let node): return node.shape
        case .definition(let index): return SchemaGraph.catalog.nodes[index].shape
        }
    }

    /// The shape used for `value`: the declared one, or for untyped schemas the one deduced from
    /// the value.
    func shape(for value: JSONValue?) -> Shape {
        let declared = declaredShape
        guard case .untyped = declared else { return declared }
        switch value {
        case .object?: return Self.deducedMap
        case .array?: return Self.deducedList
        default: return .scalar
        }
    }
}

/// One compiled schema node; immutable.
final class SchemaNode: Sendable {
    let shape: MergeSchema.Shape

    init(shape: MergeSchema.Shape) { self.shape = shape }
}

enum SchemaGraph {
    struct Catalog: Sendable {
        let indexByName: [String: Int]
        let nodes: [SchemaNode]
        /// Each definition as the catalog holds it, to recognize one passed in whole.
        let definitions: [JSONValue]
    }

    /// Every catalog definition compiled, on first use.
    static let catalog: Catalog = {
        let names = Array(SchemaCatalog.definitions.keys)
        var indexByName: [String: Int] = [:]
        indexByName.reserveCapacity(names.count)
        for (index, name) in names.enumerated() { indexByName[name] = index }
        let definitions = names.map { SchemaCatalog.definitions[$0]! }
        // A reference names a definition, which is used as written (not resolved again).
        let nodes = definitions.map { compile($0, definitions: indexByName) }
        return Catalog(indexByName: indexByName, nodes: nodes, definitions: definitions)
    }()

    /// The catalog position of `schema` when it is a catalog definition passed in whole (as the
    /// API server passes a kind's schema), so it is not compiled again on every call. The check
    /// is cheap for the catalog's own value: equal storage compares in constant time.
    static func catalogIndex(ofDefinition schema: JSONValue) -> Int? {
        guard case .object(let object) = schema, object["ref"] == nil, object["$ref"] == nil, object["allOf"] == nil,
            let parts = object["gvk"]?.arrayValue?.first?.arrayValue, parts.count == 3,
            let group = parts[0].stringValue, let version = parts[1].stringValue, let kind = parts[2].stringValue,
            let name = SchemaCatalog.definitionNameByKind[GroupVersionKind(group: group, version: version, kind: kind)]
        else { return nil }
        let catalog = catalog
        guard let index = catalog.indexByName[name], catalog.definitions[index] == schema else { return nil }
        return index
    }

    /// `schema` with references followed: a catalog reference (`ref`, or `$ref` by its last
    /// component), or the one-element `allOf` OpenAPI v3 wraps a reference with a default in.
    static func resolved(_ schema: JSONValue, definitions: [String: Int]) -> MergeSchema {
        if let name = schema["ref"]?.stringValue, let index = definitions[name] { return .definition(index) }
        if let reference = schema["$ref"]?.stringValue {
            let name = reference.split(separator: "/").last.map(String.init) ?? reference
            if let index = definitions[name] { return .definition(index) }
            return .node(compile(schema, definitions: definitions))
        }
        if let allOf = schema["allOf"]?.arrayValue, allOf.count == 1, schema["properties"] == nil {
            return resolved(allOf[0], definitions: definitions)
        }
        return .node(compile(schema, definitions: definitions))
    }

    /// The declared shape of a resolved schema node, its subschemas compiled with it.
    private static func compile(_ node: JSONValue, definitions: [String: Int]) -> SchemaNode {
        func attribute(_ compact: String, _ full: String) -> JSONValue? {
            node[compact] ?? node[full]
        }
        func resolved(_ schema: JSONValue) -> MergeSchema {
            SchemaGraph.resolved(schema, definitions: definitions)
        }
        let type = attribute("t", "type")?.stringValue
        if type == "array" || attribute("items", "items") != nil {
            let element = attribute("items", "items").map(resolved) ?? .untyped
            return SchemaNode(shape: .list(element: element, kind: listKind(node)))
        }
        if node["x-kubernetes-int-or-string"]?.boolValue == true { return SchemaNode(shape: .scalar) }
        let properties = attribute("p", "properties")?.objectValue
        let additional = attribute("addl", "additionalProperties")
        if type == "object" || properties != nil || additional != nil {
            let element: MergeSchema?
            switch additional {
            case .object(let schema)?: element = resolved(.object(schema))
            case .bool(true)?: element = .untyped
            default:
                let preservesUnknown = node["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
                // An object with neither properties nor additionalProperties holds arbitrary values.
                element = properties == nil || preservesUnknown ? .untyped : nil
            }
            let isAtomic = attribute("mt", "x-kubernetes-map-type")?.stringValue == "atomic"
            var fields: [String: MergeSchema] = [:]
            fields.reserveCapacity(properties?.count ?? 0)
            for (name, field) in properties ?? [:] { fields[name] = resolved(field) }
            return SchemaNode(shape: .map(MergeSchema.MapShape(
                fields: fields, rawFields: properties ?? [:], element: element, isAtomic: isAtomic)))
        }
        switch type {
        case "string", "integer", "number", "boolean": return SchemaNode(shape: .scalar)
        default: return SchemaNode(shape: .untyped)
        }
    }

    private static func listKind(_ node: JSONValue) -> MergeSchema.ListKind {
        func attribute(_ compact: String, _ full: String) -> JSONValue? {
            node[compact] ?? node[full]
        }
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
