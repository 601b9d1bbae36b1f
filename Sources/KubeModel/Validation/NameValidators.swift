/// Checks an object's name, or its generateName prefix when `isPrefix` is true (upstream's
/// `ValidateNameFunc`). Returns the reasons it fails.
public typealias NameValidator = @Sendable (_ name: String, _ isPrefix: Bool) -> [String]

extension Validation {
    /// Names that must be DNS subdomains (most kinds).
    public static let nameIsDNSSubdomain: NameValidator = { name, isPrefix in
        isDNS1123Subdomain(isPrefix ? maskTrailingDash(name) : name)
    }

    /// Names that must be DNS labels (namespaces and others).
    public static let nameIsDNSLabel: NameValidator = { name, isPrefix in
        isDNS1123Label(isPrefix ? maskTrailingDash(name) : name)
    }

    /// Names that must be RFC 1035 labels (services).
    public static let nameIsDNS1035Label: NameValidator = { name, isPrefix in
        isDNS1035Label(isPrefix ? maskTrailingDash(name) : name)
    }

    /// Names that only have to be usable as one URL path segment (RBAC objects and others).
    public static let nameIsPathSegment: NameValidator = { name, isPrefix in
        if isPrefix { return ["/", "%"].filter { name.contains($0) }.map { "may not contain '\($0)'" } }
        return isValidPathSegmentName(name)
    }

    public static let validateNamespaceName: NameValidator = nameIsDNSLabel
    public static let validateServiceAccountName: NameValidator = nameIsDNSSubdomain

    /// A generateName may end with '-' because random characters follow it. Upstream swaps the
    /// last two characters for an "a" before checking; copied as is so the same prefixes pass.
    static func maskTrailingDash(_ name: String) -> String {
        let bytes = Array(name.utf8)
        guard bytes.count > 1, bytes.last == UInt8(ascii: "-") else { return name }
        return String(decoding: bytes.dropLast(2), as: UTF8.self) + "a"
    }
}
