import Foundation
import KubeClient
import KubeModel

/// Measures what a namespace uses of the resources a quota limits (upstream's CalculateUsage),
/// with the same evaluators quota admission charges by: pods (counts and compute resources
/// of pods not finished), services (counts, node ports, load balancers), claims (counts and
/// storage, per storage class) and object counts (`count/<resource>[.<group>]` and the legacy
/// names). Every tracked resource starts at zero.
struct QuotaUsageCalculator: Sendable {
    /// Lists the objects of a resource in a namespace, as JSON.
    let list: @Sendable (_ group: String, _ plural: String, _ namespace: String) async throws -> [JSONValue]
    /// Resolves `plural.group` names of `count/` resources to whether they are served.
    let isServed: @Sendable (_ group: String, _ plural: String) async -> Bool

    static let legacyCountNames: [String: String] = [
        "configmaps": "configmaps", "secrets": "secrets", "resourcequotas": "resourcequotas",
        "replicationcontrollers": "replicationcontrollers",
    ]

    /// The evaluators the quota's hard resources call for, with the names each answers for.
    func evaluators(for hard: [String]) async -> [(evaluator: QuotaEvaluator, group: String, plural: String, names: [String])] {
        var result: [(QuotaEvaluator, String, String, [String])] = []
        var covered = Set<String>()
        for (group, plural) in [("", "pods"), ("", "services"), ("", "persistentvolumeclaims")] {
            let evaluator = QuotaEvaluator(group: group, plural: plural)
            let names = evaluator.matchingResources(hard)
            if !names.isEmpty {
                result.append((evaluator, group, plural, names))
                covered.formUnion(names)
            }
        }
        var counted: Set<String> = []
        for name in hard where !covered.contains(name) {
            let resource: (group: String, plural: String)
            if let plural = Self.legacyCountNames[name] {
                resource = ("", plural)
            } else if name.hasPrefix("count/") {
                let qualified = name.dropFirst("count/".count)
                if let dot = qualified.firstIndex(of: ".") {
                    resource = (String(qualified[qualified.index(after: dot)...]), String(qualified[..<dot]))
                } else {
                    resource = ("", String(qualified))
                }
            } else {
                continue
            }
            let id = resource.group + "/" + resource.plural
            guard !counted.contains(id), await isServed(resource.group, resource.plural) else { continue }
            counted.insert(id)
            let evaluator = QuotaEvaluator(group: resource.group, plural: resource.plural)
            result.append((evaluator, resource.group, resource.plural, evaluator.matchingResources(hard)))
        }
        return result
    }

    /// The usage of every resource of `hard` some evaluator measures.
    func usage(of quota: CoreV1.ResourceQuota, hard: ResourceList, now: Date) async throws -> ResourceList {
        let namespace = quota.metadata.namespace ?? ""
        let scopes = QuotaScope.of(quota)
        var used: ResourceList = [:]
        for (evaluator, group, plural, names) in await evaluators(for: Array(hard.keys)) {
            for name in names { used[name] = used[name] ?? .zero }
            // Only pods have scopes; a scoped quota counts nothing else.
            if !scopes.isEmpty, evaluator.kind != .pods { continue }
            for object in try await list(group, plural, namespace) {
                if try !scopes.allSatisfy({ try evaluator.matchesScope($0, object: object) }) { continue }
                let amounts = QuotaResourceList.mask(try evaluator.usage(object, now: now), names)
                used = QuotaResourceList.add(used, amounts)
            }
        }
        return used
    }
}
