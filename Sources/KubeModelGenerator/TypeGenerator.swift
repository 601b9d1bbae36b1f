/// Writes one Swift struct with its `JSONCodable` conformance per schema definition.
struct TypeGenerator {
    let definitions: [String: SchemaNode]

    struct Property {
        let jsonName: String
        let swiftName: String
        let swiftType: String
        /// Non-optional properties have a zero default and are always written.
        let isOptional: Bool
        let defaultValue: String
        let summary: String?
    }

    /// The Swift type for a property schema; nil when the schema references something unserved.
    func swiftType(of node: SchemaNode) -> String {
        if let reference = node.reference {
            guard let name = GroupVersionNaming.swiftTypeName(of: reference) else {
                fatalError("reference to unserved definition \(reference)")
            }
            return name
        }
        switch node.type {
        case "string":
            switch node.format {
            case "byte": return "Data"
            case "int-or-string": return "IntOrString"
            case "date-time": return "Time"
            default: return "String"
            }
        case "integer": return "Int"
        case "number": return "Double"
        case "boolean": return "Bool"
        case "array": return "[\(node.items.map(swiftType) ?? "JSONValue")]"
        case "object":
            if let values = node.additionalProperties { return "[String: \(swiftType(of: values))]" }
            return "JSONValue"
        default: return "JSONValue"
        }
    }

    func isGeneratedStruct(_ swiftType: String) -> Bool {
        swiftType.contains(".") && !swiftType.hasPrefix("[")
    }

    /// Zero value for types that have one; nil keeps the property optional.
    func zeroValue(for swiftType: String) -> String? {
        switch swiftType {
        case "String": return "\"\""
        case "Int", "Double": return "0"
        case "Bool": return "false"
        default:
            if swiftType.hasPrefix("[String:") { return "[:]" }
            if swiftType.hasPrefix("[") { return "[]" }
            if isGeneratedStruct(swiftType) { return ".init()" }
            return nil
        }
    }

    func properties(of definition: SchemaNode) -> [Property] {
        let isKind = !definition.groupVersionKinds.isEmpty
        let required = definition.required
        var result: [Property] = []
        for (name, node) in definition.properties {
            let type = swiftType(of: node)
            let alwaysPresent =
                (name == "metadata" && (type == "MetaV1.ObjectMeta" || type == "MetaV1.ListMeta"))
                || (isKind && (name == "spec" || name == "status") && isGeneratedStruct(type))
                || required.contains(name)
            let zero = alwaysPresent ? zeroValue(for: type) : nil
            result.append(Property(
                jsonName: name, swiftName: SwiftSyntax.identifier(name), swiftType: type,
                isOptional: zero == nil, defaultValue: zero ?? "nil",
                summary: SwiftSyntax.summary(node.description)))
        }
        // apiVersion, kind, metadata, spec first and status last, as upstream prints objects.
        let leading = ["apiVersion", "kind", "metadata", "spec"]
        return result.sorted { lhs, rhs in
            func rank(_ p: Property) -> Int {
                if let index = leading.firstIndex(of: p.jsonName) { return index }
                return p.jsonName == "status" ? 100 : 50
            }
            return (rank(lhs), lhs.jsonName) < (rank(rhs), rhs.jsonName)
        }
    }

