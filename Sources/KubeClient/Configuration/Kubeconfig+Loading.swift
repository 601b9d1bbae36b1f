import Foundation
import KubeModel

/// A kubeconfig could not be read or does not describe a usable connection.
public struct KubeconfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Kubeconfig {
    /// Parses kubeconfig YAML. Relative file references (`certificate-authority`,
    /// `client-certificate`, `client-key`, `tokenFile`) are resolved against `baseDirectory`,
    /// as kubectl resolves them against the file's own directory.
    public init(yaml text: String, baseDirectory: String? = nil) throws {
        let document = try YAMLConversion.document(text)
        guard document.objectValue != nil || document.isNull else {
            throw KubeconfigError("kubeconfig is not a mapping")
        }
        func path(_ value: JSONValue?) -> String? {
            guard let text = value?.stringValue, !text.isEmpty else { return nil }
            guard let baseDirectory, !text.hasPrefix("/") else { return text }
            return URL(fileURLWithPath: baseDirectory).appendingPathComponent(text).standardizedFileURL.path
        }
        func entries(_ key: String, _ body: String) -> [(name: String, body: JSONValue)] {
            (document[key]?.arrayValue ?? []).compactMap { entry in
                guard let name = entry["name"]?.stringValue else { return nil }
                return (name, entry[body] ?? [:])
            }
        }
        let clusters = entries("clusters", "cluster").map { name, body in
            Cluster(name: name, server: body["server"]?.stringValue ?? "",
                    certificateAuthorityData: body["certificate-authority-data"]?.stringValue,
                    certificateAuthority: path(body["certificate-authority"]),
                    insecureSkipTLSVerify: body["insecure-skip-tls-verify"]?.boolValue ?? false,
                    tlsServerName: body["tls-server-name"]?.stringValue)
        }
        let users = entries("users", "user").map { name, body in
            User(name: name, clientCertificateData: body["client-certificate-data"]?.stringValue,
                 clientKeyData: body["client-key-data"]?.stringValue, token: body["token"]?.stringValue,
                 clientCertificate: path(body["client-certificate"]), clientKey: path(body["client-key"]),
                 tokenFile: path(body["tokenFile"]))
        }
        let contexts = entries("contexts", "context").map { name, body in
            Context(name: name, cluster: body["cluster"]?.stringValue ?? "", user: body["user"]?.stringValue ?? "",
                    namespace: body["namespace"]?.stringValue)
        }
        self.init(clusters: clusters, users: users, contexts: contexts,
                  currentContext: document["current-context"]?.stringValue ?? "")
    }

    /// Reads a kubeconfig file.
    public static func load(path: String) throws -> Kubeconfig {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw KubeconfigError("cannot read kubeconfig \(path): \(error.localizedDescription)")
        }
        return try Kubeconfig(yaml: text, baseDirectory: (path as NSString).deletingLastPathComponent)
    }

    /// Merges kubeconfigs the way `KUBECONFIG=a:b` does: the first file to define a cluster,
    /// user or context name wins, and so does the first current-context.
    public static func merged(_ configs: [Kubeconfig]) -> Kubeconfig {
        var result = Kubeconfig(clusters: [], users: [], contexts: [], currentContext: "")
        for config in configs {
            for cluster in config.clusters where !result.clusters.contains(where: { $0.name == cluster.name }) {
                result.clusters.append(cluster)
            }
            for user in config.users where !result.users.contains(where: { $0.name == user.name }) {
                result.users.append(user)
            }
            for context in config.contexts where !result.contexts.contains(where: { $0.name == context.name }) {
                result.contexts.append(context)
            }
            if result.currentContext.isEmpty { result.currentContext = config.currentContext }
        }
        return result
    }

    /// The connection settings of `context` (the current context by default), with file
    /// references read and base64 data decoded.
    public func clientConfiguration(context contextName: String? = nil) throws -> ClientConfiguration {
        let name = contextName ?? currentContext
        guard !name.isEmpty else { throw KubeconfigError("no context chosen and current-context is not set") }
        guard let context = contexts.first(where: { $0.name == name }) else {
            throw KubeconfigError("context \"\(name)\" does not exist")
        }
        guard let cluster = clusters.first(where: { $0.name == context.cluster }) else {
            throw KubeconfigError("cluster \"\(context.cluster)\" of context \"\(name)\" does not exist")
        }
        guard !cluster.server.isEmpty else { throw KubeconfigError("cluster \"\(cluster.name)\" has no server") }
        let user = users.first { $0.name == context.user } ?? User(name: context.user)

        var configuration = ClientConfiguration(server: cluster.server)
        configuration.certificateAuthorityPEM = try Self.material(data: cluster.certificateAuthorityData, file: cluster.certificateAuthority, what: "certificate-authority")
        configuration.clientCertificatePEM = try Self.material(data: user.clientCertificateData, file: user.clientCertificate, what: "client-certificate")
        configuration.clientKeyPEM = try Self.material(data: user.clientKeyData, file: user.clientKey, what: "client-key")
        configuration.bearerToken = user.token
        configuration.bearerTokenFile = user.tokenFile
        configuration.insecureSkipTLSVerify = cluster.insecureSkipTLSVerify
        configuration.tlsServerName = cluster.tlsServerName
        if let namespace = context.namespace, !namespace.isEmpty { configuration.namespace = namespace }
        return configuration
    }

    /// Inline base64 data wins over a file, as in kubectl.
    private static func material(data: String?, file: String?, what: String) throws -> [UInt8]? {
        if let data, !data.isEmpty {
            guard let decoded = Data(base64Encoded: data, options: .ignoreUnknownCharacters) else {
                throw KubeconfigError("\(what)-data is not valid base64")
            }
            return Array(decoded)
        }
        guard let file else { return nil }
        guard let contents = FileManager.default.contents(atPath: file) else {
            throw KubeconfigError("cannot read \(what) file \(file)")
        }
        return Array(contents)
    }
}
