/// The parts of a Swagger 2.0 schema definition the generator reads, taken from the decoded
/// JSON (`[String: Any]` as Foundation's JSONSerialization returns it).
struct SchemaNode {
    let raw: [String: Any]

    var description: String? { raw["description"] as? String }
    var type: String? { raw["type"] as? String }
    var format: String? { raw["format"] as? String }
    var reference: String? {
        (raw["$ref"] as? String).map { String($0.dropFirst("#/definitions/".count)) }
    }
    var items: SchemaNode? { (raw["items"] as? [String: Any]).map(SchemaNode.init) }
    var additionalProperties: SchemaNode? { (raw["additionalProperties"] as? [String: Any]).map(SchemaNode.init) }
    var properties: [(String, SchemaNode)] {
        guard let properties = raw["properties"] as? [String: Any] else { return [] }
        return properties.keys.sorted().map { ($0, SchemaNode(raw: properties[$0] as! [String: Any])) }
    }
    var required: Set<String> { Set(raw["required"] as? [String] ?? []) }
    var groupVersionKinds: [(group: String, version: String, kind: String)] {
        let entries = raw["x-kubernetes-group-version-kind"] as? [[String: Any]] ?? []
        return entries.map { ($0["group"] as? String ?? "", $0["version"] as? String ?? "", $0["kind"] as? String ?? "") }
    }
    func string(_ key: String) -> String? { raw[key] as? String }
}
