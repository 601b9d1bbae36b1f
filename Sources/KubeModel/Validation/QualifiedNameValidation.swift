extension Validation {
    public static let qualifiedNameMaxLength = 63
    public static let labelValueMaxLength = 63

    static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let qualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    static let labelValueFormat = "(" + qualifiedNameFormat + ")?"
    static let labelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

    /// A "qualified name": an optional DNS subdomain prefix and '/', then a name of at most 63
    /// characters (label keys, annotation keys, finalizers).
    public static func isQualifiedName(_ value: String) -> [String] {
        var errors: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                errors.append("prefix part " + ValidationMessages.empty())
            } else {
                errors += isDNS1123Subdomain(String(prefix)).map { "prefix part " + $0 }
            }
        default:
            return [
                "a qualified name "
                    + ValidationMessages.regex(
                        qualifiedNameMessage, qualifiedNameFormat, examples: ["MyName", "my.name", "123-abc"])
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        }
        if name.isEmpty {
            errors.append("name part " + ValidationMessages.empty())
        } else if name.utf8.count > qualifiedNameMaxLength {
            errors.append("name part " + ValidationMessages.maxLength(qualifiedNameMaxLength))
        }
        if !CharacterClasses.isQualifiedNamePart(name) {
            errors.append(
                "name part "
                    + ValidationMessages.regex(
                        qualifiedNameMessage, qualifiedNameFormat, examples: ["MyName", "my.name", "123-abc"]))
        }
        return errors
    }

    /// A label value: empty, or a name of at most 63 characters.
    public static func isValidLabelValue(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > labelValueMaxLength { errors.append(ValidationMessages.maxLength(labelValueMaxLength)) }
        if !value.isEmpty && !CharacterClasses.isQualifiedNamePart(value[...]) {
            errors.append(
                ValidationMessages.regex(labelValueMessage, labelValueFormat, examples: ["MyValue", "my_value", "12345"]))
        }
        return errors
    }
}
