import Testing

@testable import KubeModel

/// The rule texts as upstream words them, written out once so any drift shows up here.
enum UpstreamRules {
    static let dns1123Label =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let dns1123Subdomain =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let dns1035Label =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    static let wildcardSubdomain =
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let qualifiedNamePart =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    static let qualifiedNameTooManySlashes =
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
    static let labelValue =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    static let cIdentifier =
        "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')"
    static let envVarName =
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
    static let relaxedEnvVarName =
        "a valid environment variable name must consist only of printable ASCII characters other than '='"
    static let configMapKey =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
    static let portCharset = "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"
    static let portLetter = "must contain at least one letter (a-z)"
}

private func repeated(_ text: String, _ count: Int) -> String { String(repeating: text, count: count) }

@Suite("Name validation")
struct NameValidationTests {
    static let dns1123LabelCases: [(String, [String])] = [
        ("a", []), ("ab", []), ("abc", []), ("a1", []), ("a-1", []), ("a--1--2--b", []),
        ("0", []), ("01", []), ("1-0", []), (repeated("a", 63), []),
        ("", [UpstreamRules.dns1123Label]),
        ("A", [UpstreamRules.dns1123Label]),
        ("ABC", [UpstreamRules.dns1123Label]),
        ("-a", [UpstreamRules.dns1123Label]),
        ("a-", [UpstreamRules.dns1123Label]),
        ("a_b", [UpstreamRules.dns1123Label]),
        ("a b", [UpstreamRules.dns1123Label]),
        ("a$", [UpstreamRules.dns1123Label]),
        ("ä", [UpstreamRules.dns1123Label]),
        ("a.b", ["must not contain dots"]),
        ("a..b", [UpstreamRules.dns1123Label]),
        (repeated("a", 64), ["must be no more than 63 characters"]),
        (repeated("a", 64) + ".b", ["must be no more than 63 characters", "must not contain dots"]),
    ]

    @Test(arguments: dns1123LabelCases)
    func dns1123Label(value: String, errors: [String]) {
        #expect(Validation.isDNS1123Label(value) == errors)
    }

    static let dns1123SubdomainCases: [(String, [String])] = [
        ("a", []), ("ab", []), ("a.b", []), ("a-b.c-d", []), ("0.a", []), ("a.b.c.d.e", []),
        ("example.com", []), (repeated("a", 253), []),
        ("", [UpstreamRules.dns1123Subdomain]),
        (".a", [UpstreamRules.dns1123Subdomain]),
        ("a.", [UpstreamRules.dns1123Subdomain]),
        ("a..b", [UpstreamRules.dns1123Subdomain]),
        ("a.-b", [UpstreamRules.dns1123Subdomain]),
        ("A.b", [UpstreamRules.dns1123Subdomain]),
        ("a_b.c", [UpstreamRules.dns1123Subdomain]),
        (repeated("a", 254), ["must be no more than 253 characters"]),
        (repeated("A", 254), ["must be no more than 253 characters", UpstreamRules.dns1123Subdomain]),
    ]

    @Test(arguments: dns1123SubdomainCases)
    func dns1123Subdomain(value: String, errors: [String]) {
        #expect(Validation.isDNS1123Subdomain(value) == errors)
    }

    static let dns1035LabelCases: [(String, [String])] = [
        ("a", []), ("ab-c", []), ("a1", []), ("a--1", []), (repeated("a", 63), []),
        ("", [UpstreamRules.dns1035Label]),
        ("1a", [UpstreamRules.dns1035Label]),
        ("-a", [UpstreamRules.dns1035Label]),
        ("a-", [UpstreamRules.dns1035Label]),
        ("a.b", [UpstreamRules.dns1035Label]),
        ("Ab", [UpstreamRules.dns1035Label]),
        (repeated("a", 64), ["must be no more than 63 characters"]),
    ]

    @Test(arguments: dns1035LabelCases)
    func dns1035Label(value: String, errors: [String]) {
        #expect(Validation.isDNS1035Label(value) == errors)
    }

    static let wildcardCases: [(String, [String])] = [
        ("*.example.com", []), ("*.a", []),
        ("example.com", [UpstreamRules.wildcardSubdomain]),
        ("*example.com", [UpstreamRules.wildcardSubdomain]),
        ("*.", [UpstreamRules.wildcardSubdomain]),
        ("*.*.com", [UpstreamRules.wildcardSubdomain]),
    ]

    @Test(arguments: wildcardCases)
    func wildcardSubdomain(value: String, errors: [String]) {
        #expect(Validation.isWildcardDNS1123Subdomain(value) == errors)
    }

