import Foundation

/// Writes the schema of every served definition in Skiff's compact catalog form (short keys,
/// one definition per line). At run time `SchemaCatalog` reads it to serve OpenAPI v3, drive
/// strategic merge patch and server-side apply, and answer `kubectl explain`.
struct SchemaCatalogGenerator {
    /// Schema keys and the short names the catalog uses for them.
    static let keyNames: [String: String] = [
        "description": "d", "type": "t", "format": "f", "$ref": "ref", "items": "items",
        "additionalProperties": "addl", "properties": "p", "required": "req",
        "x-kubernetes-group-version-kind": "gvk", "x-kubernetes-patch-merge-key": "pmk",
        "x-kubernetes-patch-strategy": "ps", "x-kubernetes-list-type": "lt",
        "x-kubernetes-list-map-keys": "lmk", "x-kubernetes-map-type": "mt", "x-kubernetes-unions": "unions",
        "enum": "enum", "default": "def",
    ]

    static func compact(_ node: Any) -> Any {
        guard let object = node as? [String: Any] else { return node }
        var result: [String: Any] = [:]
        for (key, value) in object {
            guard let short = keyNames[key] else { fatalError("schema key \(key) has no catalog name") }
            switch key {
            case "$ref": result[short] = String((value as! String).dropFirst("#/definitions/".count))
            case "properties":
                result[short] = (value as! [String: Any]).mapValues(compact)
            case "items", "additionalProperties": result[short] = compact(value)
            case "x-kubernetes-group-version-kind":
                result[short] = (value as! [[String: Any]]).map { [$0["group"] ?? "", $0["version"] ?? "", $0["kind"] ?? ""] }
            default: result[short] = value
            }
        }
        return result
    }

    /// One Swift file per namespace holding that namespace's definitions.
    func generate(definitions: [String: [String: Any]], names: [String], namespace: String) -> String {
        var lines: [String] = []
        for name in names {
            let data = try! JSONSerialization.data(
                withJSONObject: [name: Self.compact(definitions[name]!)], options: [.sortedKeys, .withoutEscapingSlashes])
            var line = String(decoding: data, as: UTF8.self)
            line.removeFirst()
            line.removeLast()
            lines.append(line)
        }
        let body = "{\n" + lines.joined(separator: ",\n") + "\n}"
        precondition(!body.contains("\"\"\"#"), "catalog text cannot hold the raw string terminator")
        return """
            extension SchemaCatalog {
                /// Schemas of the \(namespace.isEmpty ? "shared" : namespace) definitions.
                static let \(Self.propertyName(namespace)) = #\"\"\"
            \(body)
            \"\"\"#
            }

            """
    }

    static func propertyName(_ namespace: String) -> String {
        namespace.isEmpty ? "sharedSchemas" : namespace.prefix(1).lowercased() + namespace.dropFirst() + "Schemas"
    }
}
