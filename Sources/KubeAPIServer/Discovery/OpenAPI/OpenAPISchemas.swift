import KubeModel

/// Turns the catalog's compact definitions into OpenAPI v3 component schemas shaped as
/// upstream's kube-openapi publishes them: references point into `#/components/schemas/`,
/// a reference with anything beside it (description, default) is wrapped in `allOf`, and the
/// short keys become the spelled-out `x-kubernetes-*` extensions.
struct OpenAPISchemas: Sendable {
    let definitions: [String: JSONValue]
    /// Every definition converted once: documents share most of them (ObjectMeta, PodSpec…).
    private var components: [String: JSONValue] = [:]

    init(definitions: [String: JSONValue] = SchemaCatalog.definitions) {
        self.definitions = definitions
        for name in definitions.keys { components[name] = convertDefinition(name) }
    }

    static let referencePrefix = "#/components/schemas/"

    static func reference(_ name: String) -> JSONValue {
        ["$ref": .string(referencePrefix + name)]
    }

    /// Types that marshal as one of several JSON types; kube-openapi publishes them in v3 as
    /// `oneOf` without a `type` (v2 could only say "string").
    static let oneOfTypes: [String: [JSONValue]] = [
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString": [["type": "integer"], ["type": "string"]],
        "io.k8s.apimachinery.pkg.api.resource.Quantity": [["type": "string"], ["type": "number"]],
    ]

    /// Catalog short keys that map one-to-one onto an OpenAPI key.
    private static let renamedKeys: [(short: String, long: String)] = [
        ("enum", "enum"),
        ("pmk", "x-kubernetes-patch-merge-key"),
        ("ps", "x-kubernetes-patch-strategy"),
        ("lt", "x-kubernetes-list-type"),
        ("lmk", "x-kubernetes-list-map-keys"),
        ("mt", "x-kubernetes-map-type"),
        ("unions", "x-kubernetes-unions"),
    ]

    /// Every definition reachable from `roots` through references, roots included, sorted.
    func closure(of roots: some Sequence<String>) -> [String] {
        var seen = Set<String>()
        var pending = roots.filter { definitions[$0] != nil }
        while let name = pending.popLast() {
            guard seen.insert(name).inserted, let schema = definitions[name] else { continue }
            Self.collectReferences(in: schema) { if definitions[$0] != nil, !seen.contains($0) { pending.append($0) } }
        }
        return seen.sorted()
    }

    private static func collectReferences(in schema: JSONValue, _ found: (String) -> Void) {
        guard let object = schema.objectValue else { return }
        if let reference = object["ref"]?.stringValue { found(reference) }
        if let items = object["items"] { collectReferences(in: items, found) }
        if let additional = object["addl"] { collectReferences(in: additional, found) }
        for (_, property) in object["p"]?.objectValue ?? [:] { collectReferences(in: property, found) }
    }

    /// The component schema of one definition, nil when the catalog lacks it.
    func component(_ name: String) -> JSONValue? { components[name] }

    private func convertDefinition(_ name: String) -> JSONValue? {
        guard let compact = definitions[name]?.objectValue else { return nil }
        var schema = convert(compact, inferredDefault: nil)
        if let types = Self.oneOfTypes[name] {
            schema["type"] = nil
            schema["oneOf"] = .array(types)
        }
        if let kinds = compact["gvk"]?.arrayValue {
            schema["x-kubernetes-group-version-kind"] = .array(kinds.compactMap { entry in
                guard let parts = entry.arrayValue?.compactMap(\.stringValue), parts.count == 3 else { return nil }
                return ["group": .string(parts[0]), "kind": .string(parts[2]), "version": .string(parts[1])]
            })
        }
        return .object(schema)
    }

    private func convert(_ compact: JSONObject, inferredDefault: JSONValue?) -> JSONObject {
        var schema = JSONObject()
        if let defaultValue = compact["def"] ?? inferredDefault { schema["default"] = defaultValue }
        if let description = compact["d"] { schema["description"] = description }
        if let type = compact["t"] { schema["type"] = type }
        if let format = compact["f"] { schema["format"] = format }
        if let items = compact["items"]?.objectValue {
            schema["items"] = .object(convert(items, inferredDefault: zeroValue(of: items)))
        }
        if let additional = compact["addl"]?.objectValue {
            // Go map values are never pointers, so string values default to ""; kube-openapi
            // leaves struct and byte-slice values (Quantity, binaryData) without one.
            let zero: JSONValue? = additional["t"]?.stringValue == "string" && additional["f"] == nil ? "" : nil
            schema["additionalProperties"] = .object(convert(additional, inferredDefault: zero))
        }
        if let properties = compact["p"]?.objectValue {
            let required = Set(compact["req"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            let objectLike = Self.hasObjectMetadata(properties)
            var converted = JSONObject()
            for (name, property) in properties {
                guard let property = property.objectValue else { continue }
                converted[name] = .object(convert(property, inferredDefault: propertyDefault(
                    property, required: required.contains(name),
                    alwaysPresent: objectLike && Self.objectSections.contains(name))))
            }
            schema["properties"] = .object(converted)
        }
        if let required = compact["req"] { schema["required"] = required }
        for (short, long) in Self.renamedKeys {
            if let value = compact[short] { schema[long] = value }
        }
        guard let reference = compact["ref"]?.stringValue else { return schema }
        if schema.isEmpty { return ["$ref": .string(Self.referencePrefix + reference)] }
        // OpenAPI 3.0 ignores siblings of `$ref`, hence upstream's single-entry `allOf`.
        var wrapped: JSONObject = ["allOf": [Self.reference(reference)]]
        wrapped.merge(schema) { _, new in new }
        return wrapped
    }

    /// The catalog derives from the v2 schema, which has no defaults; kube-openapi's v3 puts
    /// the Go zero value on fields that are always serialized. We infer those: required
    /// scalars and structs, and the metadata/spec/status structs of object kinds.
    private static let objectSections: Set<String> = ["metadata", "spec", "status"]

    private static func hasObjectMetadata(_ properties: JSONObject) -> Bool {
        switch properties["metadata"]?["ref"]?.stringValue {
        case "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta": return true
        default: return false
        }
    }

    private func propertyDefault(_ property: JSONObject, required: Bool, alwaysPresent: Bool) -> JSONValue? {
        if required { return zeroValue(of: property) }
        if alwaysPresent, property["ref"] != nil { return zeroValue(of: property) }
        return nil
    }

    /// Go's zero value for a schema: "" for strings, 0 for numbers, false for booleans and {}
    /// for structs; nil when there is none to publish (arrays, maps, and opaque objects such
    /// as RawExtension, which kube-openapi leaves without a default).
    private func zeroValue(of schema: JSONObject) -> JSONValue? {
        if let reference = schema["ref"]?.stringValue {
            return definitions[reference]?["t"]?.stringValue == "object" && definitions[reference]?["p"] != nil ? [:] : nil
        }
        switch schema["t"]?.stringValue {
        case "string": return ""
        case "integer", "number": return 0
        case "boolean": return false
        default: return nil
        }
    }
}
