import Foundation
import KubeClient
@testable import KubeControllers
import KubeModel
import Testing

@Suite("Endpoints and EndpointSlice controllers")
struct EndpointsControllerTests {
    static let namespace = "svc"

    func controllers(_ context: ControllerContext) -> [any Controller] {
        [EndpointsController(context: context), EndpointSliceController(context: context)]
    }

    func makeService(_ cluster: TestAPIServer, headless: Bool = false, publishNotReady: Bool = false,
                     ports: [CoreV1.ServicePort] = [CoreV1.ServicePort(name: "http", port: 80, targetPort: "http")]) async throws {
        var service = CoreV1.Service()
        service.metadata.name = "web"
        service.metadata.labels = ["tier": "front"]
        service.spec.selector = ["app": "web"]
        service.spec.ports = ports.isEmpty ? nil : ports
        if headless { service.spec.clusterIP = "None" }
        service.spec.publishNotReadyAddresses = publishNotReady
        _ = try await cluster.resource(CoreV1.Service.self, Self.namespace).create(service)
    }

    /// A pod with a named container port, optionally bound to a node.
    func makeServedPod(_ cluster: TestAPIServer, _ name: String, port: Int = 8080, node: String? = nil,
                       finalizers: [String]? = nil) async throws {
        var pod = makePod(name, namespace: Self.namespace, labels: ["app": "web"])
        pod.spec.containers[0].ports = [CoreV1.ContainerPort(containerPort: port, name: "http")]
        pod.spec.nodeName = node
        pod.metadata.finalizers = finalizers
        _ = try await cluster.resource(CoreV1.Pod.self, Self.namespace).create(pod)
    }

    func endpoints(_ cluster: TestAPIServer) async throws -> CoreV1.Endpoints? {
        try? await cluster.resource(CoreV1.Endpoints.self, Self.namespace).get("web")
    }

    func slices(_ cluster: TestAPIServer) async throws -> [DiscoveryV1.EndpointSlice] {
        try await cluster.resource(DiscoveryV1.EndpointSlice.self, Self.namespace)
            .list(ListOptions(labelSelector: "kubernetes.io/service-name=web")).items
    }

    @Test("ready, not ready, addressless and terminating pods")
    func readiness() async throws {
        let cluster = try await TestAPIServer.make()
        try await cluster.makeNamespace(Self.namespace)
        try await cluster.makeNode("node-a")
        try await makeService(cluster)
        try await makeServedPod(cluster, "ready", node: "node-a")
        try await makeServedPod(cluster, "waiting", node: "node-a")
        try await makeServedPod(cluster, "unstarted")
        try await makeServedPod(cluster, "leaving", node: "node-a", finalizers: ["example.com/hold"])
        try await cluster.setPodStatus(Self.namespace, "ready", ip: "10.42.0.2", ready: true)
        try await cluster.setPodStatus(Self.namespace, "waiting", ip: "10.42.0.3", ready: false)
        try await cluster.setPodStatus(Self.namespace, "leaving", ip: "10.42.0.4", ready: true)
        try await cluster.resource(CoreV1.Pod.self, Self.namespace).delete("leaving")

        try await cluster.running(controllers) {
            try await eventually("Endpoints never list the pods") {
                let subsets = try await endpoints(cluster)?.subsets ?? []
                return subsets.count == 1 && subsets[0].addresses?.count == 1 && subsets[0].notReadyAddresses?.count == 1
            }
            let object = try #require(try await endpoints(cluster))
            let subset = try #require(object.subsets?.first)
            #expect(subset.addresses?.map(\.ip) == ["10.42.0.2"])
            #expect(subset.addresses?.first?.nodeName == "node-a")
            #expect(subset.addresses?.first?.targetRef?.name == "ready")
            #expect(subset.addresses?.first?.targetRef?.kind == "Pod")
            #expect(subset.notReadyAddresses?.map(\.ip) == ["10.42.0.3"])
            #expect(subset.ports == [CoreV1.EndpointPort(name: "http", port: 8080, protocol: "TCP")])
            #expect(object.metadata.labels == ["tier": "front", "endpoints.kubernetes.io/managed-by": "endpoint-controller"])

            try await eventually("the EndpointSlice never lists the pods") {
                try await slices(cluster).flatMap { $0.endpoints ?? [] }.count == 3
            }
            let slice = try #require(try await slices(cluster).first)
            #expect(slice.addressType == "IPv4")
            #expect(slice.metadata.labels?["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io")
            #expect(slice.metadata.labels?["tier"] == "front")
            #expect(slice.metadata.ownerReferences?.first?.kind == "Service")
            #expect(slice.ports == [DiscoveryV1.EndpointPort(name: "http", port: 8080, protocol: "TCP")])
            let byName = Dictionary(uniqueKeysWithValues: (slice.endpoints ?? []).map { ($0.targetRef?.name ?? "", $0) })
            #expect(byName["ready"]?.conditions == DiscoveryV1.EndpointConditions(ready: true, serving: true, terminating: false))
            #expect(byName["waiting"]?.conditions == DiscoveryV1.EndpointConditions(ready: false, serving: false, terminating: false))
            #expect(byName["leaving"]?.conditions == DiscoveryV1.EndpointConditions(ready: false, serving: true, terminating: true))
            #expect(byName["ready"]?.nodeName == "node-a")
            #expect(byName["ready"]?.addresses == ["10.42.0.2"])

            // The waiting pod becomes ready.
            try await cluster.setPodStatus(Self.namespace, "waiting", ip: "10.42.0.3", ready: true)
            try await eventually("Endpoints never follow readiness") {
                try await endpoints(cluster)?.subsets?.first?.addresses?.map(\.ip) == ["10.42.0.2", "10.42.0.3"]
            }
            try await eventually("the EndpointSlice never follows readiness") {
                try await slices(cluster).flatMap { $0.endpoints ?? [] }.filter { $0.conditions?.ready == true }.count == 2
            }
            // The service goes: so do its Endpoints.
            try await cluster.resource(CoreV1.Service.self, Self.namespace).delete("web")
            try await eventually("Endpoints of a deleted service remain") { try await endpoints(cluster) == nil }
        }
    }

