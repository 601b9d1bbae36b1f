import Foundation
import Testing
import KubeModel
@testable import KubeAPIServer

/// Secret and ConfigMap rules.
@Suite struct StrategyConfigValidationTests {
    static let megabyte = Data(repeating: 65, count: 1024 * 1024)

    static let secretCases: [InvalidCase<CoreV1.Secret>] = [
        .init("keys are config keys", "data[bad key]", .invalid) { $0.data = ["bad key": Data("x".utf8)] },
        .init("keys are not '..'", "data[..]", .invalid, detail: "must not be '..'") { $0.data = ["..": Data()] },
        .init("at most 1 MiB", "data", .tooLong) { $0.data = ["a": megabyte, "b": Data("x".utf8)] },
        .init("string data keys too", "data[a/b]", .invalid) { $0.stringData = ["a/b": "x"] },
        .init("TLS secrets have a certificate", "data[tls.crt]", .required) { $0.type = "kubernetes.io/tls"; $0.data = ["tls.key": Data()] },
        .init("TLS secrets have a key", "data[tls.key]", .required) { $0.type = "kubernetes.io/tls"; $0.data = ["tls.crt": Data()] },
        .init("token secrets name their account", "metadata.annotations[kubernetes.io/service-account.name]", .required) {
            $0.type = "kubernetes.io/service-account-token"
        },
        .init("docker config present", "data[.dockerconfigjson]", .required) { $0.type = "kubernetes.io/dockerconfigjson" },
        .init("docker config is JSON", "data[.dockerconfigjson]", .invalid) {
            $0.type = "kubernetes.io/dockerconfigjson"
            $0.data = [".dockerconfigjson": Data("{not json".utf8)]
        },
        .init("basic auth has a user or password", "data[username]", .required) { $0.type = "kubernetes.io/basic-auth" },
        .init("ssh auth has a key", "data[ssh-privatekey]", .required) { $0.type = "kubernetes.io/ssh-auth" },
    ]

    @Test(arguments: secretCases)
    func invalidSecret(_ testCase: InvalidCase<CoreV1.Secret>) {
        var secret: CoreV1.Secret = StrategyHarness.decode(#"{"metadata":{"name":"creds"}}"#)
        testCase.change(&secret)
        expectError(StrategyHarness.create(SecretStrategy(), secret).errors, field: testCase.field, type: testCase.type, detail: testCase.detail)
    }

    @Test func tooLargeSecretMessage() {
        var secret: CoreV1.Secret = StrategyHarness.decode(#"{"metadata":{"name":"big"}}"#)
        secret.data = ["a": Self.megabyte + Data("x".utf8)]
        let error = StrategyHarness.create(SecretStrategy(), secret).errors.first
        // Upstream's current wording of field.TooLong (older releases said "must have at most").
        #expect(error?.description == "data: Too long: may not be more than 1048576 bytes")
    }

    static func immutableSecret() -> CoreV1.Secret {
        StrategyHarness.decode(#"{"metadata":{"name":"frozen"},"immutable":true,"data":{"a":"eA=="}}"#)
    }

    @Test func secretUpdates() {
        let (_, data) = StrategyHarness.update(SecretStrategy(), Self.immutableSecret()) { $0.data = ["a": Data("y".utf8)] }
        expectError(data, field: "data", type: .forbidden, detail: "field is immutable when `immutable` is set")
        let (_, flag) = StrategyHarness.update(SecretStrategy(), Self.immutableSecret()) { $0.immutable = false }
        expectError(flag, field: "immutable", type: .forbidden)
        let (_, type) = StrategyHarness.update(SecretStrategy(), Self.immutableSecret()) { $0.type = "kubernetes.io/basic-auth"; $0.data?["username"] = Data() }
        expectError(type, field: "type", type: .invalid, detail: "field is immutable")
        let (_, labels) = StrategyHarness.update(SecretStrategy(), Self.immutableSecret()) { $0.metadata.labels = ["a": "b"] }
        #expect(labels.isEmpty)
    }

    static let configMapCases: [InvalidCase<CoreV1.ConfigMap>] = [
        .init("data keys", "data[a b]", .invalid) { $0.data = ["a b": "x"] },
        .init("binary keys", "binaryData[a:b]", .invalid) { $0.binaryData = ["a:b": Data()] },
        .init("no key twice", "data[k]", .invalid, detail: "duplicate of key present in binaryData") {
            $0.data = ["k": "x"]
            $0.binaryData = ["k": Data()]
        },
        .init("at most 1 MiB in all", "", .tooLong) {
            $0.data = ["a": String(repeating: "x", count: 1024 * 1024)]
            $0.binaryData = ["b": Data("x".utf8)]
        },
    ]

    @Test(arguments: configMapCases)
    func invalidConfigMap(_ testCase: InvalidCase<CoreV1.ConfigMap>) {
        var configMap: CoreV1.ConfigMap = StrategyHarness.decode(#"{"metadata":{"name":"cfg"}}"#)
        testCase.change(&configMap)
        expectError(StrategyHarness.create(ConfigMapStrategy(), configMap).errors, field: testCase.field, type: testCase.type, detail: testCase.detail)
    }

    @Test func immutableConfigMap() {
        let configMap: CoreV1.ConfigMap = StrategyHarness.decode(#"{"metadata":{"name":"cfg"},"immutable":true,"data":{"a":"1"}}"#)
        let (_, errors) = StrategyHarness.update(ConfigMapStrategy(), configMap) { $0.data = ["a": "2"]; $0.binaryData = ["b": Data()] }
        expectError(errors, field: "data", type: .forbidden)
        expectError(errors, field: "binaryData", type: .forbidden)
    }
}
