import Foundation
import KubeModel
import Yams

/// YAML documents to and from `JSONValue`, the way Kubernetes tooling converts them: mapping
/// order is kept, scalars resolve to bool/int/float/null, and timestamps stay strings.
public enum YAMLConversion {
    public struct Error: Swift.Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    private static let resolver = Resolver.default.removing(.timestamp).removing(.value)

    /// Every document of a multi-document YAML stream; empty documents are skipped.
    public static func documents(_ text: String) throws -> [JSONValue] {
        do {
            var result: [JSONValue] = []
            for node in try compose_all(yaml: text, resolver) {
                result.append(try json(node))
            }
            return result
        } catch let error as Error {
            throw error
        } catch {
            throw Error(description: "error converting YAML to JSON: \(error)")
        }
    }

    /// A single document (the first of the stream); an empty stream is `null`.
    public static func document(_ text: String) throws -> JSONValue {
        try documents(text).first ?? .null
    }

    static func json(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int:
                if let value = Int64(scalar.string.replacingOccurrences(of: "_", with: "")) { return .int(value) }
                if let value = node.int { return .int(Int64(value)) }
                return .string(scalar.string)
            case .float:
                return node.float.map(JSONValue.double) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw Error(description: "error converting YAML to JSON: mapping keys must be scalars")
                }
                object[keyScalar.string] = try json(value)
            }
            return .object(object)
        case .sequence(let sequence):
            return .array(try sequence.map(json))
        case .alias:
            throw Error(description: "error converting YAML to JSON: aliases are not supported")
        }
    }

    /// Renders JSON as block-style YAML (kubeconfig files, `-o yaml`).
    public static func yaml(_ value: JSONValue) -> String {
        var out = ""
        emit(value, indent: 0, into: &out, inSequence: false)
        return out
    }

    private static func emit(_ value: JSONValue, indent: Int, into out: inout String, inSequence: Bool) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let members) where !members.isEmpty:
            var first = true
            for (key, member) in members {
                let prefix = (inSequence && first) ? "" : pad
                first = false
                out += prefix + scalarText(key) + ":"
                emitChild(member, indent: indent, into: &out)
            }
        case .array(let elements) where !elements.isEmpty:
            for element in elements {
                out += pad + "- "
                switch element {
                case .object(let members) where !members.isEmpty:
                    emit(element, indent: indent + 2, into: &out, inSequence: true)
                case .array(let inner) where !inner.isEmpty:
                    out += "\n"
                    emit(element, indent: indent + 2, into: &out, inSequence: false)
                default:
                    out += inline(element) + "\n"
                }
            }
        default:
            out += pad + inline(value) + "\n"
        }
    }

    private static func emitChild(_ member: JSONValue, indent: Int, into out: inout String) {
        switch member {
        case .object(let members) where !members.isEmpty:
            out += "\n"
            emit(member, indent: indent + 2, into: &out, inSequence: false)
        case .array(let elements) where !elements.isEmpty:
            out += "\n"
            emit(member, indent: indent, into: &out, inSequence: false)
        default:
            out += " " + inline(member) + "\n"
        }
    }

    private static func inline(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double: return JSONWriter.string(value)
        case .string(let s): return scalarText(s)
        case .array: return "[]"
        case .object: return "{}"
        }
    }

    /// Plain when YAML would read it back as the same string, JSON-quoted otherwise.
    private static func scalarText(_ text: String) -> String {
        if text.isEmpty { return "\"\"" }
        let special = CharacterSet(charactersIn: ":#{}[],&*!|>'\"%@`\n\t\\")
        let needsQuotes = text.unicodeScalars.contains { special.contains($0) }
            || text.first == " " || text.last == " " || text.first == "-" || text.first == "?"
            || (try? compose(yaml: text, resolver)).flatMap { node -> Bool? in
                if case .scalar = node { return node.tag.rawValue != Tag.Name.str.rawValue }
                return true
            } ?? true
        return needsQuotes ? JSONWriter.string(.string(text)) : text
    }
}
