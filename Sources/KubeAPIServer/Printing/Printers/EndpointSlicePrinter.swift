import Foundation
import KubeModel

/// `kubectl get endpointslices`: address type, ports and the first three addresses.
struct EndpointSlicePrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("AddressType", description: FieldDoc.api("discovery.v1.EndpointSlice", "addressType")),
        TableColumn("Ports", description: FieldDoc.api("discovery.v1.EndpointSlice", "ports")),
        TableColumn("Endpoints", description: FieldDoc.api("discovery.v1.EndpointSlice", "endpoints")),
        .age,
    ]

    func cells(of slice: DiscoveryV1.EndpointSlice, now: Date) -> [JSONValue] {
        // A port is shown by number, else by name, else "*" (all ports).
        let ports = (slice.ports ?? []).map { port in port.port.map(String.init) ?? port.name ?? "*" }
        let addresses = (slice.endpoints ?? []).flatMap(\.addresses)
        return [
            CellText.name(slice.metadata),
            .string(slice.addressType),
            .string(CellText.list(ports)),
            .string(CellText.list(addresses)),
            CellText.age(slice.metadata, now: now),
        ]
    }
}
