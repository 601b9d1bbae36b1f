import Foundation
import KubeModel

/// The decisions of the pods/eviction subresource (upstream's EvictionREST), kept apart from
/// the storage work: which pods skip disruption budgets, which budget guards a pod, whether it
/// allows one more disruption, and the errors that say no.
enum EvictionRules {
    static let budgetKeys = StorageKeys(group: "policy", plural: "poddisruptionbudgets", namespaced: true)
    static let budgets = QualifiedResource(group: "policy", resource: "poddisruptionbudgets")
    /// More unconfirmed evictions than this and the budget refuses further ones.
    static let maxDisruptedPods = 2000
    static let tooManyBudgets = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
    static let violation = "Cannot evict pod as it would violate the pod's disruption budget."

    /// What the client asked: the Eviction's delete options and whether it is a dry run.
    struct Request {
        var deleteOptions: DeleteRequestOptions
        var dryRun: Bool

        /// Reads a policy/v1 (or v1beta1) Eviction of the pod `name`.
        init(_ scope: RequestScope, name: String) throws {
            var body = try RequestBody.object(scope.http).0
            guard case .object = body else { throw APIError.badRequest("the object provided is unrecognized (must be of type Eviction)") }
            let apiVersion = body["apiVersion"]?.stringValue ?? ""
            if !["", "policy/v1", "policy/v1beta1"].contains(apiVersion) {
                throw APIError.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (policy/v1)")
            }
            if let kind = body["kind"]?.stringValue, !kind.isEmpty, kind != "Eviction" {
                throw APIError.badRequest("the kind in the data (\(kind)) does not match the expected kind (Eviction)")
            }
            body["apiVersion"] = nil
            let eviction: PolicyV1.Eviction
            do { eviction = try PolicyV1.Eviction(json: body) } catch {
                throw APIError.badRequest("Eviction in version \"v1\" cannot be handled as a Eviction: \(error)")
            }
            if let namespace = eviction.metadata.namespace, !namespace.isEmpty, namespace != scope.namespace {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            guard eviction.metadata.name == name else { throw APIError.badRequest("name in URL does not match name in Eviction object") }
            let given = eviction.deleteOptions
            if given?.ignoreStoreReadErrorWithClusterBreakingPotential == true {
                throw APIError.invalid(kind: PolicyV1.Eviction.groupVersionKind, name: name, errors: [
                    .invalid(FieldPath("deleteOptions", "ignoreStoreReadErrorWithClusterBreakingPotential"), .bool(true),
                             "can not be set for pod eviction, try after removing the option"),
                ])
            }
            // The request's dryRun and the Eviction's must agree when both are given.
            let queried = scope.http.query.all("dryRun")
            let bodyDryRun = given?.dryRun ?? []
            if !queried.isEmpty, !bodyDryRun.isEmpty, queried != bodyDryRun {
                throw APIError(code: 500, reason: "Unknown", message: "Non-matching dry-run options in request and content: "
                               + "[\(queried.joined(separator: " "))] and [\(bodyDryRun.joined(separator: " "))]")
            }
            dryRun = (bodyDryRun.isEmpty ? queried : bodyDryRun).contains("All")
            deleteOptions = DeleteRequestOptions(
                gracePeriodSeconds: given?.gracePeriodSeconds,
                propagationPolicy: given?.propagationPolicy ?? (given?.orphanDependents == true ? "Orphan" : nil),
                preconditionUID: given?.preconditions?.uid, preconditionResourceVersion: given?.preconditions?.resourceVersion)
        }
    }

    // MARK: Pods

    /// Finished, pending and already deleted pods disrupt nothing: they go without budgets.
    static func skipsBudgets(_ pod: JSONValue) -> Bool {
        ["Succeeded", "Failed", "Pending"].contains(phase(pod)) || pod[path: ["metadata", "deletionTimestamp"]] != nil
    }

    /// Whether the delete must find the pod as it was read (so it cannot turn ready meanwhile).
    static func pinsResourceVersion(_ pod: JSONValue) -> Bool {
        !["Succeeded", "Failed"].contains(phase(pod)) && pod[path: ["metadata", "deletionTimestamp"]] == nil
    }

    static func phase(_ pod: JSONValue) -> String { pod[path: ["status", "phase"]]?.stringValue ?? "" }

