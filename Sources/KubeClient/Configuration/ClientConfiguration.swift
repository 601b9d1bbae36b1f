import Foundation

/// Everything needed to open connections to one API server (client-go's rest.Config): where it
/// is, how to trust it, who we are, and timeouts.
public struct ClientConfiguration: Sendable, Equatable {
    /// "https://127.0.0.1:6443"; a path after the host prefixes every request path.
    public var server: String
    public var certificateAuthorityPEM: [UInt8]?
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    public var bearerToken: String?
    /// Re-read periodically, so rotated service-account tokens are picked up.
    public var bearerTokenFile: String?
    public var insecureSkipTLSVerify = false
    /// The name the serving certificate must carry, when it differs from the server's host.
    public var tlsServerName: String?
    /// The namespace of the context, used when a call names none.
    public var namespace = "default"
    public var userAgent = "skiff-client"
    public var connectTimeout: Duration = .seconds(30)
    /// Limit for a whole non-streaming request; for watches, the limit until the response head.
    public var requestTimeout: Duration = .seconds(60)
    /// Idle keep-alive connections kept open per transport.
    public var maximumIdleConnections = 16

    public init(server: String) {
        self.server = server
    }

    /// The standard service-account mount of a pod.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The configuration of a process running in a pod: the API server from
    /// KUBERNETES_SERVICE_HOST/PORT, trust from the mounted `ca.crt`, identity from the mounted
    /// `token` (re-read as it rotates) and the pod's namespace from `namespace`.
    public static func inCluster(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 serviceAccountDirectory directory: String = serviceAccountDirectory) throws -> ClientConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw KubeconfigError("unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined")
        }
        let tokenPath = directory + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw KubeconfigError("unable to load in-cluster configuration, cannot read \(tokenPath)")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var configuration = ClientConfiguration(server: "https://\(hostPart):\(port)")
        configuration.bearerTokenFile = tokenPath
        if let ca = FileManager.default.contents(atPath: directory + "/ca.crt") {
            configuration.certificateAuthorityPEM = Array(ca)
        }
        if let data = FileManager.default.contents(atPath: directory + "/namespace") {
            let namespace = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !namespace.isEmpty { configuration.namespace = namespace }
        }
        return configuration
    }

    /// The configuration the way kubectl and in-cluster clients find it: an explicit kubeconfig
    /// path, else the files in `KUBECONFIG` (merged), else in-cluster when running in a pod,
    /// else `~/.kube/config`.
    public static func load(kubeconfigPath: String? = nil, context: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            serviceAccountDirectory: String = serviceAccountDirectory) throws -> ClientConfiguration {
        if let kubeconfigPath {
            return try Kubeconfig.load(path: kubeconfigPath).clientConfiguration(context: context)
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            // Missing files in the list are skipped, as kubectl does.
            let paths = list.split(separator: ":").map(String.init).filter { FileManager.default.fileExists(atPath: $0) }
            guard !paths.isEmpty else { throw KubeconfigError("none of the files in KUBECONFIG exist: \(list)") }
            return try Kubeconfig.merged(paths.map(Kubeconfig.load(path:))).clientConfiguration(context: context)
        }
        if environment["KUBERNETES_SERVICE_HOST"] != nil {
            return try inCluster(environment: environment, serviceAccountDirectory: serviceAccountDirectory)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let defaultPath = home + "/.kube/config"
        guard FileManager.default.fileExists(atPath: defaultPath) else {
            throw KubeconfigError("no configuration: KUBECONFIG is unset, not running in a pod, and \(defaultPath) does not exist")
        }
        return try Kubeconfig.load(path: defaultPath).clientConfiguration(context: context)
    }
}
