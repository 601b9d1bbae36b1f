import Foundation
import KubeModel

/// `kubectl get ingresses`: class, hosts, load-balancer address and served ports.
struct IngressPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Class", description: "The name of the IngressClass resource that should be used for additional configuration"),
        TableColumn("Hosts", description: "Hosts that incoming requests are matched against before the ingress rule"),
        TableColumn("Address", description: "Address is a list containing ingress points for the load-balancer"),
        TableColumn("Ports", description: "Ports of TLS configurations that open"),
        .age,
    ]

    func cells(of ingress: NetworkingV1.Ingress, now: Date) -> [JSONValue] {
        let points = (ingress.status.loadBalancer?.ingress ?? []).map { (ip: $0.ip, hostname: $0.hostname) }
        return [
            CellText.name(ingress.metadata),
            .string(ingress.spec.ingressClassName ?? "<none>"),
            .string(hosts(ingress.spec.rules ?? [])),
            .string(CellText.loadBalancerAddresses(points)),
            .string((ingress.spec.tls ?? []).isEmpty ? "80" : "80, 443"),
            CellText.age(ingress.metadata, now: now),
        ]
    }

    /// The first three rule hosts, "*" when no rule names one. Past three, the count of the
    /// remaining rules (with a host or not) is shown, as upstream counts them.
    private func hosts(_ rules: [NetworkingV1.IngressRule]) -> String {
        let shown = 3
        var listed: [String] = []
        var more = false
        for rule in rules {
            if listed.count == shown {
                more = true
                break
            }
            if let host = rule.host, !host.isEmpty { listed.append(host) }
        }
        if listed.isEmpty { return "*" }
        let text = listed.joined(separator: ",")
        return more ? "\(text) + \(rules.count - shown) more..." : text
    }
}