    static let qualifiedNameCases: [(String, [String])] = [
        ("simple", []), ("now-with-dashes", []), ("1-starts-with-num", []), ("1234", []),
        ("simple/simple", []), ("now-with-dashes/simple", []), ("now.with.dots/simple", []),
        ("1-num.2-num/3-num", []), ("1234/5678", []), ("1.2.3.4/5678", []), ("Uppercase_Is_OK_123", []),
        ("example.com/Uppercase_Is_OK_123", []), ("requests.storage-foo", []), (repeated("a", 63), []),
        (repeated("a", 253) + "/" + repeated("b", 63), []),
        ("", ["name part must be non-empty", UpstreamRules.qualifiedNamePart]),
        ("simple/", ["name part must be non-empty", UpstreamRules.qualifiedNamePart]),
        ("/simple", ["prefix part must be non-empty"]),
        ("a/b/c", [UpstreamRules.qualifiedNameTooManySlashes]),
        ("_underscore", [UpstreamRules.qualifiedNamePart]),
        ("trailing-", [UpstreamRules.qualifiedNamePart]),
        ("a b", [UpstreamRules.qualifiedNamePart]),
        ("Nope.com/simple", ["prefix part " + UpstreamRules.dns1123Subdomain]),
        (repeated("a", 64), ["name part must be no more than 63 characters"]),
        (repeated("a", 254) + "/b", ["prefix part must be no more than 253 characters"]),
    ]

    @Test(arguments: qualifiedNameCases)
    func qualifiedName(value: String, errors: [String]) {
        #expect(Validation.isQualifiedName(value) == errors)
    }

    static let labelValueCases: [(String, [String])] = [
        ("", []), ("simple", []), ("now-with-dashes", []), ("1234", []), ("Upper_Case.1", []),
        (repeated("a", 63), []),
        (repeated("a", 64), ["must be no more than 63 characters"]),
        ("-a", [UpstreamRules.labelValue]),
        ("a b", [UpstreamRules.labelValue]),
        ("a/b", [UpstreamRules.labelValue]),
        ("nospecialchars%^=@", [UpstreamRules.labelValue]),
        ("Tama-nui-te-rā", [UpstreamRules.labelValue]),
        (repeated("-", 64), ["must be no more than 63 characters", UpstreamRules.labelValue]),
    ]

    @Test(arguments: labelValueCases)
    func labelValue(value: String, errors: [String]) {
        #expect(Validation.isValidLabelValue(value) == errors)
    }

    static let portNameCases: [(String, [String])] = [
        ("http", []), ("h-t-t-p", []), ("a1", []), ("p", []), ("123-abc", []), (repeated("a", 15), []),
        ("", [UpstreamRules.portCharset, UpstreamRules.portLetter]),
        ("1234", [UpstreamRules.portLetter]),
        ("HTTP", [UpstreamRules.portCharset, UpstreamRules.portLetter]),
        ("a_b", [UpstreamRules.portCharset]),
        ("-http", ["must not begin or end with a hyphen"]),
        ("http-", ["must not begin or end with a hyphen"]),
        ("http--s", ["must not contain consecutive hyphens"]),
        (repeated("a", 16), ["must be no more than 15 characters"]),
        ("--", [UpstreamRules.portLetter, "must not contain consecutive hyphens", "must not begin or end with a hyphen"]),
    ]

    @Test(arguments: portNameCases)
    func portName(value: String, errors: [String]) {
        #expect(Validation.isValidPortName(value) == errors)
    }

    static let portNumberCases: [(Int, [String])] = [
        (1, []), (80, []), (65535, []),
        (0, ["must be between 1 and 65535, inclusive"]),
        (65536, ["must be between 1 and 65535, inclusive"]),
        (-1, ["must be between 1 and 65535, inclusive"]),
    ]

    @Test(arguments: portNumberCases)
    func portNumber(value: Int, errors: [String]) {
        #expect(Validation.isValidPortNumber(value) == errors)
    }

    static let cIdentifierCases: [(String, Bool)] = [
        ("a", true), ("ab", true), ("a1", true), ("_a", true), ("a_", true), ("a_b", true), ("_", true),
        ("__", true), ("A", true), ("AB", true), ("_A", true), ("A_1", true),
        ("", false), ("1", false), ("123", false), ("1a", false), ("a-b", false), ("a.b", false),
        ("a b", false), ("#a", false), ("a$", false), ("ä", false),
    ]

