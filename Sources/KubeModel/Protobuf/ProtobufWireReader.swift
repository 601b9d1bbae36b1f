/// The protobuf wire types this reader understands (groups, 3 and 4, are never used by Kubernetes).
public enum ProtobufWireType: Int, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
}

/// One field as it appears on the wire: its number and its undecoded value.
public enum ProtobufWireValue: Sendable, Equatable {
    case varint(UInt64)
    case fixed64(UInt64)
    case fixed32(UInt32)
    case bytes(ArraySlice<UInt8>)
}

/// Reads protobuf-encoded bytes field by field: varints, fixed 32/64-bit values and
/// length-delimited payloads. It never interprets a payload; callers decide, from the field
/// table, whether bytes are a string, a nested message or a packed list.
public struct ProtobufWireReader: Sendable {
    private let bytes: ArraySlice<UInt8>
    private var index: Int

    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    public init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    public var isAtEnd: Bool { index >= bytes.endIndex }

    /// The next field, or nil at the end of the buffer.
    public mutating func nextField() throws(ProtobufDecodeError) -> (number: Int, value: ProtobufWireValue)? {
        guard !isAtEnd else { return nil }
        let key = try readVarint()
        let number = Int(key >> 3)
        guard number > 0, number <= 536_870_911 else { throw .malformed("invalid field number \(key >> 3)") }
        guard let wireType = ProtobufWireType(rawValue: Int(key & 7)) else {
            throw .malformed("unsupported wire type \(key & 7) for field \(number)")
        }
        switch wireType {
        case .varint: return (number, .varint(try readVarint()))
        case .fixed64: return (number, .fixed64(try readFixed64()))
        case .fixed32: return (number, .fixed32(try readFixed32()))
        case .lengthDelimited: return (number, .bytes(try readLengthDelimited()))
        }
    }

    public mutating func readVarint() throws(ProtobufDecodeError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.endIndex else { throw .malformed("truncated varint") }
            let byte = bytes[index]
            index += 1
            guard shift < 64 else { throw .malformed("varint longer than 10 bytes") }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    public mutating func readFixed32() throws(ProtobufDecodeError) -> UInt32 {
        guard bytes.endIndex - index >= 4 else { throw .malformed("truncated fixed32") }
        var value: UInt32 = 0
        for offset in 0..<4 { value |= UInt32(bytes[index + offset]) << (8 * UInt32(offset)) }
        index += 4
        return value
    }

    public mutating func readFixed64() throws(ProtobufDecodeError) -> UInt64 {
        guard bytes.endIndex - index >= 8 else { throw .malformed("truncated fixed64") }
        var value: UInt64 = 0
        for offset in 0..<8 { value |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
        index += 8
        return value
    }

    public mutating func readLengthDelimited() throws(ProtobufDecodeError) -> ArraySlice<UInt8> {
        let length = try readVarint()
        guard length <= UInt64(bytes.endIndex - index) else { throw .malformed("length \(length) runs past the end of the message") }
        let start = index
        index += Int(length)
        return bytes[start..<index]
    }
}

/// Why a protobuf body could not be turned into JSON.
public enum ProtobufDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not valid protobuf, or not the Kubernetes envelope.
    case malformed(String)
    /// Valid, but of a kind (or with an encoding) this server has no protobuf table for.
    case unsupported(String)

    public var description: String {
        switch self {
        case .malformed(let reason): return "malformed protobuf body: \(reason)"
        case .unsupported(let reason): return reason
        }
    }
}
