/// The protobuf layout of every served message, read once from the generated table text
/// (Generated/ProtobufFields.swift): for each definition name, its fields by number with their
/// JSON name and wire kind.
public struct ProtobufFieldTable: Sendable {
    /// Scalar value kinds and how they travel on the wire.
    public enum Scalar: String, Sendable {
        case string = "s", bytes = "y", bool = "b"
        case int32 = "i32", int64 = "i64", uint32 = "u32", uint64 = "u64"
        case float = "f32", double = "f64"
    }

    public indirect enum Kind: Sendable, Equatable {
        case scalar(Scalar)
        /// A nested message, by definition name ("io.k8s.api.core.v1.PodSpec").
        case message(String)
        /// `map<key, value>`: repeated entries with key = 1, value = 2.
        case map(key: Scalar, value: Kind)
    }

    public struct Field: Sendable, Equatable {
        public var number: Int
        /// The JSON property name (the proto field name for messages the schema has no properties for).
        public var name: String
        public var kind: Kind
        public var repeated: Bool
        /// A zero scalar present on the wire is kept (Go pointer or required field); otherwise it is
        /// dropped, as encoding/json's omitempty drops it from a JSON body.
        public var keepsZero: Bool
        /// The message is embedded (`json:",inline"`): its fields go into the parent object.
        public var inline: Bool
    }

    public struct Message: Sendable {
        public var name: String
        /// Fields in declaration order, which is the order JSON output follows.
        public var fields: [Field]
        public var fieldsByNumber: [Int: Int]

        public func field(number: Int) -> Field? { fieldsByNumber[number].map { fields[$0] } }
        public func field(named name: String) -> Field? { fields.first { $0.name == name } }
    }

    public let messages: [String: Message]
    /// Messages whose whole closure has a layout: only these can be decoded (a CRD, whose schema
    /// part has no table, cannot).
    public let decodable: Set<String>

    /// The table of the generated text.
    public static let shared: ProtobufFieldTable = {
        do { return try ProtobufFieldTable(text: tableText) } catch { preconditionFailure("generated protobuf table: \(error)") }
    }()

    public init(text: String) throws(ProtobufDecodeError) {
        var messages: [String: Message] = [:]
        var current: Message?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("@") {
                if let message = current { messages[message.name] = message }
                current = Message(name: String(line.dropFirst()), fields: [], fieldsByNumber: [:])
                continue
            }
            guard current != nil else { throw .malformed("table line outside a message: \(line)") }
            let parts = line.split(separator: " ").map(String.init)
            guard parts.count >= 3, let number = Int(parts[0]) else { throw .malformed("table line: \(line)") }
            var kindText = parts[2][...]
            let repeated = kindText.hasPrefix("*")
            if repeated { kindText = kindText.dropFirst() }
            let field = Field(
                number: number, name: parts[1], kind: try Self.parseKind(kindText), repeated: repeated,
                keepsZero: parts.dropFirst(3).contains("z"), inline: parts.dropFirst(3).contains("inline"))
            current!.fieldsByNumber[number] = current!.fields.count
            current!.fields.append(field)
        }
        if let message = current { messages[message.name] = message }
        self.messages = messages
        self.decodable = Self.closedMessages(messages)
    }

    static func parseKind(_ text: Substring) throws(ProtobufDecodeError) -> Kind {
        if text.hasPrefix("m:") { return .message(String(text.dropFirst(2))) }
        if text.hasPrefix("map:") {
            let rest = text.dropFirst(4)
            guard let colon = rest.firstIndex(of: ":"), let key = Scalar(rawValue: String(rest[..<colon])) else {
                throw .malformed("table map kind: \(text)")
            }
            return .map(key: key, value: try parseKind(rest[rest.index(after: colon)...]))
        }
        guard let scalar = Scalar(rawValue: String(text)) else { throw .malformed("table kind: \(text)") }
        return .scalar(scalar)
    }

    /// The greatest set of messages whose every referenced message is also in the set.
    static func closedMessages(_ messages: [String: Message]) -> Set<String> {
        var closed = Set(messages.keys)
        var changed = true
        while changed {
            changed = false
            for name in closed where !messages[name]!.fields.allSatisfy({ references(of: $0.kind).allSatisfy(closed.contains) }) {
                closed.remove(name)
                changed = true
            }
        }
        return closed
    }

    static func references(of kind: Kind) -> [String] {
        switch kind {
        case .scalar: return []
        case .message(let name): return [name]
        case .map(_, let value): return references(of: value)
        }
    }
}
