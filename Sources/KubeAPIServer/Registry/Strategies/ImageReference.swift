/// The parts of a container image reference (`registry:5000/team/app:1.2@sha256:…`) that
/// upstream's image-name parser reports, for defaulting imagePullPolicy.
struct ImageReference: Sendable, Hashable {
    var repository: String
    /// The tag; "latest" when the reference names neither a tag nor a digest.
    var tag: String
    var digest: String

    /// Nil for what the docker reference grammar rejects (empty, upper-case repository path,
    /// empty components).
    init?(_ image: String) {
        var rest = Substring(image)
        digest = ""
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
            if digest.isEmpty { return nil }
        }
        tag = ""
        let lastSlash = rest.lastIndex(of: "/")
        let nameStart = lastSlash.map { rest.index(after: $0) } ?? rest.startIndex
        if let colon = rest[nameStart...].lastIndex(of: ":") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
            if tag.isEmpty { return nil }
        }
        let components = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard !rest.isEmpty, !components.contains(where: \.isEmpty) else { return nil }
        // The first component is a registry host when it has a dot, a port or is localhost;
        // everything else must be lower case.
        let first = components[0]
        let hasDomain = components.count > 1 && (first.contains(".") || first.contains(":") || first == "localhost")
        let path = hasDomain ? components.dropFirst() : components[...]
        guard path.allSatisfy({ component in
            component.utf8.allSatisfy { byte in
                (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 46 || byte == 95 || byte == 45
            }
        }) else { return nil }
        repository = String(rest)
        if tag.isEmpty && digest.isEmpty { tag = "latest" }
    }

    /// Upstream's default pull policy: Always for `:latest` (or no tag), else IfNotPresent.
    static func defaultPullPolicy(for image: String?) -> String {
        ImageReference(image ?? "")?.tag == "latest" ? "Always" : "IfNotPresent"
    }
}
