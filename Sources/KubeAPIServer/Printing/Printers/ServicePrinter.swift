import Foundation
import KubeModel

/// `kubectl get services`: type, cluster IP, external address and ports ("80:30080/TCP").
struct ServicePrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Type", description: FieldDoc.api("core.v1.ServiceSpec", "type")),
        TableColumn("Cluster-IP", description: FieldDoc.api("core.v1.ServiceSpec", "clusterIP")),
        TableColumn("External-IP", description: FieldDoc.api("core.v1.ServiceSpec", "externalIPs")),
        TableColumn("Port(s)", description: FieldDoc.api("core.v1.ServiceSpec", "ports")),
        .age,
        TableColumn("Selector", description: FieldDoc.api("core.v1.ServiceSpec", "selector"), priority: 1),
    ]

    func cells(of service: CoreV1.Service, now: Date) -> [JSONValue] {
        let spec = service.spec
        // clusterIPs is authoritative; clusterIP alone stands in for objects written without it.
        let clusterIP = spec.clusterIPs?.first ?? spec.clusterIP
        return [
            CellText.name(service.metadata),
            CellText.string(spec.type),
            .string(CellText.value(clusterIP, ifEmpty: "<none>")),
            .string(externalIP(service)),
            .string(CellText.value(ports(spec.ports), ifEmpty: "<none>")),
            CellText.age(service.metadata, now: now),
            .string(CellText.labels(spec.selector)),
        ]
    }

    private func externalIP(_ service: CoreV1.Service) -> String {
        let externalIPs = service.spec.externalIPs ?? []
        switch service.spec.type ?? "" {
        case "ClusterIP", "NodePort":
            return externalIPs.isEmpty ? "<none>" : externalIPs.joined(separator: ",")
        case "LoadBalancer":
            let points = (service.status.loadBalancer?.ingress ?? []).map { (ip: $0.ip, hostname: $0.hostname) }
            let balancer = CellText.loadBalancerAddresses(points)
            if !externalIPs.isEmpty {
                return ((balancer.isEmpty ? [] : [balancer]) + externalIPs).joined(separator: ",")
            }
            return balancer.isEmpty ? "<pending>" : balancer
        case "ExternalName":
            return service.spec.externalName ?? ""
        default:
            return "<unknown>"
        }
    }

    /// "port/protocol", or "port:nodePort/protocol" when a node port is allocated.
    private func ports(_ ports: [CoreV1.ServicePort]?) -> String {
        (ports ?? []).map { port in
            let protocolName = port.protocol ?? ""
            if let nodePort = port.nodePort, nodePort > 0 { return "\(port.port):\(nodePort)/\(protocolName)" }
            return "\(port.port)/\(protocolName)"
        }.joined(separator: ",")
    }
}
