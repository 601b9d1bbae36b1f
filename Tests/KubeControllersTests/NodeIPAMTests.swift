import Foundation
import KubeClient
@testable import KubeControllers
import KubeModel
import Testing

@Suite("Node IPAM")
struct NodeIPAMTests {
    func ipam(_ context: ControllerContext) -> [any Controller] { [NodeIPAMController(context: context)] }

    func podCIDR(_ cluster: TestAPIServer, _ name: String) async throws -> String? {
        try await cluster.resource(CoreV1.Node.self).get(name).spec.podCIDR
    }

    @Test("each node gets its own /24; assignments on nodes are kept and never handed out twice")
    func allocation() async throws {
        let cluster = try await TestAPIServer.make()
        // A node that already holds the first subnet, as after a restart.
        try await cluster.makeNode("old", podCIDR: "10.42.0.0/24")
        try await cluster.running(ipam) {
            try await cluster.makeNode("a")
            try await cluster.makeNode("b")
            try await eventually("new nodes get no pod CIDR") {
                guard try await podCIDR(cluster, "a") != nil else { return false }
                return try await podCIDR(cluster, "b") != nil
            }
            let a = try await cluster.resource(CoreV1.Node.self).get("a")
            let b = try await cluster.resource(CoreV1.Node.self).get("b")
            #expect(Set([a.spec.podCIDR, b.spec.podCIDR]) == ["10.42.1.0/24", "10.42.2.0/24"])
            #expect(a.spec.podCIDRs == [a.spec.podCIDR!])
            #expect(try await podCIDR(cluster, "old") == "10.42.0.0/24")
        }
        // A restarted controller reads what is assigned and continues after it.
        try await cluster.running(ipam) {
            try await cluster.makeNode("c")
            try await eventually("the node after a restart gets no pod CIDR") { try await podCIDR(cluster, "c") != nil }
            #expect(try await podCIDR(cluster, "c") == "10.42.3.0/24")
            // A deleted node's subnet is free again, but only handed out after the others.
            try await cluster.resource(CoreV1.Node.self).delete("a")
            try await cluster.makeNode("d")
            try await eventually("no pod CIDR for d") { try await podCIDR(cluster, "d") != nil }
            #expect(try await podCIDR(cluster, "d") == "10.42.4.0/24")
        }
    }

    @Test("CIDR sets cut the cluster range and go round")
    func cidrSet() throws {
        var set = try CIDRSet(cidr: "10.42.0.0/22", subnetPrefix: 24)
        #expect(set.capacity == 4)
        #expect((0..<4).map { set.cidr($0) } == ["10.42.0.0/24", "10.42.1.0/24", "10.42.2.0/24", "10.42.3.0/24"])
        #expect(set.index(of: "10.42.2.0/24") == 2)
        #expect(set.index(of: "10.42.2.1/24") == nil)
        #expect(set.index(of: "10.43.0.0/24") == nil)
        #expect(set.index(of: "10.42.0.0/25") == nil)
        set.occupy(1)
        #expect(set.allocate() == 0)
        #expect(set.allocate() == 2)
        set.release(0)
        #expect(set.allocate() == 3)
        #expect(set.allocate() == 0)
        #expect(set.allocate() == nil)
        #expect(throws: CIDRSet.Failure.self) { try CIDRSet(cidr: "10.42.0.0", subnetPrefix: 24) }
        #expect(throws: CIDRSet.Failure.self) { try CIDRSet(cidr: "10.42.0.0/16", subnetPrefix: 12) }
    }
}
