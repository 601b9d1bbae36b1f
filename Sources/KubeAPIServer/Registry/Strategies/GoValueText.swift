import KubeModel

/// Go's `%#v` of the structured values upstream puts into validation errors, so a 422 names a
/// bad map or selector exactly as a real API server does (`map[string]string{"app":"web"}`).
enum GoValueText {
    static func quote(_ text: String) -> String { FieldValue.string(text).description }

    /// `map[string]string{"a":"b", "c":"d"}` (keys sorted, as fmt prints maps); nil prints as such.
    static func stringMap(_ map: [String: String]?) -> String {
        guard let map else { return "map[string]string(nil)" }
        let entries = map.keys.sorted().map { quote($0) + ":" + quote(map[$0]!) }
        return "map[string]string{" + entries.joined(separator: ", ") + "}"
    }

    /// A metav1.LabelSelector (a nil pointer prints "null", as field errors print nil pointers).
    static func labelSelector(_ selector: MetaV1.LabelSelector?) -> String {
        guard let selector else { return "null" }
        var text = "v1.LabelSelector{MatchLabels:" + stringMap(selector.matchLabels) + ", MatchExpressions:"
        if let expressions = selector.matchExpressions {
            let items = expressions.map { requirement in
                "v1.LabelSelectorRequirement{Key:\(quote(requirement.key)), Operator:\(quote(requirement.operator)), "
                    + "Values:\(FieldValue.strings(requirement.values).description)}"
            }
            text += "[]v1.LabelSelectorRequirement{" + items.joined(separator: ", ") + "}"
        } else {
            text += "[]v1.LabelSelectorRequirement(nil)"
        }
        return text + "}"
    }

    /// An intstr.IntOrString by value (its String method has a pointer receiver, so `%#v` shows
    /// the struct).
    static func intOrString(_ value: IntOrString?) -> String {
        switch value {
        case nil: return "intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}"
        case .int(let number): return "intstr.IntOrString{Type:0, IntVal:\(number), StrVal:\"\"}"
        case .string(let text): return "intstr.IntOrString{Type:1, IntVal:0, StrVal:\(quote(text))}"
        }
    }

    static func selectorValue(_ selector: MetaV1.LabelSelector?) -> FieldValue { .rendered(labelSelector(selector)) }
    static func labelsValue(_ labels: [String: String]?) -> FieldValue { .rendered(stringMap(labels)) }
    static func intOrStringValue(_ value: IntOrString?) -> FieldValue { .rendered(intOrString(value)) }

    /// Structured values too large to spell as Go does (pod templates, whole specs): their JSON.
    static func jsonValue<Value: JSONCodable>(_ value: Value?) -> FieldValue {
        guard let value else { return .null }
        return .rendered(String(decoding: JSONWriter.bytes(value.toJSON()), as: UTF8.self))
    }
}
