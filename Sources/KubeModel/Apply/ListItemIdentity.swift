/// The path element that names a list item: its key fields in a map list, its value in a set,
/// its position in an atomic list.
enum ListItemIdentity {
    static func element(
        of item: JSONValue, at index: Int, kind: MergeSchema.ListKind, itemSchema: MergeSchema, listPath: FieldSetPath
    ) throws(StructuredValueError) -> FieldSetPathElement {
        func failure(_ message: String) -> StructuredValueError {
            StructuredValueError("element \(index): " + message, at: listPath)
        }
        switch kind {
        case .atomic:
            return .index(index)
        case .set:
            switch item {
            case .object: throw failure("associative list without keys has an element that's a map type")
            case .array: throw failure("associative list without keys has an element that's a list type")
            default: return .value(item)
            }
        case .map(let keys):
            guard case .object(let fields) = item else {
                throw failure(item.isNull
                    ? "associative list with keys may not have a null element"
                    : "associative list with keys may not have non-map elements")
            }
            var keyFields: [FieldSetPathElement.KeyField] = []
            for name in keys {
                guard let value = fields[name] ?? defaultValue(ofKey: name, in: itemSchema) else {
                    throw failure("associative list with keys has an element that omits key field "
                        + "\(GoText.quoted(name)) (and doesn't have default value)")
                }
                keyFields.append(.init(name: name, value: value))
            }
            return .key(keyFields)
        }
    }

    /// Whether `element(of:…)` names `item` without failing, told without building the element.
    static func isIdentifiable(_ item: JSONValue, kind: MergeSchema.ListKind, itemSchema: MergeSchema) -> Bool {
        switch kind {
        case .atomic:
            return true
        case .set:
            switch item {
            case .object, .array: return false
            default: return true
            }
        case .map(let keys):
            guard case .object(let fields) = item else { return false }
            for name in keys where fields[name] == nil && defaultValue(ofKey: name, in: itemSchema) == nil { return false }
            return true
        }
    }

    /// Each item of a list paired with the element naming it, in list order.
    static func identify(
        _ items: [JSONValue], kind: MergeSchema.ListKind, itemSchema: MergeSchema, listPath: FieldSetPath
    ) throws(StructuredValueError) -> [(element: FieldSetPathElement, item: JSONValue)] {
        var result: [(element: FieldSetPathElement, item: JSONValue)] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            result.append((try element(of: item, at: index, kind: kind, itemSchema: itemSchema, listPath: listPath), item))
        }
        return result
    }

    /// The value a missing key field takes. Upstream reads it from the OpenAPI v3 schema, where
    /// every built-in key field has one; the catalog comes from v2, which omits them, so for
    /// catalog schemas the v3 values are restored here: "TCP" for `protocol`, zero values otherwise.
    private static func defaultValue(ofKey name: String, in itemSchema: MergeSchema) -> JSONValue? {
        guard case .map(let shape) = itemSchema.declaredShape, let field = shape.rawFields[name] else { return nil }
        if let declared = field["def"] ?? field["default"] { return declared }
        guard let type = field["t"]?.stringValue else { return nil }
        switch type {
        case "string": return name == "protocol" ? "TCP" : ""
        case "integer": return 0
        default: return nil
        }
    }
}

/// An object that does not fit its schema where structured merge needs it to (a map-list item
/// without its key, a duplicate key in an applied configuration…), with the path where it happened.
public struct StructuredValueError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: FieldSetPath
    public var message: String

    public init(_ message: String, at path: FieldSetPath = []) {
        self.message = message
        self.path = path
    }

    /// Upstream's form: `.spec.containers: element 0: …`.
    public var description: String { path.elements.isEmpty ? message : "\(path): \(message)" }
}
