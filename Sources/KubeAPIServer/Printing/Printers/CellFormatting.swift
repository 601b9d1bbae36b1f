import Foundation
import KubeModel

/// Cell texts several printers share, each as upstream formats it.
enum CellText {
    /// `layoutContainerCells`: container names and images, comma-separated.
    static func containers(_ containers: [CoreV1.Container]?) -> (names: JSONValue, images: JSONValue) {
        let containers = containers ?? []
        return (.string(containers.map(\.name).joined(separator: ",")),
                .string(containers.map { $0.image ?? "" }.joined(separator: ",")))
    }

    /// `labels.FormatLabels`: sorted `key=value` pairs, or "<none>".
    static func labels(_ labels: [String: String]?) -> String {
        guard let labels, !labels.isEmpty else { return "<none>" }
        return labels.keys.sorted().map { "\($0)=\(labels[$0]!)" }.joined(separator: ",")
    }

    /// `metav1.FormatLabelSelector`: the selector's string form, "<none>" when it selects
    /// everything or is missing, "<error>" when it is invalid.
    static func selector(_ selector: MetaV1.LabelSelector?) -> String {
        guard let selector else { return "<none>" }
        guard let text = selectorString(selector) else { return "<error>" }
        return text.isEmpty ? "<none>" : text
    }

    /// `LabelSelectorAsSelector(...).String()`: nil for an invalid selector, "" for a missing one.
    static func selectorString(_ selector: MetaV1.LabelSelector?) -> String? {
        guard let selector else { return "" }
        let expressions = (selector.matchExpressions ?? []).map {
            LabelSelectorExpression(key: $0.key, operator: $0.operator, values: $0.values ?? [])
        }
        return (try? LabelSelector(matchLabels: selector.matchLabels ?? [:], matchExpressions: expressions))?.description
    }

    /// `printBoolPtr`: "True", "False" or "<unset>".
    static func bool(_ value: Bool?) -> String {
        guard let value else { return "<unset>" }
        return value ? "True" : "False"
    }

    /// `listWithMoreString`: the first few items and how many more there are, or `empty`.
    static func list(_ items: [String], shown: Int = 3, empty: String = "<unset>") -> String {
        let text = items.prefix(shown).joined(separator: ",")
        if items.count > shown { return "\(text) + \(items.count - shown) more..." }
        return text.isEmpty ? empty : text
    }

    /// `net.JoinHostPort`: IPv6 hosts go in brackets.
    static func hostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The load-balancer addresses of a Service or Ingress status: each ingress point's IP, or
    /// its hostname, deduplicated and sorted. The server prints wide, so nothing is clipped.
    static func loadBalancerAddresses(_ points: [(ip: String?, hostname: String?)]) -> String {
        var addresses = Set<String>()
        for point in points {
            if let ip = point.ip, !ip.isEmpty {
                addresses.insert(ip)
            } else if let hostname = point.hostname, !hostname.isEmpty {
                addresses.insert(hostname)
            }
        }
        return addresses.sorted().joined(separator: ",")
    }

    /// `helper.GetAccessModesAsString`: RWO, ROX, RWX, RWOP in that order, each once.
    static func accessModes(_ modes: [String]?) -> String {
        let present = Set(modes ?? [])
        let abbreviations = [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"),
                             ("ReadWriteOncePod", "RWOP")]
        return abbreviations.filter { present.contains($0.0) }.map(\.1).joined(separator: ",")
    }

    /// A quantity as upstream's `Quantity.String()` prints it; a missing one is zero ("0").
    static func quantity(_ quantity: Quantity?) -> String {
        (quantity ?? .zero).description
    }

    /// How long ago the object was created.
    static func age(_ metadata: MetaV1.ObjectMeta, now: Date) -> JSONValue {
        .string(HumanDuration.since(metadata.creationTimestamp?.date, now: now))
    }

    static func name(_ metadata: MetaV1.ObjectMeta) -> JSONValue {
        .string(metadata.name ?? "")
    }

    static func int(_ value: Int?) -> JSONValue {
        .int(Int64(value ?? 0))
    }

    /// Go's `string` of an optional field: "" when missing.
    static func string(_ value: String?) -> JSONValue {
        .string(value ?? "")
    }

    /// The value when present and not empty (Go cannot tell "" from unset), else `placeholder`.
    static func value(_ value: String?, ifEmpty placeholder: String) -> String {
        guard let value, !value.isEmpty else { return placeholder }
        return value
    }
}
