import Foundation

/// Kubernetes' protobuf serialization (`application/vnd.kubernetes.protobuf`), read into the same
/// `JSONValue` a JSON body of the object would give.
///
/// A body is the magic `k8s\0` followed by a `runtime.Unknown` message: `typeMeta` (apiVersion,
/// kind), `raw` (the object's own protobuf encoding), `contentEncoding` and `contentType`. The
/// object is walked with the generated field table: field numbers map to JSON names; int-or-string,
/// quantities, times, raw extensions and byte fields become the strings and numbers JSON carries;
/// maps become objects; embedded structs are merged into their parent; fields not on the wire are
/// left out, and so are zero scalars unless the Go field is a pointer or required (what
/// `omitempty` would have done to the JSON body).
public enum KubernetesProtobuf {
    public static let mediaType = "application/vnd.kubernetes.protobuf"
    public static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    /// The `runtime.Unknown` wrapper of a protobuf body.
    public struct Envelope: Sendable {
        public var apiVersion: String
        public var kind: String
        public var raw: ArraySlice<UInt8>
        public var contentEncoding: String
        public var contentType: String
    }

    static let unknownMessage = "io.k8s.apimachinery.pkg.runtime.Unknown"
    static let typeMetaMessage = "io.k8s.apimachinery.pkg.runtime.TypeMeta"

    /// Reads the magic prefix and the envelope.
    public static func envelope(_ bytes: [UInt8], table: ProtobufFieldTable = .shared) throws(ProtobufDecodeError) -> Envelope {
        guard bytes.count >= magic.count, Array(bytes.prefix(magic.count)) == magic else {
            throw .malformed("the body does not start with the Kubernetes protobuf prefix")
        }
        let fields = try scalarFields(of: unknownMessage, in: bytes.dropFirst(magic.count), table: table)
        var typeMeta: [String: ProtobufWireValue] = [:]
        if case .bytes(let payload)? = fields["typeMeta"] {
            typeMeta = try scalarFields(of: typeMetaMessage, in: payload, table: table)
        }
        return Envelope(
            apiVersion: try string(typeMeta["apiVersion"]), kind: try string(typeMeta["kind"]),
            raw: try payload(fields["raw"]), contentEncoding: try string(fields["contentEncoding"]),
            contentType: try string(fields["contentType"]))
    }

    /// Decodes a whole protobuf body (magic, envelope, object) into the object's JSON.
    public static func decode(_ bytes: [UInt8]) throws(ProtobufDecodeError) -> JSONValue {
        try decode(bytes, table: .shared)
    }

    public static func decode(_ bytes: [UInt8], table: ProtobufFieldTable) throws(ProtobufDecodeError) -> JSONValue {
        let envelope = try envelope(bytes, table: table)
        guard envelope.contentEncoding.isEmpty else {
            throw .unsupported("protobuf content encoding \"\(envelope.contentEncoding)\" is not supported")
        }
        guard envelope.contentType.isEmpty || envelope.contentType == mediaType else {
            throw .unsupported("protobuf envelope content type \"\(envelope.contentType)\" is not supported")
        }
        guard !envelope.apiVersion.isEmpty, !envelope.kind.isEmpty else {
            throw .malformed("the protobuf envelope carries no apiVersion and kind")
        }
        let (group, version) = GroupVersionKind.split(apiVersion: envelope.apiVersion)
        let gvk = GroupVersionKind(group: group, version: version, kind: envelope.kind)
        guard let definition = SchemaCatalog.definitionNameByKind[gvk], table.decodable.contains(definition) else {
            throw .unsupported("no protobuf decoding for \(gvk); send application/json")
        }
        var object: JSONObject = ["kind": .string(envelope.kind), "apiVersion": .string(envelope.apiVersion)]
        for (key, value) in try decodeObject(definition, envelope.raw, table: table) where key != "kind" && key != "apiVersion" {
            object[key] = value
        }
        return .object(object)
    }

