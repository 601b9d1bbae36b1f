/// The path to a field in an object, printed as upstream's field.Path prints it:
/// `spec.containers[0].env[FOO]` (list indexes and map keys in brackets, keys unquoted).
public struct FieldPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    enum Element: Sendable, Hashable {
        case name(String)
        case bracketed(String)
    }

    private(set) var elements: [Element]

    /// The empty path, for errors about a whole value rather than one of its fields.
    public static let root = FieldPath(elements: [])

    init(elements: [Element]) { self.elements = elements }

    /// A path of field names: `FieldPath("metadata", "name")`.
    public init(_ name: String, _ moreNames: String...) {
        elements = ([name] + moreNames).map(Element.name)
    }

    /// A dotted literal is one field name per segment: `"spec.template"`.
    public init(stringLiteral value: String) {
        elements = value.split(separator: ".", omittingEmptySubsequences: false).map { .name(String($0)) }
    }

    public func child(_ name: String, _ moreNames: String...) -> FieldPath {
        FieldPath(elements: elements + ([name] + moreNames).map(Element.name))
    }

    public func index(_ index: Int) -> FieldPath {
        FieldPath(elements: elements + [.bracketed(String(index))])
    }

    public func key(_ key: String) -> FieldPath {
        FieldPath(elements: elements + [.bracketed(key)])
    }

    public var isRoot: Bool { elements.isEmpty }

    public var description: String {
        var text = ""
        for (position, element) in elements.enumerated() {
            switch element {
            case .name(let name):
                // Upstream writes a dot before every non-empty name except the first.
                if position > 0 && !name.isEmpty { text += "." }
                text += name
            case .bracketed(let inner):
                text += "[" + inner + "]"
            }
        }
        return text
    }
}
