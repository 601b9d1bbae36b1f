import Foundation
import Synchronization
import X509

/// Who made a request, as authentication established it.
public struct UserInfo: Sendable, Equatable {
    public var name: String
    public var uid: String
    public var groups: [String]

    public init(name: String, uid: String = "", groups: [String]) {
        self.name = name
        self.uid = uid
        self.groups = groups
    }
}

/// Authenticates requests by client certificate (CN = user, O = groups; the TLS layer has
/// already verified the chain against the cluster CA) or by bearer token from a token file.
public final class Authenticator: Sendable {
    private let tokens: [String: UserInfo]
    /// Users of recently seen client certificates: parsing X.509 on every request of a
    /// keep-alive connection would cost more than the request itself.
    private let certificateUsers = Mutex<[[UInt8]: UserInfo]>([:])
    private static let certificateCacheLimit = 1024

    public init(tokens: [String: UserInfo] = [:]) {
        self.tokens = tokens
    }

    /// Reads upstream's static token file format: `token,user,uid[,"group1,group2"]` per line.
    public static func loadTokenFile(_ path: String) throws -> [String: UserInfo] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var tokens: [String: UserInfo] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = CSVLine.split(String(line))
            guard fields.count >= 3, !fields[0].isEmpty, !line.hasPrefix("#") else { continue }
            let groups = fields.count > 3 ? fields[3].split(separator: ",").map(String.init) : []
            tokens[fields[0]] = UserInfo(name: fields[1], uid: fields[2], groups: groups)
        }
        return tokens
    }

    /// The user a verified client certificate names.
    public func user(fromCertificateDER der: [UInt8]) -> UserInfo? {
        if let cached = certificateUsers.withLock({ $0[der] }) { return cached }
        guard let user = parseUser(fromCertificateDER: der) else { return nil }
        certificateUsers.withLock { cache in
            if cache.count >= Self.certificateCacheLimit { cache.removeAll() }
            cache[der] = user
        }
        return user
    }

    private func parseUser(fromCertificateDER der: [UInt8]) -> UserInfo? {
        guard let certificate = try? Certificate(derEncoded: der) else { return nil }
        var name: String?
        var groups: [String] = []
        for rdn in certificate.subject {
            for attribute in rdn {
                if attribute.type == .RDNAttributeType.commonName { name = "\(attribute.value)" }
                if attribute.type == .RDNAttributeType.organizationName { groups.append("\(attribute.value)") }
            }
        }
        guard let name, !name.isEmpty else { return nil }
        return withAuthenticatedGroup(UserInfo(name: name, groups: groups))
    }

    /// The user a bearer token in an Authorization header belongs to.
    public func user(fromAuthorizationHeader header: String) -> UserInfo? {
        guard header.utf8.count > 7, header.utf8.prefix(7).map({ $0 | 0x20 }) == Array("bearer ".utf8) else { return nil }
        let token = MediaType.trimmed(header.utf8.dropFirst(7)[...])
        return tokens[token].map(withAuthenticatedGroup)
    }

    private func withAuthenticatedGroup(_ user: UserInfo) -> UserInfo {
        var user = user
        if !user.groups.contains("system:authenticated") { user.groups.append("system:authenticated") }
        return user
    }
}

/// Splits one line of a CSV file, honouring double quotes.
enum CSVLine {
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        for character in line {
            switch character {
            case "\"": quoted.toggle()
            case "," where !quoted:
                fields.append(current)
                current = ""
            default: current.append(character)
            }
        }
        fields.append(current)
        return fields.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
