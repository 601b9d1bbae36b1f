import Foundation
import KubeModel

/// `kubectl get horizontalpodautoscalers` (autoscaling/v2): the scaled object, each metric as
/// "current/target", the replica bounds and the current count.
struct HorizontalPodAutoscalerPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Reference", description: FieldDoc.api("autoscaling.v2.HorizontalPodAutoscalerSpec", "scaleTargetRef")),
        TableColumn("Targets", description: FieldDoc.api("autoscaling.v2.HorizontalPodAutoscalerSpec", "metrics")),
        TableColumn("MinPods", description: FieldDoc.api("autoscaling.v2.HorizontalPodAutoscalerSpec", "minReplicas")),
        TableColumn("MaxPods", description: FieldDoc.api("autoscaling.v2.HorizontalPodAutoscalerSpec", "maxReplicas")),
        TableColumn("Replicas", description: FieldDoc.api("autoscaling.v2.HorizontalPodAutoscalerStatus", "currentReplicas")),
        .age,
    ]

    func cells(of autoscaler: AutoscalingV2.HorizontalPodAutoscaler, now: Date) -> [JSONValue] {
        let spec = autoscaler.spec
        return [
            CellText.name(autoscaler.metadata),
            .string("\(spec.scaleTargetRef.kind)/\(spec.scaleTargetRef.name)"),
            .string(Self.targets(spec.metrics ?? [], autoscaler.status.currentMetrics ?? [])),
            .string(spec.minReplicas.map(String.init) ?? "<unset>"),
            .int(Int64(spec.maxReplicas)),
            CellText.int(autoscaler.status.currentReplicas),
            CellText.age(autoscaler.metadata, now: now),
        ]
    }

    /// The first two metrics (and how many more); status entries pair with specs by position.
    static func targets(_ specs: [AutoscalingV2.MetricSpec], _ statuses: [AutoscalingV2.MetricStatus]) -> String {
        if specs.isEmpty { return "<none>" }
        let shown = 2
        let texts = specs.enumerated().map { index, spec in
            describe(spec, status: index < statuses.count ? statuses[index] : nil)
        }
        let text = texts.prefix(shown).joined(separator: ", ")
        return texts.count > shown ? "\(text) + \(texts.count - shown) more..." : text
    }

    private static func describe(_ spec: AutoscalingV2.MetricSpec, status: AutoscalingV2.MetricStatus?) -> String {
        switch spec.type {
        case "External":
            guard let source = spec.external else { return "<unknown type>" }
            return ratio(source.target, current: status?.external.map(\.current))
        case "Pods":
            guard let source = spec.pods else { return "<unknown type>" }
            // Pods metrics always compare average values.
            let current = status?.pods.map { quantity($0.current.averageValue) } ?? "<unknown>"
            return "\(current)/\(quantity(source.target.averageValue))"
        case "Object":
            guard let source = spec.object else { return "<unknown type>" }
            return ratio(source.target, current: status?.object.map(\.current))
        case "Resource":
            guard let source = spec.resource else { return "<unknown type>" }
            return ratio(source.target, current: status?.resource.map(\.current), resource: source.name)
        case "ContainerResource":
            guard let source = spec.containerResource else { return "<unknown type>" }
            return ratio(source.target, current: status?.containerResource.map(\.current), resource: source.name)
        default:
            return "<unknown type>"
        }
    }

    /// "current/target" for one metric. External and object metrics compare values, or
    /// average values marked "(avg)"; resource metrics are prefixed by the resource name and
    /// compare average values or utilization percentages.
    private static func ratio(_ target: AutoscalingV2.MetricTarget, current: AutoscalingV2.MetricValueStatus?,
                              resource: String? = nil) -> String {
        switch (target.averageValue, resource) {
        case (let average?, let resource?):
            let now = current.map { quantity($0.averageValue) } ?? "<unknown>"
            return "\(resource): \(now)/\(average.description)"
        case (let average?, nil):
            let now = current?.averageValue.map(\.description) ?? "<unknown>"
            return "\(now)/\(average.description) (avg)"
        case (nil, let resource?):
            let now = current?.averageUtilization.map { "\($0)%" } ?? "<unknown>"
            let goal = target.averageUtilization.map { "\($0)%" } ?? "<auto>"
            return "\(resource): \(now)/\(goal)"
        case (nil, nil):
            let now = current.map { quantity($0.value) } ?? "<unknown>"
            return "\(now)/\(quantity(target.value))"
        }
    }

    /// Upstream prints a missing quantity pointer as "<nil>".
    private static func quantity(_ quantity: Quantity?) -> String {
        quantity?.description ?? "<nil>"
    }
}
