import Testing
@testable import KubeAPIServer

/// The pure helpers under the strategies: IP addresses, image references.
@Suite struct StrategyHelperTests {
    @Test(arguments: ["10.42.0.1", "::1", "2001:db8::ffff", "::ffff:10.0.0.1", "fe80::1:2:3:4", "010.001.0.1"])
    func validIPs(_ text: String) {
        #expect(IPAddress(text) != nil)
    }

    @Test(arguments: ["10.42.0", "10.42.0.256", "1::2::3", "2001:db8::g", "", "1.2.3.4.5", "10.0.0.1%eth0"])
    func invalidIPs(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func specialIPs() {
        #expect(IPAddress("127.0.0.1")!.isLoopback && IPAddress("::1")!.isLoopback)
        #expect(IPAddress("169.254.1.1")!.isLinkLocalUnicast && IPAddress("fe80::1")!.isLinkLocalUnicast)
        #expect(IPAddress("224.0.0.251")!.isLinkLocalMulticast && IPAddress("0.0.0.0")!.isUnspecified)
        #expect(IPAddress("::ffff:10.0.0.1")!.isIPv4)
        #expect(IPAddress.parseCIDR("10.42.0.0/16")?.prefix == 16 && IPAddress.parseCIDR("10.42.0.0/33") == nil)
    }

    @Test func imageReferences() {
        #expect(ImageReference("registry.local:5000/team/app:1.2")?.tag == "1.2")
        #expect(ImageReference("registry.local:5000/team/app")?.repository == "registry.local:5000/team/app")
        #expect(ImageReference("Team/App") == nil)
        #expect(ImageReference("app:") == nil)
    }
}
