/// A path from an object's root to one of its fields, list items or map entries.
public struct FieldSetPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public var elements: [FieldSetPathElement]

    public init(_ elements: [FieldSetPathElement]) { self.elements = elements }

    public init(arrayLiteral elements: FieldSetPathElement...) { self.elements = elements }

    /// A path made only of field names: `FieldSetPath(fields: "spec", "replicas")`.
    public init(fields names: String...) { self.elements = names.map(FieldSetPathElement.field) }

    public func appending(_ element: FieldSetPathElement) -> FieldSetPath { FieldSetPath(elements + [element]) }

    /// Upstream's spelling in conflict messages: `.spec.template.spec.containers[name="nginx"].image`.
    public var description: String { elements.map(\.description).joined() }
}
