import Testing
import KubeModel
@testable import KubeAPIServer

/// Service, Endpoints, EndpointSlice and Ingress rules.
@Suite struct StrategyServiceValidationTests {
    typealias Case = InvalidCase<CoreV1.Service>

    static let cases: [Case] = [
        Case("ports required", "spec.ports", .required) { $0.spec.ports = [] },
        Case("port names are DNS labels", "spec.ports[0].name", .invalid) { $0.spec.ports?[0].name = "HTTP" },
        Case("several ports are named", "spec.ports[1].name", .required) {
            $0.spec.ports = [CoreV1.ServicePort(name: "http", port: 80), CoreV1.ServicePort(port: 443)]
        },
        Case("port names unique", "spec.ports[1].name", .duplicate) {
            $0.spec.ports = [CoreV1.ServicePort(name: "http", port: 80), CoreV1.ServicePort(name: "http", port: 8080)]
        },
        Case("port numbers in range", "spec.ports[0].port", .invalid) { $0.spec.ports?[0].port = 0 },
        Case("ports unique per protocol", "spec.ports[1]", .duplicate) {
            $0.spec.ports = [CoreV1.ServicePort(name: "a", port: 80), CoreV1.ServicePort(name: "b", port: 80)]
        },
        Case("protocol supported", "spec.ports[0].protocol", .notSupported) { $0.spec.ports?[0].protocol = "HTTP" },
        Case("target port name valid", "spec.ports[0].targetPort", .invalid) { $0.spec.ports?[0].targetPort = "web_port" },
        Case("target port number valid", "spec.ports[0].targetPort", .invalid) { $0.spec.ports?[0].targetPort = 70000 },
        Case("node ports only for NodePort and LoadBalancer", "spec.ports[0].nodePort", .forbidden) { $0.spec.ports?[0].nodePort = 30080 },
        Case("type supported", "spec.type", .notSupported) { $0.spec.type = "Internal" },
        Case("headless is not for NodePort", "spec.clusterIPs[0]", .invalid, detail: "may not be set to 'None' for NodePort services") {
            $0.spec.type = "NodePort"
            $0.spec.clusterIP = "None"
        },
        Case("ExternalName needs a name", "spec.externalName", .required) { $0.spec.type = "ExternalName" },
        Case("ExternalName is a DNS name", "spec.externalName", .invalid) { $0.spec.type = "ExternalName"; $0.spec.externalName = "not a host" },
        Case("ExternalName has no cluster IP", "spec.clusterIPs", .forbidden) {
            $0.spec.type = "ExternalName"
            $0.spec.externalName = "db.example.com"
            $0.spec.clusterIP = "10.43.0.20"
        },
        Case("selector labels valid", "spec.selector", .invalid) { $0.spec.selector = ["app": "web server"] },
        Case("session affinity supported", "spec.sessionAffinity", .notSupported) { $0.spec.sessionAffinity = "Sticky" },
        Case("cluster IPs are IPs", "spec.clusterIPs[0]", .invalid) { $0.spec.clusterIP = "10.43.0" },
        Case("external IPs not loopback", "spec.externalIPs[0]", .invalid, detail: "may not be in the loopback range") {
            $0.spec.externalIPs = ["127.0.0.1"]
        },
        Case("source ranges only for LoadBalancer", "spec.LoadBalancerSourceRanges", .forbidden) { $0.spec.loadBalancerSourceRanges = ["10.0.0.0/8"] },
        Case("traffic policy only when external", "spec.externalTrafficPolicy", .invalid) { $0.spec.externalTrafficPolicy = "Local" },
        Case("kubelet port stays private", "spec.ports[0]", .invalid) { $0.spec.type = "LoadBalancer"; $0.spec.ports?[0].port = 10250 },
        Case("client IP timeout bounded", "spec.sessionAffinityConfig.clientIP.timeoutSeconds", .invalid) {
            $0.spec.sessionAffinity = "ClientIP"
            $0.spec.sessionAffinityConfig = CoreV1.SessionAffinityConfig(clientIP: CoreV1.ClientIPConfig(timeoutSeconds: 100_000))
        },
    ]

