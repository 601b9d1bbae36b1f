import Foundation
import KubeClient
import KubeModel

/// Deletes everything in one namespace (upstream's namespacedResourcesDeleter): for every
/// namespaced resource that can be deleted, a delete-collection (or one delete per object),
/// then a list to see what remains and which finalizers hold it.
struct NamespacedContentDeleter: Sendable {
    let client: APIClient
    let clock: any ClientClock
    /// How long to wait for finalizers of remaining objects before looking again (upstream: 15 s).
    static let finalizerEstimateSeconds = 15

    struct Outcome {
        var conditions = NamespaceConditions()
        /// Something is left that will go by itself (graceful deletion, finalizers).
        var remaining = false
        /// Seconds until the remaining content is expected to be gone.
        var estimateSeconds = 0
        /// Deletion failed somewhere; retried with back-off.
        var failure: NamespaceContentError?
    }

    struct NamespaceContentError: Error, CustomStringConvertible {
        var messages: [String]
        var description: String { messages.sorted().joined(separator: "; ") }
    }

    func deleteContent(of namespace: CoreV1.Namespace) async -> Outcome {
        var outcome = Outcome()
        let name = namespace.metadata.name ?? ""
        let deletedAt = namespace.metadata.deletionTimestamp?.date ?? clock.now()
        var errors: [String] = []
        let discovered: DiscoveryResult
        do {
            discovered = try await ResourceDiscovery(client: client).preferredResources()
        } catch {
            outcome.conditions.discoveryFailed(["": "\(error)"])
            outcome.failure = NamespaceContentError(messages: ["discovery failed: \(error)"])
            return outcome
        }
        if !discovered.failures.isEmpty {
            outcome.conditions.discoveryFailed(discovered.failures)
            errors.append("discovery failed for \(discovered.failures.keys.sorted().joined(separator: ", "))")
        }
        var remainingObjects: [String: Int] = [:]
        var remainingFinalizers: [String: Int] = [:]
        for resource in discovered.resources where resource.namespaced && resource.verbs.contains("delete") {
            do {
                let result = try await deleteAll(resource, in: name, deletedAt: deletedAt)
                outcome.estimateSeconds = max(outcome.estimateSeconds, result.estimate)
                if result.remaining > 0 {
                    outcome.remaining = true
                    remainingObjects[resource.description + (resource.group.isEmpty ? "." : ""), default: 0] += result.remaining
                    for (finalizer, count) in result.finalizers { remainingFinalizers[finalizer, default: 0] += count }
                }
                if result.unexplained {
                    // Nothing explains what is left: something went wrong.
                    errors.append("unexpected items still remain in namespace: \(name) for gvr: "
                                  + "\(resource.resource.apiVersion), Resource=\(resource.resource.plural)")
                }
            } catch {
                errors.append("\(error)")
            }
        }
        outcome.conditions.remaining(objects: remainingObjects, finalizers: remainingFinalizers)
        let contentErrors = errors.filter { !$0.hasPrefix("discovery failed") }
        outcome.conditions.contentDeletionFailed(contentErrors)
        if !errors.isEmpty { outcome.failure = NamespaceContentError(messages: errors) }
        return outcome
    }

    struct ResourceResult {
        var estimate = 0
        var remaining = 0
        var finalizers: [String: Int] = [:]
        /// Objects remain with neither a grace period nor finalizers to explain them.
        var unexplained = false
    }

    func deleteAll(_ resource: DiscoveredResource, in namespace: String, deletedAt: Date) async throws -> ResourceResult {
        let dynamic = client.dynamic(resource.resource, namespace: namespace)
        var estimate = 0
        if resource.group.isEmpty, resource.resource.plural == "pods" {
            estimate = try await podTerminationEstimate(namespace: namespace, deletedAt: deletedAt)
        }
        let background = MetaV1.DeleteOptions.with(propagationPolicy: PropagationPolicy.background)
        if resource.verbs.contains("deletecollection") {
            try await dynamic.deleteCollection(options: background)
        } else if resource.verbs.contains("list") {
            for item in try await dynamic.listAll().items {
                guard let name = item[path: ["metadata", "name"]]?.stringValue else { continue }
                do { try await dynamic.delete(name, options: background) } catch let error as APIStatusError where error.isNotFound {}
            }
        }
        guard resource.verbs.contains("list") else { return ResourceResult(estimate: estimate) }
        let left = try await dynamic.listAll().items
        guard !left.isEmpty else { return ResourceResult() }
        var result = ResourceResult(estimate: estimate, remaining: left.count)
        for item in left {
            for finalizer in item[path: ["metadata", "finalizers"]]?.arrayValue ?? [] {
                if let finalizer = finalizer.stringValue { result.finalizers[finalizer, default: 0] += 1 }
            }
        }
        if estimate > 0 { return result }
        if !result.finalizers.isEmpty {
            result.estimate = Self.finalizerEstimateSeconds
            return result
        }
        result.unexplained = true
        return result
    }

    /// The longest grace period of the pods still running, unless the namespace has been
    /// terminating for longer than that already (upstream's estimateGracefulTerminationForPods).
    func podTerminationEstimate(namespace: String, deletedAt: Date) async throws -> Int {
        let pods = try await client.resource(CoreV1.Pod.self, namespace: namespace).listAll().items
        let estimate = pods.filter { $0.status.phase != "Succeeded" && $0.status.phase != "Failed" }
            .compactMap(\.spec.terminationGracePeriodSeconds).max() ?? 0
        return clock.now().timeIntervalSince(deletedAt) >= Double(estimate) ? 0 : estimate
    }
}
