import Foundation
import KubeModel
import Testing

@testable import KubeClient

@Suite("Kubeconfig and in-cluster configuration")
struct ConfigurationTests {
    /// A scratch directory removed after the test.
    func withDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try body(directory)
    }

    func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static let fileBased = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: dev-cluster
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority: pki/ca.crt
            tls-server-name: kubernetes
        users:
        - name: dev-user
          user:
            client-certificate: pki/client.crt
            client-key: /abs/client.key
            tokenFile: token
        contexts:
        - name: dev
          context:
            cluster: dev-cluster
            user: dev-user
            namespace: team-a
        """

    @Test("file references resolve against the kubeconfig's directory; inline data wins over files")
    func parsesFileReferences() throws {
        try withDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory + "/pki", withIntermediateDirectories: true)
            try write("CA PEM", to: directory + "/pki/ca.crt")
            try write(Self.fileBased, to: directory + "/config")
            let config = try Kubeconfig.load(path: directory + "/config")
            #expect(config.currentContext == "dev")
            #expect(config.clusters.first?.certificateAuthority == directory + "/pki/ca.crt")
            #expect(config.users.first?.clientCertificate == directory + "/pki/client.crt")
            #expect(config.users.first?.clientKey == "/abs/client.key")
            #expect(config.users.first?.tokenFile == directory + "/token")

            var withoutClientFiles = config
            withoutClientFiles.users[0].clientCertificate = nil
            withoutClientFiles.users[0].clientKey = nil
            let resolved = try withoutClientFiles.clientConfiguration()
            #expect(resolved.server == "https://10.0.0.1:6443")
            #expect(resolved.certificateAuthorityPEM == Array("CA PEM".utf8))
            #expect(resolved.tlsServerName == "kubernetes")
            #expect(resolved.namespace == "team-a")
            #expect(resolved.bearerTokenFile == directory + "/token")

            var inline = withoutClientFiles
            inline.clusters[0].certificateAuthorityData = Data("INLINE".utf8).base64EncodedString()
            #expect(try inline.clientConfiguration().certificateAuthorityPEM == Array("INLINE".utf8))

            #expect(throws: KubeconfigError.self) { try config.clientConfiguration() }  // client cert file missing
            #expect(throws: KubeconfigError.self) { try config.clientConfiguration(context: "nope") }
        }
    }

    @Test("a kubeconfig written by the server reads back the same")
    func roundTrip() throws {
        let original = Kubeconfig.admin(server: "https://127.0.0.1:6443", caPEM: "ca", certificatePEM: "cert", keyPEM: "key")
        let parsed = try Kubeconfig(yaml: original.yaml())
        #expect(parsed == original)
        let configuration = try parsed.clientConfiguration()
        #expect(configuration.clientCertificatePEM == Array("cert".utf8))
        #expect(configuration.clientKeyPEM == Array("key".utf8))
    }

    @Test("KUBECONFIG merges files: the first definition of a name and the first current-context win; missing files are skipped")
    func mergesKubeconfigVariable() throws {
        try withDirectory { directory in
            try write("""
                current-context: second
                clusters:
                - name: shared
                  cluster: {server: "https://first:6443"}
                users:
                - name: u
                  user: {token: first-token}
                contexts:
                - name: second
                  context: {cluster: shared, user: u}
                """, to: directory + "/a")
            try write("""
                current-context: other
                clusters:
                - name: shared
                  cluster: {server: "https://second:6443"}
                contexts:
                - name: second
                  context: {cluster: ignored, user: ignored}
                """, to: directory + "/b")
            let environment = ["KUBECONFIG": "\(directory)/missing:\(directory)/a:\(directory)/b", "HOME": directory]
            let configuration = try ClientConfiguration.load(environment: environment)
            #expect(configuration.server == "https://first:6443")
            #expect(configuration.bearerToken == "first-token")
        }
    }

    @Test("in a pod: server from the service variables, CA, rotating token and namespace from the mount")
    func inCluster() throws {
        try withDirectory { directory in
            try write("token-1\n", to: directory + "/token")
            try write("CA", to: directory + "/ca.crt")
            try write("kube-system\n", to: directory + "/namespace")
            let environment = ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"]
            let configuration = try ClientConfiguration.load(environment: environment, serviceAccountDirectory: directory)
            #expect(configuration.server == "https://[fd00::1]:443")
            #expect(configuration.certificateAuthorityPEM == Array("CA".utf8))
            #expect(configuration.namespace == "kube-system")
            #expect(configuration.bearerTokenFile == directory + "/token")

            let source = BearerTokenSource(token: nil, file: directory + "/token", refreshInterval: 60)
            let now = Date()
            #expect(source.token(now: now) == "token-1")
            try write("token-2", to: directory + "/token")
            #expect(source.token(now: now.addingTimeInterval(1)) == "token-1", "cached within the refresh interval")
            #expect(source.token(now: now.addingTimeInterval(61)) == "token-2", "re-read after it")

            #expect(throws: KubeconfigError.self) {
                try ClientConfiguration.inCluster(environment: [:], serviceAccountDirectory: directory)
            }
        }
    }

    @Test("without KUBECONFIG or a pod, ~/.kube/config is used; with none of them loading fails")
    func defaultLocation() throws {
        try withDirectory { directory in
            #expect(throws: KubeconfigError.self) { try ClientConfiguration.load(environment: ["HOME": directory]) }
            try FileManager.default.createDirectory(atPath: directory + "/.kube", withIntermediateDirectories: true)
            try Kubeconfig.admin(server: "https://home:6443", caPEM: "ca", certificatePEM: "c", keyPEM: "k").write(to: directory + "/.kube/config")
            #expect(try ClientConfiguration.load(environment: ["HOME": directory]).server == "https://home:6443")
        }
    }

    @Test("server URLs", arguments: [
        ("https://127.0.0.1:6443", true, "127.0.0.1", 6443, "", true),
        ("https://[::1]:8443/prefix/", true, "::1", 8443, "/prefix", true),
        ("http://api.local", false, "api.local", 80, "", false),
        ("kubernetes.default.svc", true, "kubernetes.default.svc", 443, "", false),
    ])
    func serverAddress(url: String, tls: Bool, host: String, port: Int, prefix: String, isIP: Bool) throws {
        let address = try ServerAddress(url)
        #expect(address.useTLS == tls)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.pathPrefix == prefix)
        #expect(address.hostIsIPAddress == isIP)
    }

    @Test("request targets are percent-encoded; RBAC-style names keep their colons")
    func requestURI() {
        let request = ClientRequest(method: "GET", path: "/apis/rbac.authorization.k8s.io/v1/clusterroles/system:node",
                                    query: [QueryItem("labelSelector", "app in (a,b),tier!=db"), QueryItem("limit", "5")])
        #expect(request.uri == "/apis/rbac.authorization.k8s.io/v1/clusterroles/system:node?labelSelector=app%20in%20%28a%2Cb%29%2Ctier%21%3Ddb&limit=5")
    }

    @Test("error responses become APIStatusError with the server's status, or one made from the code")
    func statusErrors() {
        let body = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"configmaps"},"code":404}"#
        let notFound = APIStatusError(response: 404, body: Array(body.utf8))
        #expect(notFound.isNotFound)
        #expect(!notFound.isConflict)
        #expect(notFound.status.details?.name == "x")
        #expect(notFound.message == "configmaps \"x\" not found")

        let plain = APIStatusError(response: 409, body: Array("conflict!".utf8))
        #expect(plain.isConflict)
        #expect(plain.reason == "Conflict")
        #expect(plain.message == "conflict!")
        #expect(APIStatusError(response: 410, body: []).isGone)
        #expect(APIStatusError(code: 409, reason: "AlreadyExists", message: "").isAlreadyExists)
        #expect(!APIStatusError(code: 409, reason: "AlreadyExists", message: "").isConflict)
    }
}