    @Test(arguments: cases)
    func invalidService(_ testCase: Case) {
        var service = Fixtures.service()
        testCase.change(&service)
        expectError(StrategyHarness.create(ServiceStrategy(), service).errors, field: testCase.field, type: testCase.type, detail: testCase.detail)
    }

    static func allocated() -> CoreV1.Service {
        var service = Fixtures.service()
        service.spec.clusterIP = "10.43.0.25"
        return service
    }

    @Test func clusterIPMayNotChange() {
        let (_, errors) = StrategyHarness.update(ServiceStrategy(), Self.allocated()) { $0.spec.clusterIP = "10.43.0.26" }
        expectError(errors, field: "spec.clusterIPs[0]", type: .invalid, detail: "may not change once set")
    }

    @Test func replaceWithoutAllocatedValuesKeepsThem() {
        var nodePort = Self.allocated()
        nodePort.spec.type = "NodePort"
        nodePort.spec.ports?[0].nodePort = 30080
        let (updated, errors) = StrategyHarness.update(ServiceStrategy(), nodePort) { service in
            service.spec.clusterIP = nil
            service.spec.clusterIPs = nil
            service.spec.ports?[0].nodePort = nil
        }
        #expect(errors.isEmpty)
        #expect(updated.spec.clusterIP == "10.43.0.25" && updated.spec.clusterIPs == ["10.43.0.25"])
        #expect(updated.spec.ports?[0].nodePort == 30080)
    }

    @Test func typeChangesDropWhatTheNewTypeDoesNotUse() {
        var nodePort = Self.allocated()
        nodePort.spec.type = "NodePort"
        nodePort.spec.ports?[0].nodePort = 30080
        let (clusterIP, errors) = StrategyHarness.update(ServiceStrategy(), nodePort) { $0.spec.type = "ClusterIP" }
        #expect(errors.isEmpty)
        #expect(clusterIP.spec.ports?[0].nodePort == nil && clusterIP.spec.externalTrafficPolicy == nil)

        let (external, externalErrors) = StrategyHarness.update(ServiceStrategy(), Self.allocated()) { service in
            service.spec.type = "ExternalName"
            service.spec.externalName = "db.example.com"
        }
        #expect(externalErrors.isEmpty)
        #expect(external.spec.clusterIP == nil && external.spec.ipFamilies == nil && external.spec.ipFamilyPolicy == nil)
    }

    @Test func noSelectableFieldsBeyondMetadata() {
        #expect(ServiceStrategy().selectableFields(CoreV1.Service()).isEmpty)
    }

    static let endpointsCases: [InvalidCase<CoreV1.Endpoints>] = [
        .init("addresses required", "subsets[0]", .required) { $0.subsets?[0].addresses = nil },
        .init("addresses are IPs", "subsets[0].addresses[0].ip", .invalid) { $0.subsets?[0].addresses?[0].ip = "pod-a" },
        .init("addresses not loopback", "subsets[0].addresses[0].ip", .invalid, detail: "may not be in the loopback range") {
            $0.subsets?[0].addresses?[0].ip = "127.0.0.1"
        },
        .init("ports in range", "subsets[0].ports[0].port", .invalid) { $0.subsets?[0].ports?[0].port = 0 },
        .init("several ports named", "subsets[0].ports[1].name", .required) { $0.subsets?[0].ports?.append(CoreV1.EndpointPort(port: 81)) },
    ]

