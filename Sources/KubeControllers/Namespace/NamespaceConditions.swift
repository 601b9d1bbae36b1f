import Foundation
import KubeModel

/// The status conditions the namespace controller keeps on a terminating namespace, each True
/// with the failure or False with its "ok" reason and message (upstream's
/// namespaceConditionUpdater).
struct NamespaceConditions {
    static let discoveryFailure = "NamespaceDeletionDiscoveryFailure"
    static let groupVersionParsingFailure = "NamespaceDeletionGroupVersionParsingFailure"
    static let contentFailure = "NamespaceDeletionContentFailure"
    static let contentRemaining = "NamespaceContentRemaining"
    static let finalizersRemaining = "NamespaceFinalizersRemaining"

    static let types = [discoveryFailure, groupVersionParsingFailure, contentFailure, contentRemaining, finalizersRemaining]
    static let okReasons = [
        discoveryFailure: "ResourcesDiscovered", groupVersionParsingFailure: "ParsedGroupVersions",
        contentFailure: "ContentDeleted", contentRemaining: "ContentRemoved", finalizersRemaining: "ContentHasNoFinalizers",
    ]
    static let okMessages = [
        discoveryFailure: "All resources successfully discovered",
        groupVersionParsingFailure: "All legacy kube types successfully parsed",
        contentFailure: "All content successfully deleted, may be waiting on finalization",
        contentRemaining: "All content successfully removed",
        finalizersRemaining: "All content-preserving finalizers finished",
    ]

    /// Failing conditions by type: reason and message.
    var failures: [String: (reason: String, message: String)] = [:]

    mutating func discoveryFailed(_ failures: [String: String]) {
        let groups = failures.keys.sorted().map { "\($0): \(failures[$0]!)" }.joined(separator: ", ")
        self.failures[Self.discoveryFailure] = (
            "DiscoveryFailed",
            "Discovery failed for some groups, \(failures.count) failing: unable to retrieve the complete list of server APIs: \(groups)")
    }

    mutating func contentDeletionFailed(_ errors: [String]) {
        guard !errors.isEmpty else { return }
        failures[Self.contentFailure] = (
            "ContentDeletionFailed",
            "Failed to delete all resource types, \(errors.count) remaining: \(errors.sorted().joined(separator: ", "))")
    }

    /// Remaining objects by `plural.group` and remaining finalizers by name.
    mutating func remaining(objects: [String: Int], finalizers: [String: Int]) {
        let resources = objects.filter { $0.value > 0 }.map { "\($0.key) has \($0.value) resource instances" }.sorted()
        if !resources.isEmpty {
            failures[Self.contentRemaining] = ("SomeResourcesRemain", "Some resources are remaining: \(resources.joined(separator: ", "))")
        }
        let held = finalizers.filter { $0.value > 0 }.map { "\($0.key) in \($0.value) resource instances" }.sorted()
        if !held.isEmpty {
            failures[Self.finalizersRemaining] = (
                "SomeFinalizersRemain", "Some content in the namespace has finalizers remaining: \(held.joined(separator: ", "))")
        }
    }

    /// Applies the conditions to `status`; true when anything changed. The transition time
    /// moves only when a condition's status flips.
    func apply(to status: inout CoreV1.NamespaceStatus, now: Date) -> Bool {
        var conditions = status.conditions ?? []
        var changed = false
        for type in Self.types {
            let failure = failures[type]
            let wanted = CoreV1.NamespaceCondition(
                lastTransitionTime: Time.wholeSeconds(now), message: failure?.message ?? Self.okMessages[type],
                reason: failure?.reason ?? Self.okReasons[type], type: type, status: failure == nil ? "False" : "True")
            if let index = conditions.firstIndex(where: { $0.type == type }) {
                var existing = conditions[index]
                guard existing.status != wanted.status || existing.reason != wanted.reason || existing.message != wanted.message else { continue }
                if existing.status != wanted.status { existing.lastTransitionTime = Time.wholeSeconds(now) }
                existing.status = wanted.status
                existing.reason = wanted.reason
                existing.message = wanted.message
                conditions[index] = existing
            } else {
                conditions.append(wanted)
            }
            changed = true
        }
        status.conditions = conditions
        return changed
    }
}
