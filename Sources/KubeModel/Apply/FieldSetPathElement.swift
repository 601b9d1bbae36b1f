/// One step of a path into an object, as structured-merge-diff names them: a struct or map field
/// (`f:name`), the key fields of an associative-list item (`k:{"name":"nginx"}`), the value of a
/// set item (`v:"x"`), or a position in a list (`i:0`).
public struct FieldSetPathElement: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case field(String)
        /// Key fields sorted by name, as upstream keeps them.
        case key([KeyField])
        case value(JSONValue)
        case index(Int)
    }

    public struct KeyField: Sendable, Equatable {
        public var name: String
        public var value: JSONValue

        public init(name: String, value: JSONValue) {
            self.name = name
            self.value = value
        }
    }

    public let kind: Kind
    /// The FieldsV1 spelling of key and value elements, which is canonical (sorted key fields,
    /// Go's JSON) and so their identity; nil for fields and indices, which compare by content
    /// so the common elements cost no formatting and hash as the name or number they hold.
    private let canonicalKey: String?

    private init(kind: Kind) {
        self.kind = kind
        switch kind {
        case .field, .index:
            canonicalKey = nil
        case .key(let fields):
            var key = "k:{"
            for (position, field) in fields.enumerated() {
                if position > 0 { key += "," }
                GoText.writeJSONString(field.name, into: &key)
                key += ":"
                GoText.writeJSON(field.value, into: &key)
            }
            key += "}"
            canonicalKey = key
        case .value(let value):
            var key = "v:"
            GoText.writeJSON(value, into: &key)
            canonicalKey = key
        }
    }

    /// How FieldsV1 spells this element as an object key.
    public var fieldsV1Key: String {
        switch kind {
        case .field(let name): return "f:" + name
        case .index(let index): return "i:" + String(index)
        case .key, .value: return canonicalKey!
        }
    }

    public static func field(_ name: String) -> FieldSetPathElement { FieldSetPathElement(kind: .field(name)) }

    public static func key(_ fields: [KeyField]) -> FieldSetPathElement {
        FieldSetPathElement(kind: .key(fields.sorted { compareBytes($0.name, $1.name) < 0 }))
    }

    /// An associative-list item identified by these key fields: `.key(["name": "nginx"])`.
    public static func key(_ fields: [String: JSONValue]) -> FieldSetPathElement {
        key(fields.map { KeyField(name: $0.key, value: $0.value) })
    }

    public static func value(_ value: JSONValue) -> FieldSetPathElement { FieldSetPathElement(kind: .value(value)) }

    public static func index(_ index: Int) -> FieldSetPathElement { FieldSetPathElement(kind: .index(index)) }

    /// Reads a FieldsV1 object key. Returns nil for element types this version does not know,
    /// which upstream drops rather than rejects so newer writers stay readable.
    public static func parse(fieldsV1Key text: String) throws(FieldsV1Error) -> FieldSetPathElement? {
        let utf8 = text.utf8
        guard utf8.count >= 2 else { throw FieldsV1Error("key must be 2 characters long: \(text)") }
        let tag = utf8[utf8.startIndex]
        let colon = utf8.index(after: utf8.startIndex)
        guard utf8[colon] == UInt8(ascii: ":") else { throw FieldsV1Error("missing colon: \(text)") }
        let body = String(decoding: utf8[utf8.index(after: colon)...], as: UTF8.self)
        switch tag {
        case UInt8(ascii: "f"):
            return .field(body)
        case UInt8(ascii: "v"):
            return .value(try parseJSON(body, in: text))
        case UInt8(ascii: "k"):
            guard case .object(let object) = try parseJSON(body, in: text) else {
                throw FieldsV1Error("key element is not a JSON object: \(text)")
            }
            return .key(object.map { KeyField(name: $0.key, value: $0.value) })
        case UInt8(ascii: "i"):
            guard let index = Int(body) else { throw FieldsV1Error("invalid list index: \(text)") }
            return .index(index)
        default:
            return nil
        }
    }

    private static func parseJSON(_ body: String, in text: String) throws(FieldsV1Error) -> JSONValue {
        do {
            return try JSONParser.parse(body)
        } catch {
            throw FieldsV1Error("invalid JSON in \(text): \(error)")
        }
    }

    /// Equal exactly when the FieldsV1 spellings are.
    public static func == (lhs: FieldSetPathElement, rhs: FieldSetPathElement) -> Bool {
        switch (lhs.kind, rhs.kind) {
        case (.field(let a), .field(let b)): return a == b
        case (.index(let a), .index(let b)): return a == b
        case (.key, .key), (.value, .value): return lhs.canonicalKey == rhs.canonicalKey
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch kind {
        case .field(let name): hasher.combine(name)
        case .index(let index): hasher.combine(index)
        case .key, .value: hasher.combine(canonicalKey)
        }
    }

    /// Upstream's order: fields, then keys, then values, then indices; within a kind by content.
    public static func < (lhs: FieldSetPathElement, rhs: FieldSetPathElement) -> Bool {
        lhs.order(comparedTo: rhs) < 0
    }

    private var kindRank: Int {
        switch kind {
        case .field: return 0
        case .key: return 1
        case .value: return 2
        case .index: return 3
        }
    }

    private func order(comparedTo other: FieldSetPathElement) -> Int {
        if kindRank != other.kindRank { return kindRank < other.kindRank ? -1 : 1 }
        switch (kind, other.kind) {
        case (.field(let a), .field(let b)): return compareBytes(a, b)
        case (.value(let a), .value(let b)): return a.structuralOrder(comparedTo: b)
        case (.index(let a), .index(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.key(let a), .key(let b)):
            for (x, y) in zip(a, b) {
                let byName = compareBytes(x.name, y.name)
                if byName != 0 { return byName }
                let byValue = x.value.structuralOrder(comparedTo: y.value)
                if byValue != 0 { return byValue }
            }
            return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
        default: return 0
        }
    }

    /// The human-readable form upstream prints in conflicts: `.name`, `[name="nginx"]`, `[="x"]`, `[0]`.
    public var description: String {
        switch kind {
        case .field(let name): return "." + name
        case .key(let fields): return "[" + fields.map { "\($0.name)=\(GoText.describe($0.value))" }.joined(separator: ",") + "]"
        case .value(let value): return "[=" + GoText.describe(value) + "]"
        case .index(let index): return "[\(index)]"
        }
    }
}
