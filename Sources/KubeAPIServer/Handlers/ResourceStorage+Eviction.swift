import Foundation
import KubeModel
import KubeStore

extension ResourceStorage {
    /// pods/eviction (POST policy/v1 Eviction): deletes the pod unless the PodDisruptionBudget
    /// that selects it allows no further disruption (429), taking one disruption from the
    /// budget when it does, as upstream's EvictionREST.
    func evict(_ scope: RequestScope) async throws -> APIResponse {
        let name = scope.resource.name!
        let request = try EvictionRules.Request(scope, name: name)
        let options = request.deleteOptions
        // Conflicts are retried unless the client pinned a resourceVersion itself.
        let retriesConflicts = options.preconditionResourceVersion == nil
        var attempts = 0
        var pod: JSONValue
        while true {
            pod = try StoredObject.decode(try await load(scope, name: name))
            guard EvictionRules.skipsBudgets(pod) else { break }
            var pinned = options
            if EvictionRules.pinsResourceVersion(pod), pinned.preconditionResourceVersion == nil {
                pinned.preconditionResourceVersion = pod[path: ["metadata", "resourceVersion"]]?.stringValue
            }
            do {
                try await markAndDelete(scope, name: name, options: pinned, dryRun: request.dryRun)
                return .json(JSONWriter.bytes(EvictionRules.success), status: .created)
            } catch let error as APIError where error.code == 409 && retriesConflicts && attempts < 20 {
                attempts += 1
            }
        }

        let listed = try await store.list(prefix: EvictionRules.budgetKeys.listPrefix(namespace: scope.namespace))
        let budgets = try listed.items.map { try PolicyV1.PodDisruptionBudget(json: StoredObject.decode($0)) }
            .filter { EvictionRules.selects($0, pod) }
        if budgets.count > 1 { throw APIError(code: 500, reason: "", message: EvictionRules.tooManyBudgets) }
        var pinsReadiness = false
        if let budget = budgets.first {
            let budgetName = budget.metadata.name ?? ""
            if !EvictionRules.isReady(pod), EvictionRules.mayEvictUnhealthy(budget) {
                // Deleting the unready pod disrupts nothing as long as it does not turn ready meanwhile.
                pinsReadiness = true
            } else {
                try await takeDisruption(budgetName, namespace: scope.namespace ?? "", pod: name, dryRun: request.dryRun)
            }
        }
        var pinned = options
        if pinsReadiness { pinned.preconditionResourceVersion = pod[path: ["metadata", "resourceVersion"]]?.stringValue }
        do {
            try await markAndDelete(scope, name: name, options: pinned, dryRun: request.dryRun)
        } catch let error as APIError where error.code == 409 && pinsReadiness && retriesConflicts {
            throw EvictionRules.budgetBeingProcessed(budgets.first?.metadata.name ?? "")
        }
        return .json(JSONWriter.bytes(EvictionRules.success), status: .created)
    }

    /// Takes one disruption from the budget, read again whenever another write got in between.
    func takeDisruption(_ budget: String, namespace: String, pod: String, dryRun: Bool) async throws {
        let now = context.now()
        let key = EvictionRules.budgetKeys.key(namespace: namespace, name: budget)
        do {
            let stored = try await StoredObject.modify(in: store, key: key, attempts: 20) { json in
                try EvictionRules.takeDisruption(&json, pod: pod, dryRun: dryRun, now: now)
                return !dryRun
            }
            if stored == nil { throw APIError.notFound(EvictionRules.budgets, name: budget) }
        } catch StoreError.conflict {
            throw APIError.staleResourceVersion(EvictionRules.budgets, name: budget)
        }
    }

    /// Upstream's addConditionAndDeletePod: the DisruptionTarget condition first (unless a dry
    /// run), then the delete with the eviction's options.
    func markAndDelete(_ scope: RequestScope, name: String, options: DeleteRequestOptions, dryRun: Bool) async throws {
        var options = options
        if !dryRun {
            let now = context.now()
            let (written, _) = try await writeWithRetry(
                scope, name: name, requestedVersion: "", duplicates: [], validation: .ignore, target: .status
            ) { current in
                guard var current else { return nil }
                try EvictionRules.checkPreconditions(current, options, name: name)
                _ = EvictionRules.markDisruptionTarget(&current, now: now)
                return current
            } onMissing: {
                throw APIError.notFound(self.qualified, name: name)
            }
            // The condition moved the pod on; a pinned version follows it.
            if options.preconditionResourceVersion != nil {
                options.preconditionResourceVersion = written.json[path: ["metadata", "resourceVersion"]]?.stringValue
            }
        }
        var deletion = scope
        deletion.resource.subresource = nil
        deletion.resource.verb = .delete
        deletion.http.query = QueryParameters(dryRun ? ["dryRun": ["All"]] : [:])
        _ = try await deleteObject(deletion, name: name, options: options)
    }
}
