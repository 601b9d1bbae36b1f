import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

@Suite struct PrintingNetworkTests {
    static func makeService(_ spec: JSONObject, status: JSONObject = [:]) -> JSONValue {
        ["metadata": printedMetadata("web"), "spec": .object(spec), "status": .object(status)]
    }

    static let services: [PrintCase] = [
        PrintCase("cluster IP", makeService(["type": "ClusterIP", "clusterIP": "10.43.0.10", "clusterIPs": ["10.43.0.10"],
                                         "ports": [["port": 53, "protocol": "UDP"], ["port": 53, "protocol": "TCP"]],
                                         "selector": ["k8s-app": "dns"]]),
                  ["web", "ClusterIP", "10.43.0.10", "<none>", "53/UDP,53/TCP", "10m", "k8s-app=dns"]),
        PrintCase("node port", makeService(["type": "NodePort", "clusterIPs": ["10.43.12.4"],
                                        "ports": [["port": 80, "nodePort": 30080, "protocol": "TCP"]],
                                        "selector": ["app": "web"]]),
                  ["web", "NodePort", "10.43.12.4", "<none>", "80:30080/TCP", "10m", "app=web"]),
        PrintCase("headless without ports or selector", makeService(["type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"]]),
                  ["web", "ClusterIP", "None", "<none>", "<none>", "10m", "<none>"]),
        PrintCase("cluster IP with external IPs", makeService(["type": "ClusterIP", "clusterIPs": ["10.43.0.5"],
                                                          "externalIPs": ["192.0.2.1", "192.0.2.2"],
                                                          "ports": [["port": 443, "protocol": "TCP"]]]),
                  ["web", "ClusterIP", "10.43.0.5", "192.0.2.1,192.0.2.2", "443/TCP", "10m", "<none>"]),
        PrintCase("load balancer still pending", makeService(["type": "LoadBalancer", "clusterIPs": ["10.43.0.6"],
                                                         "ports": [["port": 80, "nodePort": 31000, "protocol": "TCP"]]]),
                  ["web", "LoadBalancer", "10.43.0.6", "<pending>", "80:31000/TCP", "10m", "<none>"]),
        PrintCase("load balancer with addresses, unclipped",
                  makeService(["type": "LoadBalancer", "clusterIPs": ["10.43.0.6"], "externalIPs": ["192.0.2.9"],
                           "ports": [["port": 80, "nodePort": 31000, "protocol": "TCP"]]],
                          status: ["loadBalancer": ["ingress": [["hostname": "lb.example.com"], ["ip": "203.0.113.7"],
                                                                ["ip": "203.0.113.7"]]]]),
                  ["web", "LoadBalancer", "10.43.0.6", "203.0.113.7,lb.example.com,192.0.2.9", "80:31000/TCP", "10m", "<none>"]),
        PrintCase("external name", makeService(["type": "ExternalName", "externalName": "db.example.com"]),
                  ["web", "ExternalName", "<none>", "db.example.com", "<none>", "10m", "<none>"]),
    ]

    @Test(arguments: services)
    func serviceCells(_ testCase: PrintCase) { expectCells(ServicePrinter(), testCase) }

    static let endpoints: [PrintCase] = [
        PrintCase("no subsets", ["metadata": printedMetadata("web")], ["web", "<none>", "10m"]),
        PrintCase("addresses per port, capped at three",
                  ["metadata": printedMetadata("web"),
                   "subsets": [["addresses": [["ip": "10.42.0.5"], ["ip": "10.42.1.6"]],
                                "ports": [["port": 8080, "protocol": "TCP"], ["port": 9090, "protocol": "TCP"]]]]],
                  ["web", "10.42.0.5:8080,10.42.1.6:8080,10.42.0.5:9090 + 1 more...", "10m"]),
        PrintCase("headless subset without ports, IPv6",
                  ["metadata": printedMetadata("web"), "subsets": [["addresses": [["ip": "fd00::5"]]],
                                                                  ["addresses": [["ip": "fd00::6"]], "ports": [["port": 80]]]]],
                  ["web", "fd00::5,[fd00::6]:80", "10m"]),
        PrintCase("only not-ready addresses",
                  ["metadata": printedMetadata("web"), "subsets": [["notReadyAddresses": [["ip": "10.42.0.5"]],
                                                                   "ports": [["port": 80]]]]],
                  ["web", "", "10m"]),
    ]

    @Test(arguments: endpoints)
    func endpointsCells(_ testCase: PrintCase) { expectCells(EndpointsPrinter(), testCase) }

    static let slices: [PrintCase] = [
        PrintCase("ports and addresses",
                  ["metadata": printedMetadata("web-abc"), "addressType": "IPv4",
                   "ports": [["port": 80, "name": "http"], ["name": "metrics"], [:], ["port": 9000]],
                   "endpoints": [["addresses": ["10.42.0.5"]], ["addresses": ["10.42.1.6"]]]],
                  ["web-abc", "IPv4", "80,metrics,* + 1 more...", "10.42.0.5,10.42.1.6", "10m"]),
        PrintCase("empty", ["metadata": printedMetadata("web-abc"), "addressType": "IPv6"],
                  ["web-abc", "IPv6", "<unset>", "<unset>", "10m"]),
    ]

    @Test(arguments: slices)
    func endpointSliceCells(_ testCase: PrintCase) { expectCells(EndpointSlicePrinter(), testCase) }

    static func makeIngress(rules: [JSONValue], tls: Bool = false, status: JSONValue = [:]) -> JSONValue {
        var spec: JSONObject = ["ingressClassName": "skiff", "rules": .array(rules)]
        if tls { spec["tls"] = [["hosts": ["a.example.com"], "secretName": "tls"]] }
        return ["metadata": printedMetadata("site"), "spec": .object(spec), "status": status]
    }

    static let ingresses: [PrintCase] = [
        PrintCase("hosts and TLS", makeIngress(rules: [["host": "a.example.com"], ["host": "b.example.com"]], tls: true,
                                           status: ["loadBalancer": ["ingress": [["ip": "192.0.2.10"]]]]),
                  ["site", "skiff", "a.example.com,b.example.com", "192.0.2.10", "80, 443", "10m"]),
        PrintCase("no hosts", makeIngress(rules: [["http": ["paths": []]]]),
                  ["site", "skiff", "*", "", "80", "10m"]),
        PrintCase("more hosts than shown",
                  makeIngress(rules: [["host": "a"], [:], ["host": "b"], ["host": "c"], ["host": "d"], ["host": "e"]]),
                  ["site", "skiff", "a,b,c + 3 more...", "", "80", "10m"]),
    ]

    @Test(arguments: ingresses)
    func ingressCells(_ testCase: PrintCase) { expectCells(IngressPrinter(), testCase) }

    @Test func ingressWithoutClass() {
        let cells = IngressPrinter().cells(for: ["metadata": printedMetadata("site"), "spec": [:]], now: printingNow)
        #expect(cells == ["site", "<none>", "*", "", "80", "10m"])
    }

    @Test func ingressClass() {
        expectCells(IngressClassPrinter(), PrintCase(
            "with parameters", ["metadata": printedMetadata("skiff"),
                                "spec": ["controller": "skiff.dev/ingress",
                                         "parameters": ["apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "p"]]],
            ["skiff", "skiff.dev/ingress", "IngressParameters.k8s.example.com/p", "10m"]))
        expectCells(IngressClassPrinter(), PrintCase(
            "plain", ["metadata": printedMetadata("skiff"), "spec": ["controller": "skiff.dev/ingress"]],
            ["skiff", "skiff.dev/ingress", "<none>", "10m"]))
    }

    @Test func networkPolicy() {
        expectCells(NetworkPolicyPrinter(), PrintCase(
            "selects app", ["metadata": printedMetadata("deny"), "spec": ["podSelector": ["matchLabels": ["app": "db"]]]],
            ["deny", "app=db", "10m"]))
        expectCells(NetworkPolicyPrinter(), PrintCase(
            "selects all", ["metadata": printedMetadata("deny"), "spec": ["podSelector": [:]]],
            ["deny", "<none>", "10m"]))
    }

    @Test func ipAddressAndServiceCIDR() {
        expectCells(IPAddressPrinter(), PrintCase(
            "service IP", ["metadata": printedMetadata("10.43.0.1"),
                           "spec": ["parentRef": ["group": "", "resource": "services", "namespace": "default", "name": "kubernetes"]]],
            ["10.43.0.1", "services/default/kubernetes"]))
        expectCells(ServiceCIDRPrinter(), PrintCase(
            "dual stack", ["metadata": printedMetadata("kubernetes"), "spec": ["cidrs": ["10.43.0.0/16", "fd00:43::/112"]]],
            ["kubernetes", "10.43.0.0/16,fd00:43::/112", "10m"]))
    }
}
