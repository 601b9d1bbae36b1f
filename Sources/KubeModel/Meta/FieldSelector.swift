/// A field selector as upstream's fields.Selector: `metadata.name=foo,status.phase!=Running`,
/// every term must hold. The API server lists `requirements` to refuse fields a kind does not
/// support before matching.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    public private(set) var requirements: [FieldRequirement]

    public static let everything = FieldSelector(requirements: [])

    public init(requirements: [FieldRequirement]) { self.requirements = requirements }

    /// A selector for one `field=value` term (upstream's `OneTermEqualSelector`).
    public init(field: String, equals value: String) {
        self.init(requirements: [FieldRequirement(field: field, operator: .equals, value: value)])
    }

    /// Parses upstream's syntax: comma-separated `field=value`, `field==value` or
    /// `field!=value` terms; in values `\,`, `\=` and `\\` stand for the characters. Terms are
    /// kept in upstream's order (sorted as written). An empty string selects everything.
    public init(parsing text: String) throws(SelectorError) {
        var requirements: [FieldRequirement] = []
        for term in Self.splitTerms(text).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !term.isEmpty {
            guard let (field, selectorOperator, rawValue) = Self.splitTerm(term) else {
                throw SelectorError("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            let value = try FieldSelectorEscaping.unescape(rawValue)
            requirements.append(FieldRequirement(field: field, operator: selectorOperator, value: value))
        }
        self.init(requirements: requirements)
    }

    public func matches(_ fields: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(fields) }
    }

    /// Selects everything.
    public var isEmpty: Bool { requirements.isEmpty }

    /// The value an `=` term demands for `field`, if any (lets the API server use an index,
    /// e.g. pods by `spec.nodeName`).
    public func requiresExactMatch(_ field: String) -> String? {
        requirements.first { $0.field == field && $0.operator == .equals }?.value
    }

    /// Rewrites every term (upstream's `Transform`, used to map a kind's legacy field labels
    /// onto current ones); returning nil drops the term.
    public func transformed(_ transform: (FieldRequirement) throws -> FieldRequirement?) rethrows -> FieldSelector {
        FieldSelector(requirements: try requirements.compactMap(transform))
    }

    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }

    /// Splits on commas that are not escaped; escapes stay in the terms.
    static func splitTerms(_ text: String) -> [String] {
        if text.isEmpty { return [] }
        var terms: [String] = []
        var current = ""
        var afterBackslash = false
        for character in text.unicodeScalars {
            if afterBackslash {
                afterBackslash = false
            } else if character == "\\" {
                afterBackslash = true
            } else if character == "," {
                terms.append(current)
                current = ""
                continue
            }
            current.unicodeScalars.append(character)
        }
        terms.append(current)
        return terms
    }

    /// Splits at the first operator; "!=" and "==" are tried before "=" at each position so
    /// no '=' is left on the value.
    static func splitTerm(_ term: String) -> (String, FieldRequirement.Operator, String)? {
        let scalars = Array(term.unicodeScalars)
        for index in scalars.indices {
            let rest = scalars[index...]
            for (spelling, selectorOperator) in [("!=", FieldRequirement.Operator.notEquals), ("==", .equals), ("=", .equals)]
            where rest.starts(with: spelling.unicodeScalars) {
                var field = ""
                field.unicodeScalars.append(contentsOf: scalars[..<index])
                var value = ""
                value.unicodeScalars.append(contentsOf: rest.dropFirst(spelling.unicodeScalars.count))
                return (field, selectorOperator, value)
            }
        }
        return nil
    }
}
