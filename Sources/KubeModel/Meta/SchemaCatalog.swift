/// The schemas of every served definition, read once from the generated catalog text.
/// Keys are upstream definition names ("io.k8s.api.core.v1.Pod"); values use the catalog's
/// short keys (d description, t type, f format, ref, items, addl additionalProperties,
/// p properties, req required, gvk, pmk patch merge key, ps patch strategy, lt list type,
/// lmk list map keys, mt map type, unions, enum, def default).
public enum SchemaCatalog {
    public static let definitions: [String: JSONValue] = {
        var result: [String: JSONValue] = [:]
        for text in Self.allCatalogTexts {
            guard case .object(let object)? = try? JSONParser.parse(text) else {
                preconditionFailure("generated schema catalog is not valid JSON")
            }
            for (name, schema) in object { result[name] = schema }
        }
        return result
    }()

    /// Definition name of each group/version/kind.
    public static let definitionNameByKind: [GroupVersionKind: String] = {
        var result: [GroupVersionKind: String] = [:]
        for (name, schema) in definitions {
            for entry in schema["gvk"]?.arrayValue ?? [] {
                guard let parts = entry.arrayValue?.compactMap(\.stringValue), parts.count == 3 else { continue }
                let gvk = GroupVersionKind(group: parts[0], version: parts[1], kind: parts[2])
                // Meta kinds (Status, DeleteOptions…) carry many gvks; the first definition wins.
                if result[gvk] == nil { result[gvk] = name }
            }
        }
        return result
    }()

    /// The definition a property schema points at (following `ref`, `items`, `addl`).
    public static func resolve(_ schema: JSONValue) -> JSONValue {
        if let reference = schema["ref"]?.stringValue, let target = definitions[reference] { return target }
        return schema
    }
}