    /// Decodes one message (without envelope) of the given definition into a JSON object.
    public static func decodeObject(
        _ definition: String, _ bytes: ArraySlice<UInt8>, table: ProtobufFieldTable = .shared
    ) throws(ProtobufDecodeError) -> JSONObject {
        guard let message = table.messages[definition] else { throw .unsupported("no protobuf layout for \(definition)") }
        var singles: [Int: JSONValue] = [:]
        var lists: [Int: [JSONValue]] = [:]
        var maps: [Int: JSONObject] = [:]
        var reader = ProtobufWireReader(bytes)
        while let next = try reader.nextField() {
            let (number, value) = next
            guard let index = message.fieldsByNumber[number] else { continue }  // unknown fields are skipped
            let field = message.fields[index]
            switch field.kind {
            case .map(let keyKind, let valueKind):
                let (key, entry) = try mapEntry(value, key: keyKind, value: valueKind, field: field, table: table)
                maps[index, default: [:]][key] = entry
            case .scalar(let scalar):
                if field.repeated {
                    lists[index, default: []] += try repeatedScalars(value, scalar, field: field)
                } else {
                    singles[index] = try scalarValue(value, scalar, field: field)
                }
            case .message(let target):
                guard case .bytes(let payload) = value else { throw .malformed("field \(field.name) is not a message") }
                let decoded = try decodeValue(target, payload, table: table)
                if field.repeated { lists[index, default: []].append(decoded) } else { singles[index] = decoded }
            }
        }

        var object: JSONObject = [:]
        for (index, field) in message.fields.enumerated() {
            if let map = maps[index] {
                object[field.name] = .object(map)
            } else if let list = lists[index] {
                object[field.name] = .array(list)
            } else if let value = singles[index] {
                if field.inline {
                    for (key, inner) in value.objectValue ?? [:] { object[key] = inner }
                } else if case .scalar = field.kind, !field.keepsZero, isZero(value) {
                    continue
                } else {
                    object[field.name] = value
                }
            }
        }
        return object
    }

    /// A message value as JSON: the well-known wrappers become the scalars JSON spells them as.
    static func decodeValue(_ definition: String, _ bytes: ArraySlice<UInt8>, table: ProtobufFieldTable) throws(ProtobufDecodeError) -> JSONValue {
        switch definition {
        case "io.k8s.apimachinery.pkg.apis.meta.v1.Time", "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime":
            // A zero time is written as an empty message; JSON spells it null.
            guard !bytes.isEmpty else { return .null }
            let fields = try scalarFields(of: definition, in: bytes, table: table)
            let seconds = Int64(bitPattern: try varint(fields["seconds"]))
            let nanos = Int64(Int32(truncatingIfNeeded: try varint(fields["nanos"])))
            return .string(formatTime(seconds: seconds, nanos: nanos, micro: definition.hasSuffix("MicroTime")))
        case "io.k8s.apimachinery.pkg.api.resource.Quantity":
            let text = try string(try scalarFields(of: definition, in: bytes, table: table)["string"])
            return .string(text.isEmpty ? "0" : text)
        case "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
            let fields = try scalarFields(of: definition, in: bytes, table: table)
            if try varint(fields["type"]) == 1 { return .string(try string(fields["strVal"])) }
            return .int(Int64(Int32(truncatingIfNeeded: try varint(fields["intVal"]))))
        case "io.k8s.apimachinery.pkg.runtime.RawExtension", "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1":
            let fields = try scalarFields(of: definition, in: bytes, table: table)
            return try rawJSON(try payload(fields["raw"] ?? fields["Raw"]), table: table)
        default:
            return .object(try decodeObject(definition, bytes, table: table))
        }
    }

