/// Random identifiers the API server hands out: object UIDs and the suffixes of generated names.
public enum RandomIdentifiers {
    /// A version 4 UUID in lowercase, as `metadata.uid` holds it. Uses the system generator
    /// (getrandom) directly: Foundation's UUID opens /dev/urandom on every call.
    public static func uid() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = (raw[6] & 0x0F) | 0x40  // version 4
            raw[8] = (raw[8] & 0x3F) | 0x80  // RFC 4122 variant
            let hex = Array("0123456789abcdef".utf8)
            var text = [UInt8]()
            text.reserveCapacity(36)
            for (index, byte) in raw.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
                text.append(hex[Int(byte >> 4)])
                text.append(hex[Int(byte & 0x0F)])
            }
            return String(decoding: text, as: UTF8.self)
        }
    }

    /// Upstream's alphabet for generated names: no vowels (no words) and no look-alike characters.
    static let nameAlphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// `prefix` (cut to 58 characters) followed by five random characters, as `generateName` does.
    public static func name(prefix: String) -> String {
        let trimmed = prefix.count > 58 ? String(prefix.prefix(58)) : prefix
        return trimmed + String((0..<5).map { _ in nameAlphabet.randomElement()! })
    }
}
