import Foundation
import KubeModel

/// `kubectl get endpoints`: the first three ready address:port pairs and how many more.
struct EndpointsPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Endpoints", description: FieldDoc.api("core.v1.Endpoints", "subsets")),
        .age,
    ]

    func cells(of endpoints: CoreV1.Endpoints, now: Date) -> [JSONValue] {
        [CellText.name(endpoints.metadata), .string(addresses(endpoints.subsets)), CellText.age(endpoints.metadata, now: now)]
    }

    /// Every ready address once per port of its subset; headless subsets without ports list
    /// bare IPs.
    private func addresses(_ subsets: [CoreV1.EndpointSubset]?) -> String {
        guard let subsets, !subsets.isEmpty else { return "<none>" }
        var items: [String] = []
        for subset in subsets {
            let addresses = subset.addresses ?? []
            guard let ports = subset.ports, !ports.isEmpty else {
                items += addresses.map(\.ip)
                continue
            }
            for port in ports {
                items += addresses.map { CellText.hostPort($0.ip, port.port) }
            }
        }
        return CellText.list(items, empty: "")
    }
}
