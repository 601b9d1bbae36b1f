import Testing

@testable import KubeModel

/// Hand-built `application/vnd.kubernetes.protobuf` bodies decode to the JSON the same object
/// would have been sent as.
@Suite struct ProtobufDecodingTests {
    @Test func namespace() throws {
        let body = protobufBody(apiVersion: "v1", kind: "Namespace") {
            $0.message(1) { writeObjectMeta(&$0, name: "foo") }
            $0.message(2) { _ in }
            $0.message(3) { $0.string(1, "") }
        }
        try expectJSON(
            try KubernetesProtobuf.decode(body),
            #"{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"foo","creationTimestamp":null},"spec":{},"status":{}}"#)
    }

    @Test func configMapWithData() throws {
        let body = protobufBody(apiVersion: "v1", kind: "ConfigMap") {
            $0.message(1) { writeObjectMeta(&$0, name: "x", namespace: "default") }
            $0.entry(2, "a", "b")
            $0.entry(2, "empty", "")
            $0.entry(3, "bin", bytes: [0xde, 0xad])
        }
        try expectJSON(
            try KubernetesProtobuf.decode(body),
            #"""
            {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","namespace":"default","creationTimestamp":null},
             "data":{"a":"b","empty":""},"binaryData":{"bin":"3q0="}}
            """#)
    }

    @Test func secretWithBytes() throws {
        let body = protobufBody(apiVersion: "v1", kind: "Secret") {
            $0.message(1) { writeObjectMeta(&$0, name: "s", namespace: "default") }
            $0.entry(2, "p", bytes: Array("q".utf8))
            $0.entry(2, "raw", bytes: [0, 1, 2, 255])
            $0.string(3, "Opaque")
        }
        try expectJSON(
            try KubernetesProtobuf.decode(body),
            #"""
            {"kind":"Secret","apiVersion":"v1","metadata":{"name":"s","namespace":"default","creationTimestamp":null},
             "data":{"p":"cQ==","raw":"AAEC/w=="},"type":"Opaque"}
            """#)
    }

    /// replicas 0 is a pointer set to zero and must survive; minReadySeconds 0 and paused false are
    /// plain fields Go writes anyway and JSON would omit.
    @Test func deployment() throws {
        let labels = [("app", "d")]
        let body = protobufBody(apiVersion: "apps/v1", kind: "Deployment") {
            $0.message(1) { writeObjectMeta(&$0, name: "d", namespace: "default", labels: labels) }
            $0.message(2) { spec in
                spec.int(1, 0)
                spec.message(2) { $0.entry(1, "app", "d") }
                spec.message(3) { template in
                    template.message(1) { writeObjectMeta(&$0, name: "", labels: labels) }
                    template.message(2) { pod in
                        pod.message(2) { container in
                            container.string(1, "nginx")
                            container.string(2, "nginx:1.27")
                            container.string(5, "")
                            container.message(6) { port in
                                port.string(1, "http")
                                port.int(2, 0)
                                port.int(3, 80)
                                port.string(4, "TCP")
                                port.string(5, "")
                            }
                            container.message(8) { resources in
                                resources.quantity(1, "memory", "128Mi")
                                resources.quantity(2, "cpu", "100m")
                                resources.quantity(2, "memory", "64Mi")
                            }
                            container.string(13, "")
                            container.string(14, "")
                            container.bool(16, false)
                            container.bool(17, false)
                            container.bool(18, false)
                        }
                        pod.string(3, "")
                        pod.string(6, "")
                        pod.bool(11, false)
                        pod.int(25, -5)
                    }
                }
                spec.message(4) { strategy in
                    strategy.string(1, "RollingUpdate")
                    strategy.message(2) { rolling in
                        rolling.message(1) {
                            $0.int(1, 0)
                            $0.int(2, 1)
                            $0.string(3, "")
                        }
                        rolling.message(2) {
                            $0.int(1, 1)
                            $0.int(2, 0)
                            $0.string(3, "25%")
                        }
                    }
                }
                spec.int(5, 0)
                spec.bool(7, false)
            }
            $0.message(3) { status in
                status.int(1, 0)
                status.int(2, 0)
            }
        }
        try expectJSON(
            try KubernetesProtobuf.decode(body),
            #"""
            {"kind":"Deployment","apiVersion":"apps/v1",
             "metadata":{"name":"d","namespace":"default","creationTimestamp":null,"labels":{"app":"d"}},
             "spec":{"replicas":0,"selector":{"matchLabels":{"app":"d"}},
               "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"d"}},
                 "spec":{"containers":[{"name":"nginx","image":"nginx:1.27",
                   "ports":[{"name":"http","containerPort":80,"protocol":"TCP"}],
                   "resources":{"limits":{"memory":"128Mi"},"requests":{"cpu":"100m","memory":"64Mi"}}}],
                   "priority":-5}},
               "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":"25%"}}},
             "status":{}}
            """#)
    }

    @Test func unknownFieldsAreSkipped() throws {
        let body = protobufBody(apiVersion: "v1", kind: "ConfigMap") {
            $0.message(1) { writeObjectMeta(&$0, name: "x") }
            $0.string(99, "from a newer release")
            $0.int(100, 7)
            $0.double(101, 1.5)
            $0.entry(2, "a", "b")
        }
        try expectJSON(
            try KubernetesProtobuf.decode(body),
            #"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","creationTimestamp":null},"data":{"a":"b"}}"#)
    }

    /// Embedded structs (VolumeSource in Volume, LocalObjectReference in selectors) are flattened,
    /// pointer bools keep false, and packed repeated numbers are read.
    @Test func inlineStructsPointerFalseAndPackedLists() throws {
        let body = protobufBody(apiVersion: "v1", kind: "Pod") {
            $0.message(1) { writeObjectMeta(&$0, name: "p") }
            $0.message(2) { pod in
                pod.message(1) { volume in
                    volume.string(1, "config")
                    volume.message(2) { source in
                        source.message(19) { configMap in
                            configMap.message(1) { $0.string(1, "settings") }
                            configMap.int(3, 420)
                            configMap.bool(4, false)
                        }
                    }
                }
                pod.message(2) { container in
                    container.string(1, "app")
                    container.message(7) { env in
                        env.string(1, "KEY")
                        env.message(3) { source in
                            source.message(4) { selector in
                                selector.message(1) { $0.string(1, "creds") }
                                selector.string(2, "token")
                            }
                        }
                    }
                    container.string(24, "Always")
                    container.message(25) { rule in
                        rule.string(1, "Restart")
                        rule.message(2) { exitCodes in
                            exitCodes.string(1, "In")
                            var packed = ProtoWriter()
                            packed.varint(42)
                            packed.varint(43)
                            exitCodes.bytes(2, packed.buffer)
                        }
                    }
                    container.message(15) { security in
                        security.bool(7, false)
                        security.int(4, 0)
                    }
                }
                pod.bool(21, false)
                pod.int(4, 0)
            }
        }
        try expectJSON(
            try KubernetesProtobuf.decode(body),
            #"""
            {"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","creationTimestamp":null},
             "spec":{
               "volumes":[{"name":"config","configMap":{"name":"settings","defaultMode":420,"optional":false}}],
               "containers":[{"name":"app",
                 "env":[{"name":"KEY","valueFrom":{"secretKeyRef":{"name":"creds","key":"token"}}}],
                 "restartPolicy":"Always",
                 "restartPolicyRules":[{"action":"Restart","exitCodes":{"operator":"In","values":[42,43]}}],
                 "securityContext":{"allowPrivilegeEscalation":false,"runAsUser":0}}],
               "automountServiceAccountToken":false,"terminationGracePeriodSeconds":0}}
            """#)
    }

    @Test func timesAndMicroTimes() throws {
        let body = protobufBody(apiVersion: "coordination.k8s.io/v1", kind: "Lease") {
            $0.message(1) { meta in
                writeObjectMeta(&meta, name: "node-1", namespace: "kube-node-lease")
                meta.message(9) {
                    $0.int(1, 1_714_557_600)
                    $0.int(2, 999_000_000)
                }
            }
            $0.message(2) { spec in
                spec.string(1, "node-1")
                spec.int(2, 40)
                spec.message(4) {
                    $0.int(1, 1_714_557_600)
                    $0.int(2, 123_456_789)
                }
            }
        }
        try expectJSON(
            try KubernetesProtobuf.decode(body),
            #"""
            {"kind":"Lease","apiVersion":"coordination.k8s.io/v1",
             "metadata":{"name":"node-1","namespace":"kube-node-lease","creationTimestamp":null,
                         "deletionTimestamp":"2024-05-01T10:00:00Z"},
             "spec":{"holderIdentity":"node-1","leaseDurationSeconds":40,"renewTime":"2024-05-01T10:00:00.123456Z"}}
            """#)
    }

    @Test func roleBindingKeepsRequiredEmptyFields() throws {
        let body = protobufBody(apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding") {
            $0.message(1) { writeObjectMeta(&$0, name: "rb", namespace: "default") }
            $0.message(2) { subject in
                subject.string(1, "User")
                subject.string(2, "rbac.authorization.k8s.io")
                subject.string(3, "alice")
                subject.string(4, "")
            }
            $0.message(3) { ref in
                ref.string(1, "rbac.authorization.k8s.io")
                ref.string(2, "Role")
                ref.string(3, "reader")
            }
        }
        try expectJSON(
            try KubernetesProtobuf.decode(body),
            #"""
            {"kind":"RoleBinding","apiVersion":"rbac.authorization.k8s.io/v1",
             "metadata":{"name":"rb","namespace":"default","creationTimestamp":null},
             "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"alice"}],
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"reader"}}
            """#)
    }

    /// `value` has no omitempty in Go (a zero default in OpenAPI v3): a JSON body always carries it.
    @Test func fieldsWithoutOmitemptyKeepZero() throws {
        let body = protobufBody(apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass") {
            $0.message(1) { writeObjectMeta(&$0, name: "low") }
            $0.int(2, 0)
            $0.bool(3, false)
            $0.string(4, "")
        }
        try expectJSON(
            try KubernetesProtobuf.decode(body),
            #"{"kind":"PriorityClass","apiVersion":"scheduling.k8s.io/v1","metadata":{"name":"low","creationTimestamp":null},"value":0}"#)
    }

    @Test(arguments: [
        ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
        ("example.com/v1", "Widget"),
        ("v1", "NoSuchKind"),
    ])
    func kindsWithoutATableAreUnsupported(apiVersion: String, kind: String) {
        let body = protobufBody(apiVersion: apiVersion, kind: kind) { $0.message(1) { writeObjectMeta(&$0, name: "x") } }
        let error = #expect(throws: ProtobufDecodeError.self) { try KubernetesProtobuf.decode(body) }
        guard case .unsupported? = error else {
            Issue.record("expected unsupported, got \(String(describing: error))")
            return
        }
    }

    @Test func malformedBodies() {
        let notMagic: [UInt8] = Array(#"{"kind":"Namespace"}"#.utf8)
        let truncated = Array(protobufBody(apiVersion: "v1", kind: "Namespace") { $0.message(1) { writeObjectMeta(&$0, name: "foo") } }.dropLast(3))
        let gzip: [UInt8] = {
            var unknown = ProtoWriter()
            unknown.message(1) {
                $0.string(1, "v1")
                $0.string(2, "Namespace")
            }
            unknown.bytes(2, [])
            unknown.string(3, "gzip")
            return KubernetesProtobuf.magic + unknown.buffer
        }()
        for (body, wantUnsupported) in [(notMagic, false), (truncated, false), (gzip, true)] {
            let error = #expect(throws: ProtobufDecodeError.self) { try KubernetesProtobuf.decode(body) }
            switch error {
            case .unsupported?: #expect(wantUnsupported)
            case .malformed?: #expect(!wantUnsupported)
            case nil: break
            }
        }
    }

    @Test func envelopeFields() throws {
        let body = protobufBody(apiVersion: "batch/v1", kind: "Job") { $0.string(1, "ignored") }
        let envelope = try KubernetesProtobuf.envelope(body)
        #expect(envelope.apiVersion == "batch/v1")
        #expect(envelope.kind == "Job")
        #expect(envelope.contentEncoding.isEmpty && envelope.contentType.isEmpty)
        #expect(!envelope.raw.isEmpty)
    }

    /// Every kind the server serves (apart from CRDs, whose schemas stay JSON) can be decoded.
    @Test func servedKindsHaveACompleteTable() {
        let table = ProtobufFieldTable.shared
        for (gvk, definition) in SchemaCatalog.definitionNameByKind
        where gvk.group != "meta.k8s.io" && gvk.group != "apiextensions.k8s.io" && !gvk.kind.hasSuffix("List")
            && table.messages[definition] != nil
        {
            #expect(table.decodable.contains(definition), "\(gvk) (\(definition))")
        }
        for kind in ["io.k8s.api.core.v1.Pod", "io.k8s.api.apps.v1.Deployment", "io.k8s.api.batch.v1.CronJob",
                     "io.k8s.api.rbac.v1.Role", "io.k8s.api.networking.v1.Ingress", "io.k8s.api.core.v1.Service"]
        {
            #expect(table.decodable.contains(kind), "\(kind)")
        }
        #expect(!table.decodable.contains("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition"))
    }
}
