import Foundation
import KubeClient
import KubeModel
import Logging

/// Keeps the status of every PodDisruptionBudget (upstream's disruption controller): how many
/// selected pods are expected (their controllers' scale), how many must stay healthy
/// (`minAvailable`, or the expected count less `maxUnavailable`; percentages of the expected
/// count rounded up), how many are healthy now (ready, not being deleted, not just evicted) and
/// so how many disruptions the `pods/eviction` subresource may allow. Entries of
/// `disruptedPods` the eviction subresource added are dropped once the pod is gone or two
/// minutes passed without it being deleted.
public final class DisruptionController: Controller {
    public let name = "disruption"
    /// How long an evicted pod may stay before the budget counts it again (upstream's DeletionTimeout).
    static let deletionTimeout: TimeInterval = 2 * 60

    let loop: ReconcileLoop
    let budgets: Informer<PolicyV1.PodDisruptionBudget>
    let pods: Informer<CoreV1.Pod>
    let client: APIClient
    let events: EventRecorder
    let clock: any ClientClock
    let scales: ScaleFinder
    let logger: Logger

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context)
        budgets = context.informers.informer(PolicyV1.PodDisruptionBudget.self)
        pods = context.informers.informer(CoreV1.Pod.self)
        client = context.client
        events = context.events
        clock = context.clock
        scales = ScaleFinder(client: context.client)
        logger = context.logger(for: name)
        let loop = self.loop
        budgets.addEventHandler(InformerEventHandler(onChange: { loop.enqueue($0) }))
        pods.addEventHandler(InformerEventHandler(
            onAdd: { [weak self] pod in self?.enqueueBudgets(of: pod) },
            onUpdate: { [weak self] old, new in
                self?.enqueueBudgets(of: new)
                if old.metadata.labels != new.metadata.labels { self?.enqueueBudgets(of: old) }
            },
            onDelete: { [weak self] pod in self?.enqueueBudgets(of: pod) }))
    }

    public func run() async throws {
        await loop.run { [self] key in try await sync(key) }
    }

    func selects(_ budget: PolicyV1.PodDisruptionBudget, _ pod: CoreV1.Pod) -> Bool {
        LabelSelector(budget.spec.selector).matches(pod.metadata.labels ?? [:])
    }

    func enqueueBudgets(of pod: CoreV1.Pod) {
        for budget in budgets.store.list(namespace: pod.metadata.namespace ?? "") where selects(budget, pod) {
            loop.enqueue(budget)
        }
    }

    struct Counts: Equatable {
        var expected = 0
        var desiredHealthy = 0
        var currentHealthy = 0
        var disrupted: [String: Time] = [:]
    }

    func sync(_ key: String) async throws {
        guard let budget = budgets.store.get(key) else { return }
        let namespace = budget.metadata.namespace ?? ""
        let selected = pods.store.list(namespace: namespace).filter { selects(budget, $0) }
        if selected.isEmpty {
            events.record(budget, type: .normal, reason: "NoPods", message: "No matching pods found")
        }
        let now = clock.now()
        var counts = Counts()
        do {
            let (expected, desired, unmanaged) = try await expectedPods(budget, pods: selected)
            counts.expected = expected
            counts.desiredHealthy = desired
            if !unmanaged.isEmpty {
                events.record(budget, type: .warning, reason: "UnmanagedPods", message:
                    "Pods selected by this PodDisruptionBudget (selector: \(Self.describe(budget.spec.selector))) were found to be unmanaged. "
                    + "As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. "
                    + "To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.")
            }
        } catch {
            events.record(budget, type: .warning, reason: "CalculateExpectedPodCountFailed",
                          message: "Failed to calculate the number of expected pods: \(error)")
            try await failSafe(budget, error: "\(error)")
            throw error
        }
        var recheck: Date?
        for pod in selected where !pod.isTerminating {
            guard let name = pod.metadata.name, let since = budget.status.disruptedPods?[name] else { continue }
            let expectedDeletion = since.date.addingTimeInterval(Self.deletionTimeout)
            if expectedDeletion < now {
                events.record(pod, type: .warning, reason: "NotDeleted",
                              message: "Pod was expected by PDB \(namespace)/\(budget.metadata.name ?? "") to be deleted but it wasn't")
            } else {
                counts.disrupted[name] = since
                recheck = min(recheck ?? expectedDeletion, expectedDeletion)
            }
        }
        counts.currentHealthy = selected.filter { pod in
            !pod.isTerminating && counts.disrupted[pod.metadata.name ?? ""] == nil && pod.isReady
        }.count
        try await updateStatus(budget, counts)
        if let recheck { loop.enqueue(key, after: .seconds(max(0, recheck.timeIntervalSince(now)))) }
    }

    /// Expected pods, pods that must stay healthy, and the pods without a controller (upstream's
    /// getExpectedPodCount).
    func expectedPods(_ budget: PolicyV1.PodDisruptionBudget, pods: [CoreV1.Pod]) async throws -> (Int, Int, [String]) {
        if let maxUnavailable = budget.spec.maxUnavailable {
            let (expected, unmanaged) = try await scales.expectedScale(of: pods, namespace: budget.metadata.namespace ?? "")
            guard let unavailable = maxUnavailable.scaledValue(total: expected, roundUp: true) else {
                throw InvalidBudget(value: maxUnavailable)
            }
            return (expected, max(0, expected - unavailable), unmanaged)
        }
        if let minAvailable = budget.spec.minAvailable {
            if case .int(let count) = minAvailable { return (pods.count, count, []) }
            let (expected, unmanaged) = try await scales.expectedScale(of: pods, namespace: budget.metadata.namespace ?? "")
            guard let available = minAvailable.scaledValue(total: expected, roundUp: true) else { throw InvalidBudget(value: minAvailable) }
            return (expected, available, unmanaged)
        }
        return (0, 0, [])
    }

    struct InvalidBudget: Error, CustomStringConvertible {
        var value: IntOrString
        var description: String { "invalid value for IntOrString: invalid type: string is not a percentage: \(value)" }
    }

    func updateStatus(_ budget: PolicyV1.PodDisruptionBudget, _ counts: Counts) async throws {
        var allowed = counts.currentHealthy - counts.desiredHealthy
        if counts.expected <= 0 || allowed <= 0 { allowed = 0 }
        let generation = budget.metadata.generation ?? 0
        var status = budget.status
        status.currentHealthy = counts.currentHealthy
        status.desiredHealthy = counts.desiredHealthy
        status.expectedPods = counts.expected
        status.disruptionsAllowed = allowed
        status.disruptedPods = counts.disrupted.isEmpty ? nil : counts.disrupted
        status.observedGeneration = generation
        setCondition(&status, allowed > 0 ? ("True", "SufficientPods", "") : ("False", "InsufficientPods", ""), generation: generation)
        try await write(budget, status: status)
    }

    /// Upstream's failSafe: when the counts cannot be computed, no disruption is allowed.
    func failSafe(_ budget: PolicyV1.PodDisruptionBudget, error: String) async throws {
        var status = budget.status
        status.disruptionsAllowed = 0
        setCondition(&status, ("False", "SyncFailed", error), generation: budget.metadata.generation ?? 0)
        try await write(budget, status: status)
    }

    /// Sets the DisruptionAllowed condition; the transition time moves only when its status does.
    func setCondition(_ status: inout PolicyV1.PodDisruptionBudgetStatus, _ value: (status: String, reason: String, message: String),
                      generation: Int) {
        var conditions = status.conditions ?? []
        let now = Time.wholeSeconds(clock.now())
        if let index = conditions.firstIndex(where: { $0.type == "DisruptionAllowed" }) {
            if conditions[index].status != value.status { conditions[index].lastTransitionTime = now }
            conditions[index].status = value.status
            conditions[index].reason = value.reason
            conditions[index].message = value.message
            conditions[index].observedGeneration = generation
        } else {
            conditions.append(MetaV1.Condition(lastTransitionTime: now, message: value.message, observedGeneration: generation,
                                               reason: value.reason, type: "DisruptionAllowed", status: value.status))
        }
        status.conditions = conditions
    }

    func write(_ budget: PolicyV1.PodDisruptionBudget, status: PolicyV1.PodDisruptionBudgetStatus) async throws {
        guard status != budget.status else { return }
        var updated = budget
        updated.status = status
        do {
            _ = try await client.resource(PolicyV1.PodDisruptionBudget.self, namespace: budget.metadata.namespace).updateStatus(updated)
        } catch let error as APIStatusError where error.isNotFound {
            return
        }
    }

    static func describe(_ selector: MetaV1.LabelSelector?) -> String {
        guard let selector else { return "nil" }
        return JSONWriter.string(selector.toJSON())
    }
}