    @Test(arguments: endpointsCases)
    func invalidEndpoints(_ testCase: InvalidCase<CoreV1.Endpoints>) {
        var endpoints: CoreV1.Endpoints = StrategyHarness.decode(
            #"{"metadata":{"name":"web"},"subsets":[{"addresses":[{"ip":"10.42.0.5"}],"ports":[{"port":80}]}]}"#)
        testCase.change(&endpoints)
        expectError(StrategyHarness.create(EndpointsStrategy(), endpoints).errors, field: testCase.field, type: testCase.type, detail: testCase.detail)
    }

    static let sliceCases: [InvalidCase<DiscoveryV1.EndpointSlice>] = [
        .init("address type required", "addressType", .required) { $0.addressType = "" },
        .init("address type supported", "addressType", .notSupported) { $0.addressType = "MAC" },
        .init("addresses of the type", "endpoints[0].addresses[0]", .invalid, detail: "must be a valid IPv4 address") {
            $0.endpoints?[0].addresses = ["fd00::1"]
        },
        .init("endpoint has an address", "endpoints[0].addresses", .required) { $0.endpoints?[0].addresses = [] },
        .init("port names unique", "ports[1].name", .duplicate) { $0.ports?.append(DiscoveryV1.EndpointPort(name: "http", port: 81)) },
    ]

    static func slice() -> DiscoveryV1.EndpointSlice {
        StrategyHarness.decode(#"{"metadata":{"name":"web-abc"},"addressType":"IPv4","endpoints":[{"addresses":["10.42.0.5"]}],"ports":[{"name":"http","port":80}]}"#)
    }

    @Test(arguments: sliceCases)
    func invalidEndpointSlice(_ testCase: InvalidCase<DiscoveryV1.EndpointSlice>) {
        var slice = Self.slice()
        testCase.change(&slice)
        expectError(StrategyHarness.create(EndpointSliceStrategy(), slice).errors, field: testCase.field, type: testCase.type, detail: testCase.detail)
    }

    @Test func endpointSliceAddressTypeImmutable() {
        let (_, errors) = StrategyHarness.update(EndpointSliceStrategy(), Self.slice()) { $0.addressType = "FQDN"; $0.endpoints?[0].addresses = ["a.example.com"] }
        expectError(errors, field: "addressType", type: .invalid, detail: "field is immutable")
        let (defaulted, _) = StrategyHarness.create(EndpointSliceStrategy(), Self.slice())
        #expect(defaulted.ports?[0].protocol == "TCP")
    }

    static let ingressCases: [InvalidCase<NetworkingV1.Ingress>] = [
        .init("rules or default backend", "spec", .invalid, detail: "either `defaultBackend` or `rules` must be specified") { $0.spec.rules = nil },
        .init("path type required", "spec.rules[0].http.paths[0].pathType", .required, detail: "pathType must be specified") {
            $0.spec.rules?[0].http?.paths[0].pathType = ""
        },
        .init("path type supported", "spec.rules[0].http.paths[0].pathType", .notSupported) { $0.spec.rules?[0].http?.paths[0].pathType = "Regex" },
        .init("paths absolute", "spec.rules[0].http.paths[0].path", .invalid, detail: "must be an absolute path") {
            $0.spec.rules?[0].http?.paths[0].path = "api"
        },
        .init("paths clean", "spec.rules[0].http.paths[0].path", .invalid, detail: "must not contain '//'") {
            $0.spec.rules?[0].http?.paths[0].path = "/api//v1"
        },
        .init("backend required", "spec.rules[0].http.paths[0].backend", .invalid, detail: "resource or service backend is required") {
            $0.spec.rules?[0].http?.paths[0].backend = NetworkingV1.IngressBackend()
        },
        .init("backend port required", "spec.rules[0].http.paths[0].backend", .required, detail: "port name or number is required") {
            $0.spec.rules?[0].http?.paths[0].backend.service?.port = nil
        },
        .init("backend service is a DNS-1035 label", "spec.rules[0].http.paths[0].backend.service.name", .invalid) {
            $0.spec.rules?[0].http?.paths[0].backend.service?.name = "1web"
        },
        .init("hosts are names", "spec.rules[0].host", .invalid, detail: "must be a DNS name, not an IP address") { $0.spec.rules?[0].host = "10.0.0.1" },
        .init("paths listed", "spec.rules[0].http.paths", .required) { $0.spec.rules?[0].http?.paths = [] },
    ]

    @Test(arguments: ingressCases)
    func invalidIngress(_ testCase: InvalidCase<NetworkingV1.Ingress>) {
        var ingress: NetworkingV1.Ingress = StrategyHarness.decode(#"""
            {"metadata":{"name":"web"},"spec":{"rules":[{"host":"*.example.com","http":{"paths":[{"path":"/","pathType":"Prefix",
              "backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}}
            """#)
        testCase.change(&ingress)
        expectError(StrategyHarness.create(IngressStrategy(), ingress).errors, field: testCase.field, type: testCase.type, detail: testCase.detail)
    }
}
