import Foundation
import KubeModel

/// A kubeconfig file (clientcmd v1 Config): clusters, users and contexts.
public struct Kubeconfig: Sendable, Equatable {
    public struct Cluster: Sendable, Equatable {
        public var name: String
        public var server: String
        /// Base64 PEM, as `certificate-authority-data`.
        public var certificateAuthorityData: String?
        /// A PEM file, as `certificate-authority`.
        public var certificateAuthority: String?
        public var insecureSkipTLSVerify: Bool
        /// The name to verify the serving certificate against instead of the server's host.
        public var tlsServerName: String?
        public init(name: String, server: String, certificateAuthorityData: String? = nil, certificateAuthority: String? = nil,
                    insecureSkipTLSVerify: Bool = false, tlsServerName: String? = nil) {
            self.name = name
            self.server = server
            self.certificateAuthorityData = certificateAuthorityData
            self.certificateAuthority = certificateAuthority
            self.insecureSkipTLSVerify = insecureSkipTLSVerify
            self.tlsServerName = tlsServerName
        }
    }

    public struct User: Sendable, Equatable {
        public var name: String
        /// Base64 PEM, as `client-certificate-data` / `client-key-data`.
        public var clientCertificateData: String?
        public var clientKeyData: String?
        /// PEM files, as `client-certificate` / `client-key`.
        public var clientCertificate: String?
        public var clientKey: String?
        public var token: String?
        /// A file holding the bearer token, re-read as it rotates (`tokenFile`).
        public var tokenFile: String?
        public init(name: String, clientCertificateData: String? = nil, clientKeyData: String? = nil, token: String? = nil,
                    clientCertificate: String? = nil, clientKey: String? = nil, tokenFile: String? = nil) {
            self.name = name
            self.clientCertificateData = clientCertificateData
            self.clientKeyData = clientKeyData
            self.token = token
            self.clientCertificate = clientCertificate
            self.clientKey = clientKey
            self.tokenFile = tokenFile
        }
    }

    public struct Context: Sendable, Equatable {
        public var name: String
        public var cluster: String
        public var user: String
        public var namespace: String?
        public init(name: String, cluster: String, user: String, namespace: String? = nil) {
            self.name = name
            self.cluster = cluster
            self.user = user
            self.namespace = namespace
        }
    }

    public var clusters: [Cluster]
    public var users: [User]
    public var contexts: [Context]
    public var currentContext: String

    public init(clusters: [Cluster], users: [User], contexts: [Context], currentContext: String) {
        self.clusters = clusters
        self.users = users
        self.contexts = contexts
        self.currentContext = currentContext
    }

    /// A one-cluster, one-user kubeconfig with PEM material embedded as base64 data.
    public static func admin(server: String, caPEM: String, certificatePEM: String, keyPEM: String,
                             clusterName: String = "skiff") -> Kubeconfig {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        return Kubeconfig(
            clusters: [Cluster(name: clusterName, server: server, certificateAuthorityData: base64(caPEM))],
            users: [User(name: "admin", clientCertificateData: base64(certificatePEM), clientKeyData: base64(keyPEM))],
            contexts: [Context(name: clusterName, cluster: clusterName, user: "admin")],
            currentContext: clusterName)
    }

    public var json: JSONValue {
        var clusterEntries: [JSONValue] = []
        for cluster in clusters {
            var body: JSONObject = ["server": .string(cluster.server)]
            if let data = cluster.certificateAuthorityData { body["certificate-authority-data"] = .string(data) }
            if let path = cluster.certificateAuthority { body["certificate-authority"] = .string(path) }
            if cluster.insecureSkipTLSVerify { body["insecure-skip-tls-verify"] = true }
            if let name = cluster.tlsServerName { body["tls-server-name"] = .string(name) }
            clusterEntries.append(["name": .string(cluster.name), "cluster": .object(body)])
        }
        var userEntries: [JSONValue] = []
        for user in users {
            var body = JSONObject()
            if let data = user.clientCertificateData { body["client-certificate-data"] = .string(data) }
            if let data = user.clientKeyData { body["client-key-data"] = .string(data) }
            if let path = user.clientCertificate { body["client-certificate"] = .string(path) }
            if let path = user.clientKey { body["client-key"] = .string(path) }
            if let token = user.token { body["token"] = .string(token) }
            if let path = user.tokenFile { body["tokenFile"] = .string(path) }
            userEntries.append(["name": .string(user.name), "user": .object(body)])
        }
        let contextEntries: [JSONValue] = contexts.map { context in
            var body: JSONObject = ["cluster": .string(context.cluster), "user": .string(context.user)]
            if let namespace = context.namespace { body["namespace"] = .string(namespace) }
            return ["name": .string(context.name), "context": .object(body)]
        }
        return [
            "apiVersion": "v1", "kind": "Config",
            "clusters": .array(clusterEntries), "users": .array(userEntries), "contexts": .array(contextEntries),
            "current-context": .string(currentContext), "preferences": [:],
        ]
    }

    public func yaml() -> String { YAMLConversion.yaml(json) }

    /// Writes the file readable by its owner only (it holds a private key).
    public func write(to path: String) throws {
        try yaml().write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
