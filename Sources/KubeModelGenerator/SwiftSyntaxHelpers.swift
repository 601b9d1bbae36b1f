/// Small helpers for writing Swift source text.
enum SwiftSyntax {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do",
        "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while",
        "as", "catch", "false", "is", "nil", "super", "self", "Self", "throw", "throws", "true", "try", "Type",
        "Any", "some", "any",
    ]

    /// A property name that is legal Swift: keywords get backticks.
    static func identifier(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }

    /// A Swift string literal for arbitrary text.
    static func stringLiteral(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// The first sentence of a schema description, for a one-line doc comment.
    static func summary(_ description: String?) -> String? {
        guard let description, !description.isEmpty else { return nil }
        let firstLine = description.split(separator: "\n").first.map(String.init) ?? description
        if let end = firstLine.range(of: ". ") { return String(firstLine[..<end.lowerBound]) + "." }
        return firstLine
    }
}