    @Test(arguments: cIdentifierCases)
    func cIdentifier(value: String, valid: Bool) {
        #expect(Validation.isCIdentifier(value) == (valid ? [] : [UpstreamRules.cIdentifier]))
    }

    static let envVarNameCases: [(String, [String])] = [
        ("A", []), ("ABC", []), ("AbC123", []), ("_123", []), ("a.b", []), ("-", []), ("-.", []),
        ("a-b", []), ("A.B", []), (".a", []),
        ("1", [UpstreamRules.envVarName]),
        ("123", [UpstreamRules.envVarName]),
        ("1A", [UpstreamRules.envVarName]),
        ("a b", [UpstreamRules.envVarName]),
        ("a=b", [UpstreamRules.envVarName]),
        ("", [UpstreamRules.envVarName]),
        (".", ["must not be '.'"]),
        ("..", ["must not be '..'"]),
        ("..a", ["must not start with '..'"]),
    ]

    @Test(arguments: envVarNameCases)
    func envVarName(value: String, errors: [String]) {
        #expect(Validation.isEnvVarName(value) == errors)
    }

    static let relaxedEnvVarNameCases: [(String, [String])] = [
        ("1A", []), ("a b", []), ("$HOME", []), ("~!@#", []), (".", []),
        ("", ["environment variable name must be non-empty"]),
        ("a=b", [UpstreamRules.relaxedEnvVarName]),
        ("ä", [UpstreamRules.relaxedEnvVarName]),
        ("a\tb", [UpstreamRules.relaxedEnvVarName]),
        ("a\u{7F}", [UpstreamRules.relaxedEnvVarName]),
    ]

    @Test(arguments: relaxedEnvVarNameCases)
    func relaxedEnvVarName(value: String, errors: [String]) {
        #expect(Validation.isRelaxedEnvVarName(value) == errors)
    }

    static let configMapKeyCases: [(String, [String])] = [
        ("a", []), ("a.b", []), ("a-b", []), ("a_b", []), ("A", []), (".a", []), ("1", []),
        (repeated("a", 253), []),
        ("", [UpstreamRules.configMapKey]),
        ("a/b", [UpstreamRules.configMapKey]),
        ("a b", [UpstreamRules.configMapKey]),
        (repeated("a", 254), ["must be no more than 253 characters"]),
        (".", ["must not be '.'"]),
        ("..", ["must not be '..'"]),
        ("..a", ["must not start with '..'"]),
    ]

    @Test(arguments: configMapKeyCases)
    func configMapKey(value: String, errors: [String]) {
        #expect(Validation.isConfigMapKey(value) == errors)
    }

    static let pathSegmentCases: [(String, [String])] = [
        ("a", []), ("a.b", []), ("system:admin", []),
        (".", ["may not be '.'"]),
        ("..", ["may not be '..'"]),
        ("a/b", ["may not contain '/'"]),
        ("a%b/c", ["may not contain '/'", "may not contain '%'"]),
    ]

    @Test(arguments: pathSegmentCases)
    func pathSegmentName(value: String, errors: [String]) {
        #expect(Validation.isValidPathSegmentName(value) == errors)
    }

    // Name, whether it is a generateName prefix, and whether the subdomain rule accepts it.
    static let generateNameCases: [(String, Bool, Bool)] = [
        ("foo-", true, true),
        ("foo-", false, false),
        ("a-", true, true),
        ("-", true, false),
        ("foo", true, true),
        ("Foo-", true, false),
        ("foo.", true, false),
    ]

    @Test(arguments: generateNameCases)
    func generateNamePrefixes(name: String, isPrefix: Bool, valid: Bool) {
        #expect(Validation.nameIsDNSSubdomain(name, isPrefix).isEmpty == valid)
        #expect(Validation.nameIsDNSLabel(name, isPrefix).isEmpty == valid)
    }

    @Test func nameValidatorsPickTheirRule() {
        #expect(Validation.nameIsDNS1035Label("1abc", false) == [UpstreamRules.dns1035Label])
        #expect(Validation.nameIsDNSLabel("a.b", false) == ["must not contain dots"])
        #expect(Validation.nameIsDNSSubdomain("a.b", false).isEmpty)
        #expect(Validation.validateNamespaceName("kube-system", false).isEmpty)
        #expect(Validation.nameIsPathSegment("system:controller:a", false).isEmpty)
        #expect(Validation.nameIsPathSegment("..", true).isEmpty)
        #expect(Validation.nameIsPathSegment("a/", true) == ["may not contain '/'"])
    }
}
