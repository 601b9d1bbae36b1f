extension Validation {
    static let cIdentifierFormat = "[A-Za-z_][A-Za-z0-9_]*"
    static let cIdentifierMessage =
        "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'"
    static let envVarNameFormat = "[-._a-zA-Z][-._a-zA-Z0-9]*"
    static let envVarNameMessage =
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"
    static let relaxedEnvVarNameMessage =
        "a valid environment variable name must consist only of printable ASCII characters other than '='"
    static let configMapKeyFormat = "[-._a-zA-Z0-9]+"
    static let configMapKeyMessage = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"

    /// A C identifier (`[A-Za-z_][A-Za-z0-9_]*`).
    public static func isCIdentifier(_ value: String) -> [String] {
        let bytes = value.utf8
        let valid =
            bytes.first.map { CharacterClasses.isLetter($0) || $0 == UInt8(ascii: "_") } == true
            && bytes.allSatisfy { CharacterClasses.isAlphanumeric($0) || $0 == UInt8(ascii: "_") }
        if valid { return [] }
        return [ValidationMessages.regex(cIdentifierMessage, cIdentifierFormat, examples: ["my_name", "MY_NAME", "MyName"])]
    }

    /// An environment variable name: letters, digits, '_', '-', '.', not starting with a digit,
    /// and not '.', '..' or starting with '..'.
    public static func isEnvVarName(_ value: String) -> [String] {
        var errors: [String] = []
        let bytes = value.utf8
        let isNameByte = { (byte: UInt8) in
            CharacterClasses.isLetter(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "_")
        }
        let valid =
            bytes.first.map(isNameByte) == true
            && bytes.allSatisfy { isNameByte($0) || CharacterClasses.isDigit($0) }
        if !valid {
            errors.append(
                ValidationMessages.regex(
                    envVarNameMessage, envVarNameFormat, examples: ["my.env-name", "MY_ENV.NAME", "MyEnvName1"]))
        }
        return errors + chdirPrefixErrors(value)
    }

    /// The relaxed rule (RelaxedEnvironmentVariableValidation): any printable ASCII but '='.
    public static func isRelaxedEnvVarName(_ value: String) -> [String] {
        var errors: [String] = []
        if value.isEmpty { errors.append("environment variable name " + ValidationMessages.empty()) }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value > 0x7E || $0 == "=" }) {
            errors.append(relaxedEnvVarNameMessage)
        }
        return errors
    }

    /// A ConfigMap or Secret key: at most 253 of `[-._a-zA-Z0-9]`, not '.', '..' or starting
    /// with '..' (keys become file names in volumes).
    public static func isConfigMapKey(_ value: String) -> [String] {
        var errors: [String] = []
        let bytes = value.utf8
        if bytes.count > dns1123SubdomainMaxLength {
            errors.append(ValidationMessages.maxLength(dns1123SubdomainMaxLength))
        }
        let valid =
            !bytes.isEmpty
            && bytes.allSatisfy {
                CharacterClasses.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
                    || $0 == UInt8(ascii: "_")
            }
        if !valid {
            errors.append(
                ValidationMessages.regex(
                    configMapKeyMessage, configMapKeyFormat, examples: ["key.name", "KEY_NAME", "key-name"]))
        }
        return errors + chdirPrefixErrors(value)
    }

    /// A name that appears as one segment of a URL path (names of RBAC objects and others).
    public static func isValidPathSegmentName(_ name: String) -> [String] {
        if name == "." || name == ".." { return ["may not be '\(name)'"] }
        return ["/", "%"].filter { name.contains($0) }.map { "may not contain '\($0)'" }
    }

    private static func chdirPrefixErrors(_ value: String) -> [String] {
        if value == "." { return ["must not be '.'"] }
        if value == ".." { return ["must not be '..'"] }
        if value.hasPrefix("..") { return ["must not start with '..'"] }
        return []
    }
}
