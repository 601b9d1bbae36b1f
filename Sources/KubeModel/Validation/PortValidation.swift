extension Validation {
    /// A port number: 1 to 65535.
    public static func isValidPortNumber(_ port: Int) -> [String] {
        isInRange(port, 1, 65535)
    }

    public static func isInRange(_ value: Int, _ low: Int, _ high: Int) -> [String] {
        (low...high).contains(value) ? [] : [ValidationMessages.inclusiveRange(low, high)]
    }

    /// An IANA service name (RFC 6335) as used for port names: at most 15 characters of
    /// [-a-z0-9] with at least one letter, no leading, trailing or doubled hyphens. Upper case
    /// is refused although the RFC ignores case, as upstream does.
    public static func isValidPortName(_ port: String) -> [String] {
        var errors: [String] = []
        let bytes = port.utf8
        if bytes.count > 15 { errors.append(ValidationMessages.maxLength(15)) }
        if bytes.isEmpty || !bytes.allSatisfy({ CharacterClasses.isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }) {
            errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !bytes.contains(where: CharacterClasses.isLowerLetter) {
            errors.append("must contain at least one letter (a-z)")
        }
        if port.contains("--") { errors.append("must not contain consecutive hyphens") }
        if port.hasPrefix("-") || port.hasSuffix("-") { errors.append("must not begin or end with a hyphen") }
        return errors
    }
}
