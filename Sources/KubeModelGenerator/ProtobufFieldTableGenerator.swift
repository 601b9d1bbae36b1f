import Foundation

/// Builds `Sources/KubeModel/Generated/ProtobufFields.swift`: the table KubeModel's protobuf
/// decoder walks to turn `application/vnd.kubernetes.protobuf` bodies into JSON.
///
/// Inputs: the upstream `generated.proto` files (message, field number, field name, type, label),
/// their `zz_generated.deepcopy.go` companions (which Go fields are pointers, so a zero value that
/// was set explicitly survives) and the OpenAPI schema (JSON names, required fields, and which
/// messages are embedded inline). Only those facts reach the output; no upstream text does.
///
/// Output lines, one message after another:
///
///     @<definition name>
///     <field number> <json name> <kind> [z] [inline]
///
/// where `<kind>` is a scalar code (`s` string, `y` bytes, `b` bool, `i32`, `i64`, `u32`, `u64`,
/// `f32`, `f64`), `m:<definition name>` for a message, either prefixed with `*` when repeated, or
/// `map:<key scalar>:<value kind>`. `z` keeps a zero scalar that is present on the wire (a Go
/// pointer, a field without `omitempty` — zero default in OpenAPI v3 — or a required field);
/// `inline` merges an embedded message's fields into the parent.
public struct ProtobufFieldTableGenerator {
    public static let fileName = "ProtobufFields.swift"
    /// The `runtime.Unknown` envelope every protobuf body is wrapped in.
    static let envelope = "io.k8s.apimachinery.pkg.runtime.Unknown"

    public init() {}