    /// RawExtension and FieldsV1 carry JSON bytes (a nested protobuf object is decoded too).
    static func rawJSON(_ bytes: ArraySlice<UInt8>, table: ProtobufFieldTable) throws(ProtobufDecodeError) -> JSONValue {
        if bytes.isEmpty { return .null }
        if bytes.starts(with: magic) { return try decode(Array(bytes), table: table) }
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw .malformed("raw extension is neither JSON nor protobuf: \(error.description)")
        }
    }

    // MARK: - Scalars

    static func scalarValue(_ value: ProtobufWireValue, _ scalar: ProtobufFieldTable.Scalar, field: ProtobufFieldTable.Field) throws(ProtobufDecodeError) -> JSONValue {
        switch (scalar, value) {
        case (.string, .bytes(let bytes)): return .string(String(decoding: bytes, as: UTF8.self))
        case (.bytes, .bytes(let bytes)): return .string(Data(bytes).base64EncodedString())
        case (.bool, .varint(let raw)): return .bool(raw != 0)
        case (.int32, .varint(let raw)): return .int(Int64(Int32(truncatingIfNeeded: raw)))
        case (.int64, .varint(let raw)): return .int(Int64(bitPattern: raw))
        case (.uint32, .varint(let raw)): return .int(Int64(UInt32(truncatingIfNeeded: raw)))
        case (.uint64, .varint(let raw)): return .int(Int64(bitPattern: raw))
        case (.double, .fixed64(let raw)): return .double(Double(bitPattern: raw))
        case (.float, .fixed32(let raw)): return .double(Double(Float(bitPattern: raw)))
        default: throw .malformed("field \(field.name) has the wrong wire type for \(scalar)")
        }
    }

    /// A repeated scalar arrives one value per field occurrence or, for numbers, packed into one
    /// length-delimited payload.
    static func repeatedScalars(_ value: ProtobufWireValue, _ scalar: ProtobufFieldTable.Scalar, field: ProtobufFieldTable.Field) throws(ProtobufDecodeError) -> [JSONValue] {
        guard case .bytes(let payload) = value, scalar != .string, scalar != .bytes else {
            return [try scalarValue(value, scalar, field: field)]
        }
        var reader = ProtobufWireReader(payload)
        var values: [JSONValue] = []
        while !reader.isAtEnd {
            let element: ProtobufWireValue
            switch scalar {
            case .double: element = .fixed64(try reader.readFixed64())
            case .float: element = .fixed32(try reader.readFixed32())
            default: element = .varint(try reader.readVarint())
            }
            values.append(try scalarValue(element, scalar, field: field))
        }
        return values
    }

    /// One `map<key, value>` entry: key = 1, value = 2; a missing part is its zero value.
    static func mapEntry(
        _ value: ProtobufWireValue, key keyKind: ProtobufFieldTable.Scalar, value valueKind: ProtobufFieldTable.Kind,
        field: ProtobufFieldTable.Field, table: ProtobufFieldTable
    ) throws(ProtobufDecodeError) -> (String, JSONValue) {
        guard case .bytes(let entry) = value else { throw .malformed("map field \(field.name) is not a message") }
        var key: JSONValue?
        var item: JSONValue?
        var reader = ProtobufWireReader(entry)
        while let next = try reader.nextField() {
            let (number, part) = next
            if number == 1 {
                key = try scalarValue(part, keyKind, field: field)
            } else if number == 2 {
                switch valueKind {
                case .scalar(let scalar): item = try scalarValue(part, scalar, field: field)
                case .message(let target):
                    guard case .bytes(let payload) = part else { throw .malformed("map field \(field.name) value is not a message") }
                    item = try decodeValue(target, payload, table: table)
                case .map: throw .malformed("map field \(field.name) holds a map")
                }
            }
        }
        let keyText: String
        switch key {
        case .string(let text)?: keyText = text
        case .int(let number)?: keyText = String(number)
        case .bool(let flag)?: keyText = String(flag)
        default: keyText = ""
        }
        if let item { return (keyText, item) }
        switch valueKind {
        case .scalar(.string), .scalar(.bytes): return (keyText, .string(""))
        case .scalar(.bool): return (keyText, .bool(false))
        case .scalar: return (keyText, .int(0))
        case .message(let target): return (keyText, try decodeValue(target, [], table: table))
        case .map: return (keyText, .object([:]))
        }
    }

    static func isZero(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): return text.isEmpty
        case .int(let number): return number == 0
        case .double(let number): return number == 0
        case .bool(let flag): return !flag
        default: return false
        }
    }

    // MARK: - Helpers for the wrapper messages

    /// The fields of a small message by proto name (last occurrence wins), undecoded.
    static func scalarFields(of definition: String, in bytes: ArraySlice<UInt8>, table: ProtobufFieldTable) throws(ProtobufDecodeError) -> [String: ProtobufWireValue] {
        guard let message = table.messages[definition] else { throw .unsupported("no protobuf layout for \(definition)") }
        var fields: [String: ProtobufWireValue] = [:]
        var reader = ProtobufWireReader(bytes)
        while let next = try reader.nextField() {
            let (number, value) = next
            if let field = message.field(number: number) { fields[field.name] = value }
        }
        return fields
    }

    static func string(_ value: ProtobufWireValue?) throws(ProtobufDecodeError) -> String {
        String(decoding: try payload(value), as: UTF8.self)
    }

    static func payload(_ value: ProtobufWireValue?) throws(ProtobufDecodeError) -> ArraySlice<UInt8> {
        switch value {
        case nil: return []
        case .bytes(let bytes)?: return bytes
        default: throw .malformed("expected a length-delimited field")
        }
    }

    static func varint(_ value: ProtobufWireValue?) throws(ProtobufDecodeError) -> UInt64 {
        switch value {
        case nil: return 0
        case .varint(let raw)?: return raw
        default: throw .malformed("expected a varint field")
        }
    }

    /// RFC 3339 in UTC: whole seconds for Time, microseconds for MicroTime.
    static func formatTime(seconds: Int64, nanos: Int64, micro: Bool) -> String {
        let whole = Time(Date(timeIntervalSince1970: TimeInterval(seconds))).description
        guard micro else { return whole }
        let micros = String(max(0, min(999_999, nanos / 1000)))
        return String(whole.dropLast()) + "." + String(repeating: "0", count: 6 - micros.count) + micros + "Z"
    }
}