    static func isReady(_ pod: JSONValue) -> Bool {
        (pod[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
            $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
        }
    }

    /// The pod's delete preconditions hold against the stored pod (else 409, worded as upstream).
    static func checkPreconditions(_ pod: JSONValue, _ options: DeleteRequestOptions, name: String) throws {
        let resource = QualifiedResource(group: "", resource: "Pod")
        let uid = pod[path: ["metadata", "uid"]]?.stringValue ?? ""
        if let expected = options.preconditionUID, !expected.isEmpty, expected != uid {
            throw APIError.conflict(resource, name: name, message: "the UID in the precondition (\(expected)) does not match the UID in "
                                    + "record (\(uid)). The object might have been deleted and then recreated")
        }
        let version = pod[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        if let expected = options.preconditionResourceVersion, !expected.isEmpty, expected != version {
            throw APIError.conflict(resource, name: name, message: "the ResourceVersion in the precondition (\(expected)) does not match "
                                    + "the ResourceVersion in record (\(version)). The object might have been modified")
        }
    }

    /// Marks the pod as a disruption target (upstream's DisruptionTarget condition); false when
    /// it already is.
    static func markDisruptionTarget(_ pod: inout JSONValue, now: Date) -> Bool {
        var status = pod["status"]?.objectValue ?? [:]
        var conditions = status["conditions"]?.arrayValue ?? []
        var condition: JSONObject = [
            "type": "DisruptionTarget", "status": "True", "lastProbeTime": .null,
            "lastTransitionTime": .string(Time(now).description), "reason": "EvictionByEvictionAPI", "message": "Eviction API: evicting",
        ]
        if let index = conditions.firstIndex(where: { $0["type"]?.stringValue == "DisruptionTarget" }) {
            let old = conditions[index]
            if old["status"]?.stringValue == "True" { condition["lastTransitionTime"] = old["lastTransitionTime"] ?? .null }
            if old["status"] == condition["status"], old["reason"] == condition["reason"], old["message"] == condition["message"] {
                return false
            }
            conditions[index] = .object(condition)
        } else {
            conditions.append(.object(condition))
        }
        status["conditions"] = .array(conditions)
        pod["status"] = .object(status)
        return true
    }

    // MARK: Budgets

    /// Budgets of the pod's namespace whose selector selects it; a missing or invalid selector
    /// selects nothing.
    static func selects(_ budget: PolicyV1.PodDisruptionBudget, _ pod: JSONValue) -> Bool {
        var labels: [String: String] = [:]
        for (key, value) in pod[path: ["metadata", "labels"]]?.objectValue ?? [:] { labels[key] = value.stringValue }
        return FieldChecks.selector(budget.spec.selector)?.matches(labels) ?? false
    }

    /// An unready pod may go without using up the budget when the policy always allows it, or
    /// when the guarded application is healthy without it.
    static func mayEvictUnhealthy(_ budget: PolicyV1.PodDisruptionBudget) -> Bool {
        if budget.spec.unhealthyPodEvictionPolicy == "AlwaysAllow" { return true }
        let desired = budget.status.desiredHealthy ?? 0
        return (budget.status.currentHealthy ?? 0) >= desired && desired > 0
    }

    /// Upstream's checkAndDecrement on the stored budget: refuses when the budget's status is
    /// stale or allows no disruption, else takes one and records the pod as disrupted.
    static func takeDisruption(_ json: inout JSONValue, pod: String, dryRun: Bool, now: Date) throws {
        let budget = try PolicyV1.PodDisruptionBudget(json: json)
        let name = budget.metadata.name ?? ""
        let status = budget.status
        if (status.observedGeneration ?? 0) < (budget.metadata.generation ?? 0) { throw budgetBeingProcessed(name) }
        let allowed = status.disruptionsAllowed ?? 0
        let singular = QualifiedResource(group: "policy", resource: "poddisruptionbudget")
        if allowed < 0 { throw APIError.forbidden(singular, name: name, message: "pdb disruptions allowed is negative") }
        if (status.disruptedPods ?? [:]).count > maxDisruptedPods {
            throw APIError.forbidden(singular, name: name,
                                     message: "DisruptedPods map too big - too many evictions not confirmed by PDB controller")
        }
        if allowed == 0 {
            let cause = "The disruption budget \(name) needs \(status.desiredHealthy ?? 0) healthy pods and has \(status.currentHealthy ?? 0) currently"
            throw refusal(cause: cause, retryAfter: 0)
        }
        var updated = json["status"]?.objectValue ?? [:]
        updated["disruptionsAllowed"] = .int(Int64(allowed - 1))
        if allowed - 1 == 0 {
            updated["conditions"] = .array(insufficientPodsCondition(updated["conditions"]?.arrayValue ?? [],
                                                                    observedGeneration: status.observedGeneration, now: now))
        }
        if !dryRun {
            var disrupted = updated["disruptedPods"]?.objectValue ?? [:]
            disrupted[pod] = .string(Time(now).description)
            updated["disruptedPods"] = .object(disrupted)
        }
        json["status"] = .object(updated)
    }

    /// The DisruptionAllowed condition once no disruption is left (upstream's
    /// UpdateDisruptionAllowedCondition and SetStatusCondition).
    static func insufficientPodsCondition(_ conditions: [JSONValue], observedGeneration: Int?, now: Date) -> [JSONValue] {
        var conditions = conditions
        var condition: JSONObject = [
            "type": "DisruptionAllowed", "status": "False", "reason": "InsufficientPods", "message": "",
            "lastTransitionTime": .string(Time(now).description),
        ]
        if let observedGeneration { condition["observedGeneration"] = .int(Int64(observedGeneration)) }
        if let index = conditions.firstIndex(where: { $0["type"]?.stringValue == "DisruptionAllowed" }) {
            if conditions[index]["status"]?.stringValue == "False" {
                condition["lastTransitionTime"] = conditions[index]["lastTransitionTime"] ?? condition["lastTransitionTime"]
            }
            conditions[index] = .object(condition)
        } else {
            conditions.append(.object(condition))
        }
        return conditions
    }

    // MARK: Answers

    static func refusal(cause: String, retryAfter: Int) -> APIError {
        var error = APIError.tooManyRequests(violation)
        error.status.details = MetaV1.StatusDetails(causes: [MetaV1.StatusCause(message: cause, reason: "DisruptionBudget")],
                                                    retryAfterSeconds: retryAfter > 0 ? retryAfter : nil)
        if retryAfter > 0 { error.headers.append(("Retry-After", String(retryAfter))) }
        return error
    }

    static func budgetBeingProcessed(_ name: String) -> APIError {
        refusal(cause: "The disruption budget \(name) is still being processed by the server.", retryAfter: 10)
    }

    /// What a granted eviction answers (201 with a Success status).
    static let success: JSONValue = ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "code": 201]
}
