/// The parts of a server URL a connection needs: "https://[::1]:6443/prefix".
struct ServerAddress: Sendable, Equatable {
    var useTLS: Bool
    var host: String
    var port: Int
    /// Prepended to every request path; empty or starting with "/" and not ending with one.
    var pathPrefix: String

    init(_ url: String) throws {
        var rest = Substring(url)
        if rest.hasPrefix("https://") {
            useTLS = true
            rest = rest.dropFirst(8)
        } else if rest.hasPrefix("http://") {
            useTLS = false
            rest = rest.dropFirst(7)
        } else if !rest.contains("://") {
            useTLS = true  // kubectl treats a bare host:port as https
        } else {
            throw KubeconfigError("unsupported server URL scheme: \(url)")
        }
        let authority = rest.prefix { $0 != "/" }
        var prefix = String(rest.dropFirst(authority.count))
        while prefix.hasSuffix("/") { prefix.removeLast() }
        pathPrefix = prefix

        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw KubeconfigError("invalid server URL: \(url)") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        guard !host.isEmpty else { throw KubeconfigError("invalid server URL: \(url)") }
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else { throw KubeconfigError("invalid port in server URL: \(url)") }
            port = value
        } else {
            port = useTLS ? 443 : 80
        }
    }

    /// True for literal IPv4/IPv6 addresses, which cannot go in SNI.
    var hostIsIPAddress: Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }

    /// The Host header value.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return (useTLS && port == 443) || (!useTLS && port == 80) ? name : "\(name):\(port)"
    }
}