    @Test("publishNotReadyAddresses makes every address ready")
    func publishNotReady() async throws {
        let cluster = try await TestAPIServer.make()
        try await cluster.makeNamespace(Self.namespace)
        try await makeService(cluster, publishNotReady: true)
        try await makeServedPod(cluster, "waiting")
        try await cluster.setPodStatus(Self.namespace, "waiting", ip: "10.42.0.3", ready: false)
        try await cluster.running(controllers) {
            try await eventually("the not-ready pod is not published as ready") {
                try await endpoints(cluster)?.subsets?.first?.addresses?.map(\.ip) == ["10.42.0.3"]
            }
            try await eventually("the slice does not mark it ready") {
                try await slices(cluster).flatMap { $0.endpoints ?? [] }.first?.conditions
                    == DiscoveryV1.EndpointConditions(ready: true, serving: false, terminating: false)
            }
        }
    }

    @Test("headless services without ports publish addresses only")
    func headless() async throws {
        let cluster = try await TestAPIServer.make()
        try await cluster.makeNamespace(Self.namespace)
        try await makeService(cluster, headless: true, ports: [])
        try await makeServedPod(cluster, "member")
        var pod = try await cluster.resource(CoreV1.Pod.self, Self.namespace).get("member")
        pod.metadata.labels?["extra"] = "yes"
        _ = try await cluster.resource(CoreV1.Pod.self, Self.namespace).update(pod)
        let uid = pod.metadata.uid
        try await cluster.setPodStatus(Self.namespace, "member", ip: "10.42.0.5", ready: true)
        try await cluster.running(controllers) {
            try await eventually("a headless service gets no addresses") {
                try await endpoints(cluster)?.subsets == [CoreV1.EndpointSubset(addresses: [CoreV1.EndpointAddress(
                    ip: "10.42.0.5", targetRef: CoreV1.ObjectReference(kind: "Pod", name: "member", namespace: Self.namespace,
                                                                       uid: uid))])]
            }
            #expect(try await endpoints(cluster)?.metadata.labels?["service.kubernetes.io/headless"] == "")
            try await eventually("the headless slice is missing") {
                let all = try await slices(cluster)
                return all.count == 1 && all[0].ports == nil && all[0].endpoints?.count == 1
            }
        }
    }

    @Test("slices hold at most maxEndpointsPerSlice endpoints and group pods by resolved port")
    func slicing() async throws {
        let cluster = try await TestAPIServer.make()
        try await cluster.makeNamespace(Self.namespace)
        try await makeService(cluster)
        for index in 0..<5 {
            try await makeServedPod(cluster, "web-\(index)", port: index == 4 ? 9090 : 8080)
            try await cluster.setPodStatus(Self.namespace, "web-\(index)", ip: "10.42.0.\(10 + index)", ready: true)
        }
        var settings = ControllerSettings()
        settings.maxEndpointsPerSlice = 2
        try await cluster.running(settings: settings, controllers) {
            try await eventually("pods are not spread over slices") {
                let all = try await slices(cluster)
                let counts = all.map { ($0.endpoints ?? []).count }
                return all.count == 3 && counts.reduce(0, +) == 5 && counts.allSatisfy { $0 <= 2 }
            }
            let all = try await slices(cluster)
            let ports = Set(all.compactMap { $0.ports?.first?.port })
            #expect(ports == [8080, 9090])
            #expect(all.filter { $0.ports?.first?.port == 9090 }.flatMap { $0.endpoints ?? [] }.map(\.addresses) == [["10.42.0.14"]])
            // Endpoints group the two port numbers into two subsets.
            try await eventually("Endpoints do not split by port") { try await endpoints(cluster)?.subsets?.count == 2 }

            // Every pod goes: one empty placeholder slice stays.
            try await cluster.resource(CoreV1.Pod.self, Self.namespace).deleteCollection()
            try await eventually("no placeholder slice is left") {
                let all = try await slices(cluster)
                return all.count == 1 && (all[0].endpoints ?? []).isEmpty
            }
        }
    }
}
