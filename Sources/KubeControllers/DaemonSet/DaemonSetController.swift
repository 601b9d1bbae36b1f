import Foundation
import KubeClient
import KubeModel
import Synchronization

/// Runs DaemonSets: one pod on every node the template admits (node name, selector, required
/// affinity, tolerated taints), following nodes as they come, go and change. Pods are pinned to
/// their node with a required node affinity on `metadata.name` and left to the scheduler to bind.
/// A new template rolls out node by node within maxUnavailable, or by starting new pods beside
/// old ones within maxSurge (RollingUpdate), or as pods are deleted (OnDelete). Templates are kept
/// as ControllerRevisions; pods carry their revision's hash in `controller-revision-hash`.
public final class DaemonSetController: Controller {
    public let name = "daemonset"
    let loop: ReconcileLoop
    let sets: Informer<AppsV1.DaemonSet>
    let pods: Informer<CoreV1.Pod>
    let nodes: Informer<CoreV1.Node>
    let history: RevisionHistory
    let context: ControllerContext
    let expectations: Expectations
    let failedPodBackoff: FailedPodBackoff
    /// Upstream's burstReplicas for DaemonSets: at most this many creations or deletions per sync.
    static var burstReplicas: Int { 250 }
    static let templateGenerationAnnotation = "deprecated.daemonset.template.generation"
    static let templateGenerationLabel = "pod-template-generation"

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context)
        sets = context.informers.informer(AppsV1.DaemonSet.self)
        pods = context.informers.informer(CoreV1.Pod.self)
        nodes = context.informers.informer(CoreV1.Node.self)
        history = RevisionHistory(context: context)
        self.context = context
        let clock = context.clock
        expectations = Expectations(now: { clock.now() })
        failedPodBackoff = FailedPodBackoff()

        let loop = self.loop
        let sets = self.sets
        let owners = OwnerResolver(owners: sets) { LabelSelector($0.spec.selector) }
        sets.addEventHandler(InformerEventHandler(onChange: { loop.enqueue($0) }))
        pods.addEventHandler(owners.handler(tracking: expectations, enqueue: { loop.enqueue($0) }))
        nodes.addEventHandler(InformerEventHandler(
            onAdd: { node in
                for set in sets.store.list() where DaemonSetPlacement.verdict(set.spec.template, on: node).shouldRun {
                    loop.enqueue(set)
                }
            },
            onUpdate: { old, new in
                guard old.metadata.labels != new.metadata.labels || old.spec.taints != new.spec.taints else { return }
                for set in sets.store.list()
                where DaemonSetPlacement.verdict(set.spec.template, on: old) != DaemonSetPlacement.verdict(set.spec.template, on: new) {
                    loop.enqueue(set)
                }
            },
            onDelete: { _ in sets.store.list().forEach { loop.enqueue($0) } }))
    }

    public func run() async throws {
        await loop.run { [self] key in try await sync(key) }
    }

    // MARK: - Sync

    func sync(_ key: String) async throws {
        guard let set = sets.store.get(key) else {
            expectations.remove(key)
            return
        }
        let selector = LabelSelector(set.spec.selector)
        if selector.isEmpty {
            context.events.record(set, type: .warning, reason: "SelectingAll",
                          message: "This daemon set is selecting all pods. A non-empty selector is required.")
            return
        }
        if set.isBeingDeleted || selector.matchesNothing { return }
        let namespace = set.metadata.namespace ?? "default"

        let revisions = try await history.history(of: set, selector: selector)
        var collisionCount = set.status.collisionCount ?? 0
        let data = ControllerHistory.templatePatch(set.spec.template)
        let snapshot = RevisionHistory.Snapshot(
            data: data, labels: set.spec.template.metadata.labels ?? [:], hashLabel: ControllerHistory.revisionLabel,
            annotations: set.metadata.annotations)
        let current = try await history.revision(for: set, snapshot, history: revisions, collisionCount: &collisionCount)
        let hash = current.metadata.labels?[ControllerHistory.revisionLabel]
            ?? ControllerHistory.hash(data, collisionCount: collisionCount)

        let podClient = context.client.resource(CoreV1.Pod.self, namespace: namespace)
        let owned = try await ControllerRefManager(owner: set, selector: selector, client: podClient)
            .claim(pods.store.list(namespace: namespace))
        let input = DaemonSetPlan.Input(set: set, nodes: nodes.store.list(), podsByNode: Self.podsByNode(owned),
                                        hash: hash, now: context.clock.now())

        guard expectations.satisfied(key) else {
            // Earlier writes are not in the cache yet: report what is there, but do not claim
            // to have acted on this generation.
            try await writeStatus(input, collisionCount: collisionCount, observed: false)
            return
        }
        var failure: (any Error)?
        do {
            try await apply(manage(input, key: key), to: set, key: key, hash: hash)
            if expectations.satisfied(key), (set.spec.updateStrategy?.type ?? "RollingUpdate") == "RollingUpdate" {
                try await apply(DaemonSetPlan.rollingUpdate(input), to: set, key: key, hash: hash)
            }
        } catch {
            failure = error
        }

        let liveHashes = Set(owned.compactMap(\.controllerRevision))
        try await history.truncate(revisions, limit: set.spec.revisionHistoryLimit ?? 10) { revision in
            revision.metadata.name == current.metadata.name
                || liveHashes.contains(revision.metadata.labels?[ControllerHistory.revisionLabel] ?? "")
        }
        try await writeStatus(input, collisionCount: collisionCount, observed: true)
        if let failure { throw failure }
    }

    /// The pods by the node they run on or are pinned to; finished pods being deleted are gone.
    static func podsByNode(_ pods: [CoreV1.Pod]) -> [String: [CoreV1.Pod]] {
        var result: [String: [CoreV1.Pod]] = [:]
        for pod in pods where !(pod.hasFinished && pod.isTerminating) {
            guard let node = DaemonSetPlacement.targetNode(of: pod) else { continue }
            result[node, default: []].append(pod)
        }
        return result
    }

    /// The manage step, with failed pods deleted unless their node is in back-off (a pod the
    /// kubelet keeps rejecting must not be recreated in a hot loop).
    func manage(_ input: DaemonSetPlan.Input, key: String) -> DaemonSetPlan {
        var plan = DaemonSetPlan.manage(input)
        let now = context.clock.now()
        for (node, pod) in plan.failedPods {
            let backoffKey = "\(key)/\(node)"
            if let remaining = failedPodBackoff.remaining(backoffKey, now: now) {
                loop.enqueue(key, after: remaining)
                continue
            }
            failedPodBackoff.next(backoffKey, now: now)
            context.events.record(input.set, type: .warning, reason: "FailedDaemonPod",
                          message: "Found failed daemon pod \(pod.metadata.namespace ?? "")/\(pod.metadata.name ?? "") on node \(node), will try to kill it")
            plan.podsToDelete.append(pod)
        }
        return plan
    }

    /// Creates the pods the plan asks for (slow start) and deletes the ones it condemns, each
    /// recorded in expectations first (upstream's syncNodes).
    func apply(_ plan: DaemonSetPlan, to set: AppsV1.DaemonSet, key: String, hash: String) async throws {
        let creations = Array(plan.nodesNeedingPods.prefix(Self.burstReplicas))
        let deletions = Array(plan.podsToDelete.prefix(Self.burstReplicas))
        guard !creations.isEmpty || !deletions.isEmpty else { return }
        expectations.expect(key, creations: creations.count, deletions: Set(deletions.map { ObjectKey.of($0) }))
        let podClient = context.client.resource(CoreV1.Pod.self, namespace: set.metadata.namespace)
        let template = Self.podTemplate(set, hash: hash)
        let created = await SlowStart.run(creations.count) { [self] index in
            do {
                let pod = try await podClient.create(Self.pod(set, template: template, node: creations[index]))
                context.events.record(set, type: .normal, reason: "SuccessfulCreate", message: "Created pod: \(pod.metadata.name ?? "")")
            } catch {
                expectations.creationObserved(key)
                context.events.record(set, type: .warning, reason: "FailedCreate", message: "Error creating: \(error)")
                throw error
            }
        }
        // Creations never attempted after a failed batch will not be observed either.
        for _ in 0..<(creations.count - created.successes - created.errors.count) { expectations.creationObserved(key) }

        let deleteErrors = await withTaskGroup(of: (any Error)?.self) { group in
            for pod in deletions {
                group.addTask { [self] in
                    do {
                        try await podClient.delete(pod.metadata.name ?? "")
                        context.events.record(set, type: .normal, reason: "SuccessfulDelete", message: "Deleted pod: \(pod.metadata.name ?? "")")
                        return nil
                    } catch {
                        expectations.deletionObserved(key, objectKey: ObjectKey.of(pod))
                        if let status = error as? APIStatusError, status.isNotFound { return nil }
                        context.events.record(set, type: .warning, reason: "FailedDelete", message: "Error deleting: \(error)")
                        return error
                    }
                }
            }
            var errors: [any Error] = []
            for await error in group { if let error { errors.append(error) } }
            return errors
        }
        if let error = created.errors.first ?? deleteErrors.first { throw error }
    }

    /// The template every pod is made from: the set's, with the daemon tolerations and the
    /// revision hash (and the deprecated template generation, when the set carries one).
    static func podTemplate(_ set: AppsV1.DaemonSet, hash: String) -> CoreV1.PodTemplateSpec {
        var template = set.spec.template
        var spec = template.spec ?? CoreV1.PodSpec()
        DaemonSetPlacement.addDefaultTolerations(&spec)
        template.spec = spec
        var labels = template.metadata.labels ?? [:]
        labels[ControllerHistory.revisionLabel] = hash
        if let generation = set.metadata.annotations?[templateGenerationAnnotation] { labels[templateGenerationLabel] = generation }
        template.metadata.labels = labels
        return template
    }

    static func pod(_ set: AppsV1.DaemonSet, template: CoreV1.PodTemplateSpec, node: String) -> CoreV1.Pod {
        var pod = CoreV1.Pod.from(template, controlledBy: set)
        DaemonSetPlacement.pin(&pod.spec, to: node)
        return pod
    }

    // MARK: - Status

    func writeStatus(_ input: DaemonSetPlan.Input, collisionCount: Int, observed: Bool) async throws {
        let set = input.set
        var status = DaemonSetPlan.status(input)
        status.observedGeneration = observed ? set.metadata.generation : set.status.observedGeneration
        status.collisionCount = collisionCount > 0 || set.status.collisionCount != nil ? collisionCount : nil
        status.conditions = set.status.conditions
        // Counters upstream omits when zero.
        for field in [\AppsV1.DaemonSetStatus.numberAvailable, \.numberUnavailable, \.updatedNumberScheduled]
        where status[keyPath: field] == 0 {
            status[keyPath: field] = nil
        }
        if status != set.status {
            try await context.client.resource(AppsV1.DaemonSet.self, namespace: set.metadata.namespace)
                .writeStatus(of: set) { $0.status = status }
        }
        // Ready pods become available after minReadySeconds: look again then.
        let minReady = set.spec.minReadySeconds ?? 0
        if minReady > 0, status.numberReady != (status.numberAvailable ?? 0) {
            loop.enqueue(ObjectKey.of(set), after: .seconds(minReady))
        }
    }
}

/// Per-node back-off for replacing failed daemon pods (upstream's failedPodsBackoff: 1 s
/// doubling to 15 min; an entry idle for twice the maximum starts over).
final class FailedPodBackoff: Sendable {
    struct Entry {
        var delay: TimeInterval
        var since: Date
    }

    static let initial: TimeInterval = 1
    static let maximum: TimeInterval = 15 * 60
    private let entries = Mutex<[String: Entry]>([:])

    /// How long `key` stays in back-off after its last failure, nil when it is not.
    func remaining(_ key: String, now: Date) -> Duration? {
        entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            let left = entry.since.addingTimeInterval(entry.delay).timeIntervalSince(now)
            return left > 0 ? .milliseconds(Int64((left * 1000).rounded(.up))) : nil
        }
    }

    /// Records a failure: the delay doubles up to the maximum.
    func next(_ key: String, now: Date) {
        entries.withLock { entries in
            if let entry = entries[key], now.timeIntervalSince(entry.since) < 2 * Self.maximum {
                entries[key] = Entry(delay: min(entry.delay * 2, Self.maximum), since: now)
            } else {
                entries[key] = Entry(delay: Self.initial, since: now)
            }
        }
    }
}