    func generate(definitionName: String) -> String {
        let definition = definitions[definitionName]!
        let typeName = String(GroupVersionNaming.swiftTypeName(of: definitionName)!.split(separator: ".").last!)
        let properties = properties(of: definition)
        var out = ""
        if let summary = SwiftSyntax.summary(definition.description) { out += "    /// \(summary)\n" }
        out += "    public struct \(typeName): Sendable, Equatable {\n"
        for property in properties {
            if let summary = property.summary { out += "        /// \(summary)\n" }
            out += "        public var \(property.swiftName): \(property.swiftType)\(property.isOptional ? "?" : "")\n"
        }
        out += "\n        public init("
        out += properties.map { "\n            \($0.swiftName): \($0.swiftType)\($0.isOptional ? "?" : "") = \($0.defaultValue)" }
            .joined(separator: ",")
        out += properties.isEmpty ? ") {}\n" : "\n        ) {\n"
        if !properties.isEmpty {
            for property in properties {
                let bare = property.swiftName.replacingOccurrences(of: "`", with: "")
                out += "            self.\(bare) = \(property.swiftName)\n"
            }
            out += "        }\n"
            // An explicit empty initializer, so generic code can require `init()`.
            out += "\n        public init() {\n            self.init(\(properties[0].swiftName.replacingOccurrences(of: "`", with: "")): \(properties[0].defaultValue))\n        }\n"
        }
        out += "    }\n"
        return out
    }

    func generateCodable(definitionName: String) -> String {
        let definition = definitions[definitionName]!
        let fullName = GroupVersionNaming.swiftTypeName(of: definitionName)!
        let typeName = String(fullName.split(separator: ".").last!)
        let properties = properties(of: definition)
        var out = "extension \(fullName): JSONCodable {\n"
        out += "    public init(json: JSONValue, context: JSONDecodingContext) throws {\n"
        out += "        let members = try context.object(json, typeName: \(SwiftSyntax.stringLiteral(typeName)))\n"
        out += "        self.init()\n"
        out += decodeLoop(properties)
        out += "    public init(reader: inout JSONReader, context: JSONDecodingContext) throws {\n"
        out += "        try context.enterObject(&reader, typeName: \(SwiftSyntax.stringLiteral(typeName)))\n"
        out += "        self.init()\n"
        out += readerDecodeLoop(properties)
        out += "    public func toJSON() -> JSONValue {\n"
        out += "        var members = JSONObject()\n"
        out += "        members.reserveCapacity(\(properties.count))\n"
        for property in properties {
            let bare = property.swiftName.replacingOccurrences(of: "`", with: "")
            let method = property.isOptional ? "encode" : "encodeRequired"
            out += "        members.\(method)(\(SwiftSyntax.stringLiteral(property.jsonName)), self.\(bare))\n"
        }
        out += "        return .object(members)\n    }\n}\n"

        // Kinds the API serves get their group/version/kind, so generic code can address them.
        let gvks = definition.groupVersionKinds
        if gvks.count == 1, let gvk = gvks.first {
            let names = Set(properties.map(\.jsonName))
            let gvkLiteral = "GroupVersionKind(group: \(SwiftSyntax.stringLiteral(gvk.group)), version: \(SwiftSyntax.stringLiteral(gvk.version)), kind: \(SwiftSyntax.stringLiteral(gvk.kind)))"
            if isKubeObject(definitionName) {
                out += "\nextension \(fullName): KubeObject {\n"
                out += "    public static let groupVersionKind = \(gvkLiteral)\n}\n"
            } else if names.contains("items"),
                let items = properties.first(where: { $0.jsonName == "items" }),
                properties.contains(where: { $0.jsonName == "metadata" && $0.swiftType == "MetaV1.ListMeta" })
            {
                let element = String(items.swiftType.dropFirst().dropLast())
                out += "\nextension \(fullName): KubeObjectList {\n"
                out += "    public typealias Item = \(element)\n"
                out += "    public static let groupVersionKind = \(gvkLiteral)\n}\n"
            } else {
                out += "\nextension \(fullName): KubeTyped {\n"
                out += "    public static let groupVersionKind = \(gvkLiteral)\n}\n"
            }
        }
        return out
    }

    /// The body of `init(json:context:)` after the members are read: one pass over the input
    /// keys, so unknown keys are found without a second walk.
    func decodeLoop(_ properties: [Property]) -> String {
        guard !properties.isEmpty else {
            return "        for key in members.keys { context.unknownField(key) }\n    }\n\n"
        }
        var out = "        for (key, value) in members {\n"
        out += "            switch key {\n"
        for property in properties {
            let bare = property.swiftName.replacingOccurrences(of: "`", with: "")
            out += "            case \(SwiftSyntax.stringLiteral(property.jsonName)): "
            if property.isOptional {
                out += "self.\(bare) = try context.decode(value, at: key)\n"
            } else {
                out += "if !value.isNull { self.\(bare) = try context.decode(value, at: key) }\n"
            }
        }
        out += "            default: context.unknownField(key)\n"
        out += "            }\n        }\n    }\n\n"
        return out
    }

    /// The body of `init(reader:context:)` after the object is entered: the same cases as
    /// `decodeLoop`, reading each value from the text.
    func readerDecodeLoop(_ properties: [Property]) -> String {
        var out = "        while let key = try reader.nextKey() {\n"
        guard !properties.isEmpty else {
            return out + "            try context.skipUnknownField(&reader, key: key)\n        }\n    }\n\n"
        }
        out += "            switch key {\n"
        for property in properties {
            let bare = property.swiftName.replacingOccurrences(of: "`", with: "")
            out += "            case \(SwiftSyntax.stringLiteral(property.jsonName)): "
            if property.isOptional {
                out += "self.\(bare) = try context.decode(&reader, at: key)\n"
            } else {
                out += "if try !reader.consumeNull() { self.\(bare) = try context.decode(&reader, at: key) }\n"
            }
        }
        out += "            default: try context.skipUnknownField(&reader, key: key)\n"
        out += "            }\n        }\n    }\n\n"
        return out
    }

    /// Definitions with one group/version/kind and ObjectMeta: the top-level API objects.
    func isKubeObject(_ definitionName: String) -> Bool {
        let definition = definitions[definitionName]!
        return definition.groupVersionKinds.count == 1
            && properties(of: definition).contains { $0.jsonName == "metadata" && $0.swiftType == "MetaV1.ObjectMeta" }
    }
}
