/// Upstream's validation rules and messages; each `is…` function returns the reasons a value
/// fails (empty when valid), as k8s.io/apimachinery/pkg/util/validation does.
public enum Validation {}

extension Validation {
    public static let dns1123LabelMaxLength = 63
    public static let dns1123SubdomainMaxLength = 253
    public static let dns1035LabelMaxLength = 63

    static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
    static let dns1123SubdomainFormat = dns1123LabelFormat + "(\\." + dns1123LabelFormat + ")*"
    static let dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
    static let dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?"
    static let dns1035LabelMessage =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
    static let wildcardDNS1123SubdomainFormat = "\\*\\." + dns1123SubdomainFormat
    static let wildcardDNS1123SubdomainMessage =
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character"

    /// A lowercase RFC 1123 label (namespace names, most names that become DNS labels).
    public static func isDNS1123Label(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123LabelMaxLength { errors.append(ValidationMessages.maxLength(dns1123LabelMaxLength)) }
        if !CharacterClasses.isDNS1123Label(value[...].utf8) {
            if CharacterClasses.isDNS1123Subdomain(value[...]) {
                // A valid subdomain that is not a label can only differ by its dots.
                errors.append("must not contain dots")
            } else {
                errors.append(
                    ValidationMessages.regex(dns1123LabelMessage, dns1123LabelFormat, examples: ["my-name", "123-abc"]))
            }
        }
        return errors
    }

    /// A lowercase RFC 1123 subdomain (the names of most objects).
    public static func isDNS1123Subdomain(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength {
            errors.append(ValidationMessages.maxLength(dns1123SubdomainMaxLength))
        }
        if !CharacterClasses.isDNS1123Subdomain(value[...]) {
            errors.append(
                ValidationMessages.regex(dns1123SubdomainMessage, dns1123SubdomainFormat, examples: ["example.com"]))
        }
        return errors
    }

    /// An RFC 1035 label (service names: they must start with a letter).
    public static func isDNS1035Label(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1035LabelMaxLength { errors.append(ValidationMessages.maxLength(dns1035LabelMaxLength)) }
        if !CharacterClasses.isDNS1035Label(value) {
            errors.append(
                ValidationMessages.regex(dns1035LabelMessage, dns1035LabelFormat, examples: ["my-name", "abc-123"]))
        }
        return errors
    }

    /// `*.` followed by a subdomain (wildcard Ingress hosts).
    public static func isWildcardDNS1123Subdomain(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength {
            errors.append(ValidationMessages.maxLength(dns1123SubdomainMaxLength))
        }
        if !(value.hasPrefix("*.") && CharacterClasses.isDNS1123Subdomain(value.dropFirst(2))) {
            errors.append(
                ValidationMessages.regex(
                    wildcardDNS1123SubdomainMessage, wildcardDNS1123SubdomainFormat, examples: ["*.example.com"]))
        }
        return errors
    }
}
