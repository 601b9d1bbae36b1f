/// Text spelled the way Go spells it, where upstream's output is read by clients byte for byte:
/// JSON inside FieldsV1 keys (Go's encoder: HTML-safe escapes, sorted map keys) and `%q` quoting in
/// conflict messages and paths.
enum GoText {
    /// `value` as Go's encoding/json writes it.
    static func json(_ value: JSONValue) -> String {
        var out = ""
        writeJSON(value, into: &out)
        return out
    }

    static func writeJSON(_ value: JSONValue, into out: inout String) {
        switch value {
        case .string(let s): writeJSONString(s, into: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                writeJSON(item, into: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            for (index, key) in object.keys.sorted(by: { compareBytes($0, $1) < 0 }).enumerated() {
                if index > 0 { out += "," }
                writeJSONString(key, into: &out)
                out += ":"
                writeJSON(object[key]!, into: &out)
            }
            out += "}"
        case .int(let i): out += String(i)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .double:
            out += JSONWriter.string(value)
        }
    }

    static func writeJSONString(_ s: String, into out: inout String) {
        // Most strings (names, ports, protocols) need no escape: copied whole.
        if !s.utf8.contains(where: mayNeedEscape) {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // Go escapes these so JSON can be embedded in HTML and JavaScript.
            case "<", ">", "&", "\u{2028}", "\u{2029}": out += unicodeEscape(scalar)
            default:
                if scalar.value < 0x20 { out += unicodeEscape(scalar) } else { out.unicodeScalars.append(scalar) }
            }
        }
        out += "\""
    }

    /// Bytes of characters the slow path may escape (0xE2 leads U+2028 and U+2029).
    private static func mayNeedEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "<")
            || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&") || byte == 0xE2
    }

    private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// `s` as Go's `%q` verb prints it.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A value as upstream's `value.ToString` prints it inside paths (`[name="nginx"]`).
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
        case .string(let s): return quoted(s)
        case .array(let items): return "[" + items.map(describe).joined(separator: ",") + "]"
        case .object(let object):
            return "{" + object.keys.sorted { compareBytes($0, $1) < 0 }
                .map { "\($0)=\(describe(object[$0]!))" }.joined(separator: ",") + "}"
        }
    }
}