    /// `sources` maps paths under the proto folder ("k8s.io/api/core/v1/generated.proto",
    /// "k8s.io/api/core/v1/zz_generated.deepcopy.go") to their text. Returns the Swift file and
    /// notes about proto fields that had no JSON counterpart (they are left out of the table).
    ///
    /// `openAPIV3` documents (optional) add one fact the Swagger 2.0 schema lacks: a scalar property
    /// whose default is its zero value is a Go field without `omitempty`, which JSON always carries.
    public func generate(swagger: Data, openAPIV3: [Data] = [], sources: [String: String]) throws -> (text: String, notes: [String]) {
        guard let root = try JSONSerialization.jsonObject(with: swagger) as? [String: Any],
            let definitions = root["definitions"] as? [String: [String: Any]]
        else { throw GeneratorError.malformedSchema }
        var zeroDefaults = Set<String>()
        for document in openAPIV3 {
            guard let root = try JSONSerialization.jsonObject(with: document) as? [String: Any],
                let schemas = (root["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]]
            else { throw GeneratorError.malformedSchema }
            for (name, schema) in schemas {
                for (property, raw) in schema["properties"] as? [String: Any] ?? [:] {
                    if let node = raw as? [String: Any], Self.isZeroDefault(node) { zeroDefaults.insert(name + "#" + property) }
                }
            }
        }

        var messages: [String: ProtoSourceParser.Message] = [:]
        var pointers = Set<String>()
        for path in sources.keys.sorted() {
            let text = sources[path]!
            if path.hasSuffix(".proto") {
                for message in try ProtoSourceParser.parseProto(text, file: path) {
                    messages[Self.definitionName(package: message.package, name: message.name)] = message
                }
            } else if path.hasSuffix("zz_generated.deepcopy.go") {
                let package = path.split(separator: "/").dropLast().joined(separator: ".")
                for (structName, field) in ProtoSourceParser.parsePointerFields(text) {
                    pointers.insert(Self.definitionName(package: package, name: structName) + "#" + field.lowercased())
                }
            }
        }

        var builder = Builder(messages: messages, definitions: definitions, pointers: pointers, zeroDefaults: zeroDefaults)
        let roots = definitions.keys.filter { GroupVersionNaming.isServed($0) && messages[$0] != nil }.sorted()
        try builder.walk(from: roots + [Self.envelope])

        var text = ModelGenerator.header
        text += """
            // Protobuf field table of the served kinds: field numbers, wire kinds and labels extracted from the
            // upstream k8s.io generated.proto files, Go pointer fields from zz_generated.deepcopy.go, JSON names
            // and required fields from the OpenAPI schema (zero defaults of ../shared/k8s-api/v3 mark fields JSON always carries).
            // Regenerate with a folder holding those upstream files (k8s.io/<path>/generated.proto and
            // zz_generated.deepcopy.go; kept out of the repository, e.g. in .build-proto/):
            //   swift run KubeModelGen ../shared/k8s-api/swagger.json Sources/KubeModel/Generated .build-proto
            // Line format: see ProtobufFieldTableGenerator (Sources/KubeModelGenerator).

            extension ProtobufFieldTable {
                static let tableText = #\"\"\"

            """
        for name in builder.emitted.keys.sorted() {
            text += "@\(name)\n"
            for line in builder.emitted[name]! { text += line + "\n" }
        }
        text += "\"\"\"#\n}\n"
        return (text, builder.notes)
    }

    /// `k8s.io.api.core.v1` + `Pod` → `io.k8s.api.core.v1.Pod` (the OpenAPI definition name).
    public static func definitionName(package: String, name: String) -> String {
        var parts = package.split(separator: ".").map(String.init)
        if parts.count >= 2, parts[0] == "k8s", parts[1] == "io" { parts.swapAt(0, 1) }
        let prefix = parts.joined(separator: ".").replacingOccurrences(of: "apiextensions_apiserver", with: "apiextensions-apiserver")
        return prefix + "." + name
    }

    /// `"default": ""`, `0` or `false` on a string, integer or boolean property.
    static func isZeroDefault(_ node: [String: Any]) -> Bool {
        guard let value = node["default"], let type = node["type"] as? String else { return false }
        switch type {
        case "string": return (value as? String) == ""
        case "integer", "number": return (value as? NSNumber).map { $0.doubleValue == 0 } ?? false
        case "boolean": return (value as? Bool) == false
        default: return false
        }
    }

    static let scalarCodes: [String: String] = [
        "string": "s", "bytes": "y", "bool": "b", "int32": "i32", "int64": "i64",
        "uint32": "u32", "uint64": "u64", "float": "f32", "double": "f64",
    ]
}

extension ProtobufFieldTableGenerator {
    /// Walks the messages reachable from the served kinds and renders each one's field lines.
    struct Builder {
        let messages: [String: ProtoSourceParser.Message]
        let definitions: [String: [String: Any]]
        let pointers: Set<String>
        /// `definition#property` of scalars whose OpenAPI v3 default is their zero value.
        let zeroDefaults: Set<String>
        var emitted: [String: [String]] = [:]
        var notes: [String] = []
        /// Properties and required fields that schema-less messages embedded inline inherit from
        /// their parent (VolumeSource in Volume, ProbeHandler in Probe…).
        var inheritedContext: [String: (properties: Set<String>, required: Set<String>)] = [:]

        mutating func walk(from roots: [String]) throws {
            var queue = roots
            var seen = Set(roots)
            while !queue.isEmpty {
                let name = queue.removeFirst()
                guard let message = messages[name] else { continue }
                let targets = render(name, message)
                for target in targets where !seen.contains(target) {
                    seen.insert(target)
                    queue.append(target)
                }
            }
        }

        /// The JSON properties and required fields a message's fields are matched against; nil
        /// for messages the schema describes as a scalar (Time, Quantity, IntOrString…) or does not
        /// know (the runtime envelope): their proto field names are used as they are.
        func context(of name: String) -> (properties: Set<String>, required: Set<String>)? {
            if let schema = definitions[name], let properties = schema["properties"] as? [String: Any] {
                return (Set(properties.keys), Set(schema["required"] as? [String] ?? []))
            }
            return inheritedContext[name]
        }

        /// Renders one message; returns the messages its kept fields refer to.
        mutating func render(_ name: String, _ message: ProtoSourceParser.Message) -> [String] {
            let context = context(of: name)
            var lines: [String] = []
            var targets: [String] = []
            for field in message.fields {
                guard let kind = kindCode(field, in: message) else {
                    notes.append("\(name).\(field.name): unsupported proto type \(field.type)")
                    continue
                }
                var jsonName = field.name
                var inline = false
                if let context {
                    if context.properties.contains(field.name) {
                        jsonName = field.name
                    } else if let match = uniqueCaseInsensitiveMatch(field.name, in: context.properties) {
                        jsonName = match
                    } else if field.label == .optional, let target = messageTarget(field, in: message),
                        isInline(target, within: context.properties)
                    {
                        inline = true
                        if definitions[target]?["properties"] == nil {
                            let inherited = inheritedContext[target] ?? ([], [])
                            inheritedContext[target] = (inherited.properties.union(context.properties), inherited.required.union(context.required))
                        }
                    } else {
                        notes.append("\(name).\(field.name) (\(field.number)): no JSON property; left out")
                        continue
                    }
                }
                var line = "\(field.number) \(jsonName) \(kind)"
                let isScalar = Self.scalarCode(field.type) != nil
                if isScalar, field.label == .optional, let context,
                    pointers.contains(name + "#" + field.name.lowercased()) || pointers.contains(name + "#" + jsonName.lowercased())
                        || context.required.contains(jsonName) || zeroDefaults.contains(name + "#" + jsonName)
                {
                    line += " z"
                }
                if inline { line += " inline" }
                lines.append(line)
                if let target = messageTarget(field, in: message) { targets.append(target) }
            }
            emitted[name] = lines
            return targets
        }

        func uniqueCaseInsensitiveMatch(_ name: String, in properties: Set<String>) -> String? {
            let matches = properties.filter { $0.lowercased() == name.lowercased() }
            return matches.count == 1 ? matches.first : nil
        }

        /// An embedded struct (`json:",inline"`): its fields, not the struct, appear in the parent.
        func isInline(_ target: String, within properties: Set<String>) -> Bool {
            guard let child = messages[target] else { return false }
            let matched = child.fields.filter { field in
                properties.contains(field.name) || uniqueCaseInsensitiveMatch(field.name, in: properties) != nil
            }
            guard !matched.isEmpty else { return false }
            return definitions[target]?["properties"] == nil || matched.count == child.fields.count
        }

        static func scalarCode(_ type: String) -> String? { ProtobufFieldTableGenerator.scalarCodes[type] }

        /// The definition name a message-typed field (or a map's message value) refers to.
        func messageTarget(_ field: ProtoSourceParser.Field, in message: ProtoSourceParser.Message) -> String? {
            guard Self.scalarCode(field.type) == nil else { return nil }
            return resolve(field.type, in: message)
        }

        func resolve(_ type: String, in message: ProtoSourceParser.Message) -> String {
            let trimmed = type.hasPrefix(".") ? String(type.dropFirst()) : type
            guard let dot = trimmed.lastIndex(of: ".") else {
                return ProtobufFieldTableGenerator.definitionName(package: message.package, name: trimmed)
            }
            return ProtobufFieldTableGenerator.definitionName(package: String(trimmed[..<dot]), name: String(trimmed[trimmed.index(after: dot)...]))
        }

        func kindCode(_ field: ProtoSourceParser.Field, in message: ProtoSourceParser.Message) -> String? {
            let value = Self.scalarCode(field.type) ?? "m:" + resolve(field.type, in: message)
            switch field.label {
            case .optional: return value
            case .repeated: return "*" + value
            case .map(let key):
                guard let keyCode = Self.scalarCode(key) else { return nil }
                return "map:\(keyCode):\(value)"
            }
        }
    }
}
