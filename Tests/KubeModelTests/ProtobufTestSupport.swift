import Testing

@testable import KubeModel

/// A tiny protobuf writer for hand-built test bodies. Like Go's generated marshalers it writes
/// exactly what it is told, including zero values of non-pointer fields.
struct ProtoWriter {
    var buffer: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            buffer.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        buffer.append(UInt8(value))
    }

    mutating func key(_ field: Int, _ wireType: Int) { varint(UInt64(field << 3 | wireType)) }

    /// int32/int64/enum: negative values are ten-byte two's complement varints.
    mutating func int(_ field: Int, _ value: Int64) {
        key(field, 0)
        varint(UInt64(bitPattern: value))
    }

    mutating func bool(_ field: Int, _ value: Bool) {
        key(field, 0)
        varint(value ? 1 : 0)
    }

    mutating func double(_ field: Int, _ value: Double) {
        key(field, 1)
        let raw = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { buffer.append(UInt8(truncatingIfNeeded: raw >> UInt64(shift))) }
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, 2)
        varint(UInt64(value.count))
        buffer += value
    }

    mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    mutating func message(_ field: Int, _ build: (inout ProtoWriter) -> Void) {
        var inner = ProtoWriter()
        build(&inner)
        bytes(field, inner.buffer)
    }

    /// A `map<string, string>` entry.
    mutating func entry(_ field: Int, _ key: String, _ value: String) {
        message(field) {
            $0.string(1, key)
            $0.string(2, value)
        }
    }

    /// A `map<string, bytes>` entry.
    mutating func entry(_ field: Int, _ key: String, bytes value: [UInt8]) {
        message(field) {
            $0.string(1, key)
            $0.bytes(2, value)
        }
    }

    /// A `map<string, Quantity>` entry.
    mutating func quantity(_ field: Int, _ key: String, _ value: String) {
        message(field) {
            $0.string(1, key)
            $0.message(2) { $0.string(1, value) }
        }
    }
}

/// `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw, contentEncoding, contentType}, as
/// client-go's protobuf serializer writes it.
func protobufBody(apiVersion: String, kind: String, _ build: (inout ProtoWriter) -> Void) -> [UInt8] {
    var object = ProtoWriter()
    build(&object)
    var unknown = ProtoWriter()
    unknown.message(1) {
        $0.string(1, apiVersion)
        $0.string(2, kind)
    }
    unknown.bytes(2, object.buffer)
    unknown.string(3, "")
    unknown.string(4, "")
    return [0x6b, 0x38, 0x73, 0x00] + unknown.buffer
}

/// ObjectMeta the way Go writes a freshly built one: every non-pointer string, generation 0 and an
/// empty creationTimestamp message are on the wire.
func writeObjectMeta(_ w: inout ProtoWriter, name: String, namespace: String = "", labels: [(String, String)] = []) {
    w.string(1, name)
    w.string(2, "")
    w.string(3, namespace)
    w.string(4, "")
    w.string(5, "")
    w.string(6, "")
    w.int(7, 0)
    w.message(8) { _ in }
    for (key, value) in labels { w.entry(11, key, value) }
}

/// Expects the decoded document to be the expected JSON (member order aside).
func expectJSON(_ actual: JSONValue, _ expectedText: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let expected = try JSONParser.parse(expectedText)
    #expect(
        actual.isSemanticallyEqual(to: expected),
        "got \(JSONWriter.string(actual)), expected \(JSONWriter.string(expected))",
        sourceLocation: sourceLocation)
}
