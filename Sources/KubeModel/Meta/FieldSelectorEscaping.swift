/// Field selector values escape `\`, `,` and `=` with a backslash so a value can contain the
/// characters that separate terms (upstream's fields.EscapeValue / UnescapeValue).
public enum FieldSelectorEscaping {
    public static func escape(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            if character == "\\" || character == "," || character == "=" { result.unicodeScalars.append("\\") }
            result.unicodeScalars.append(character)
        }
        return result
    }

    /// Fails on an unknown escape (`\x`), a trailing backslash, or an unescaped `,` or `=`,
    /// with upstream's messages.
    public static func unescape(_ value: String) throws(SelectorError) -> String {
        var result = ""
        var afterBackslash = false
        for character in value.unicodeScalars {
            if afterBackslash {
                guard character == "\\" || character == "," || character == "=" else {
                    throw SelectorError("invalid field selector: invalid escape sequence: \\\(character)")
                }
                result.unicodeScalars.append(character)
                afterBackslash = false
                continue
            }
            switch character {
            case "\\":
                afterBackslash = true
            case ",", "=":
                // Upstream prints the rune with %v, which shows its number.
                throw SelectorError("invalid field selector: unescaped character in value: \(character.value)")
            default:
                result.unicodeScalars.append(character)
            }
        }
        if afterBackslash { throw SelectorError("invalid field selector: invalid escape sequence: \\") }
        return result
    }
}
