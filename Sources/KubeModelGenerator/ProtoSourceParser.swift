import Foundation

/// Reads the two kinds of upstream sources the protobuf field table is built from:
/// `generated.proto` files (message, field name, field number, type, label) and
/// `zz_generated.deepcopy.go` files (which struct fields are Go pointers). Only these facts
/// are kept; comments and prose are discarded while parsing.
struct ProtoSourceParser {
    /// One field of a proto2 message as declared in `generated.proto`.
    struct Field: Equatable {
        enum Label: Equatable { case optional, repeated, map(key: String) }
        var name: String
        var number: Int
        var label: Label
        /// The declared value type: a scalar name ("string", "int32"…) or a message reference as
        /// written ("ObjectMeta", ".k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta").
        var type: String
    }

    struct Message {
        var package: String
        var name: String
        var fields: [Field]
        var fullName: String { package + "." + name }
    }

    enum ParseError: Error, CustomStringConvertible {
        case malformedLine(file: String, line: String)
        var description: String {
            switch self {
            case .malformedLine(let file, let line): return "\(file): cannot read proto line: \(line)"
            }
        }
    }

    /// Parses one `generated.proto` text into its messages.
    static func parseProto(_ text: String, file: String) throws -> [Message] {
        var package = ""
        var messages: [Message] = []
        var current: Message?
        for rawLine in stripComments(text).split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("package ") {
                package = String(line.dropFirst("package ".count).prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("message ") {
                let name = line.dropFirst("message ".count).prefix { $0 != " " && $0 != "{" }
                current = Message(package: package, name: String(name), fields: [])
                if line.hasSuffix("}") {  // "message Patch {}"
                    messages.append(current!)
                    current = nil
                }
            } else if line == "}" {
                if let message = current { messages.append(message) }
                current = nil
            } else if current != nil {
                guard let field = parseField(line) else { throw ParseError.malformedLine(file: file, line: line) }
                current!.fields.append(field)
            }
            // syntax, import and option lines carry nothing the table needs.
        }
        return messages
    }

    /// `optional T name = 3;`, `repeated T name = 3;` or `map<string, T> name = 3;`.
    private static func parseField(_ line: String) -> Field? {
        guard let equals = line.firstIndex(of: "="), line.hasSuffix(";") else { return nil }
        let numberText = line[line.index(after: equals)...].dropLast().trimmingCharacters(in: .whitespaces)
        guard let number = Int(numberText) else { return nil }
        let declaration = line[..<equals].trimmingCharacters(in: .whitespaces)
        if declaration.hasPrefix("map<") {
            guard let close = declaration.firstIndex(of: ">") else { return nil }
            let types = declaration[declaration.index(declaration.startIndex, offsetBy: 4)..<close]
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let name = declaration[declaration.index(after: close)...].trimmingCharacters(in: .whitespaces)
            guard types.count == 2, !name.isEmpty else { return nil }
            return Field(name: name, number: number, label: .map(key: types[0]), type: types[1])
        }
        let words = declaration.split(separator: " ").map(String.init)
        guard words.count == 3 else { return nil }
        switch words[0] {
        case "optional", "required": return Field(name: words[2], number: number, label: .optional, type: words[1])
        case "repeated": return Field(name: words[2], number: number, label: .repeated, type: words[1])
        default: return nil
        }
    }

    /// Removes `//` and `/* */` comments, leaving quoted strings alone.
    static func stripComments(_ text: String) -> String {
        var out = ""
        var chars = Array(text)[...]
        var inString = false
        while let char = chars.first {
            if inString {
                out.append(char)
                chars = chars.dropFirst()
                if char == "\"" { inString = false }
                continue
            }
            if char == "\"" {
                inString = true
                out.append(char)
                chars = chars.dropFirst()
            } else if char == "/", chars.dropFirst().first == "/" {
                chars = chars.drop { $0 != "\n" }
            } else if char == "/", chars.dropFirst().first == "*" {
                chars = chars.dropFirst(2)
                while !chars.isEmpty, !(chars.first == "*" && chars.dropFirst().first == "/") { chars = chars.dropFirst() }
                chars = chars.dropFirst(2)
            } else {
                out.append(char)
                chars = chars.dropFirst()
            }
        }
        return out
    }

    /// The Go struct fields that are pointers, as `StructName.FieldName`, read from a
    /// `zz_generated.deepcopy.go`: `func (in *S) DeepCopyInto` opens a struct; a nil check on
    /// `in.F` followed by `*out = new(T)` marks F as a pointer.
    static func parsePointerFields(_ text: String) -> [(structName: String, field: String)] {
        var result: [(String, String)] = []
        var currentStruct: String?
        var pendingField: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("func (in *"), line.contains(") DeepCopyInto(") {
                currentStruct = String(line.dropFirst("func (in *".count).prefix { $0 != ")" })
                pendingField = nil
            } else if line.hasPrefix("func ") {
                currentStruct = nil
                pendingField = nil
            } else if line.hasPrefix("if in."), line.hasSuffix("!= nil {") {
                pendingField = String(line.dropFirst("if in.".count).prefix { $0 != " " })
            } else if line.hasPrefix("*out = new("), let structName = currentStruct, let field = pendingField {
                result.append((structName, field))
                pendingField = nil
            } else if line.contains("make(") || line.contains("DeepCopy()") {
                pendingField = nil
            }
        }
        return result
    }
}
