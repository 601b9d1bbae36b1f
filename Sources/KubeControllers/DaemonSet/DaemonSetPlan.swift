import Foundation
import KubeModel

/// What one sync of a DaemonSet does, computed without side effects from the set, the nodes and
/// its pods grouped by node (upstream's manage and rollingUpdate): which nodes need a pod, which
/// pods go, and the status to report.
struct DaemonSetPlan {
    struct Input {
        var set: AppsV1.DaemonSet
        var nodes: [CoreV1.Node]
        /// The set's pods by the node they are on or pinned to.
        var podsByNode: [String: [CoreV1.Pod]]
        /// The hash of the current revision (pods carry it in `controller-revision-hash`).
        var hash: String
        var now: Date
    }

    var nodesNeedingPods: [String] = []
    var podsToDelete: [CoreV1.Pod] = []
    /// Failed pods the controller deletes unless their node is in back-off.
    var failedPods: [(node: String, pod: CoreV1.Pod)] = []
}

extension DaemonSetPlan {
    static func verdict(_ input: Input, _ node: CoreV1.Node) -> DaemonSetPlacement.Verdict {
        DaemonSetPlacement.verdict(input.set.spec.template, on: node)
    }

    static func isUpdated(_ pod: CoreV1.Pod, _ input: Input) -> Bool {
        !input.hash.isEmpty && pod.controllerRevision == input.hash
    }

    static func isAvailable(_ pod: CoreV1.Pod, _ input: Input) -> Bool {
        pod.isAvailable(minReadySeconds: input.set.spec.minReadySeconds ?? 0, now: input.now)
    }

    /// Scheduled pods first, then oldest first, then by name (upstream's
    /// podByCreationTimestampAndPhase).
    static func oldestFirst(_ a: CoreV1.Pod, _ b: CoreV1.Pod) -> Bool {
        let aScheduled = !(a.spec.nodeName ?? "").isEmpty, bScheduled = !(b.spec.nodeName ?? "").isEmpty
        if aScheduled != bScheduled { return aScheduled }
        let aCreated = a.metadata.creationTimestamp?.date ?? .distantPast
        let bCreated = b.metadata.creationTimestamp?.date ?? .distantPast
        if aCreated != bCreated { return aCreated < bCreated }
        return (a.metadata.name ?? "") < (b.metadata.name ?? "")
    }

    static func allowsSurge(_ set: AppsV1.DaemonSet) -> Bool {
        guard set.spec.updateStrategy?.type ?? "RollingUpdate" == "RollingUpdate" else { return false }
        return ((set.spec.updateStrategy?.rollingUpdate?.maxSurge ?? .int(0)).scaledValue(total: 1, roundUp: true) ?? 0) > 0
    }

    /// One pod on every node that should run one, none elsewhere (upstream's manage and
    /// podsShouldBeOnNode). Pods whose node no longer exists are deleted too.
    static func manage(_ input: Input) -> DaemonSetPlan {
        var plan = DaemonSetPlan()
        let surge = allowsSurge(input.set)
        for node in input.nodes {
            let nodeName = node.metadata.name ?? ""
            let verdict = verdict(input, node)
            let pods = input.podsByNode[nodeName] ?? []
            if verdict.shouldRun, pods.isEmpty {
                plan.nodesNeedingPods.append(nodeName)
            } else if verdict.shouldContinueRunning {
                var running: [CoreV1.Pod] = []
                for pod in pods where !pod.isTerminating {
                    switch pod.status.phase {
                    case "Failed": plan.failedPods.append((nodeName, pod))
                    case "Succeeded": plan.podsToDelete.append(pod)
                    default: running.append(pod)
                    }
                }
                plan.podsToDelete += surplus(running.sorted(by: oldestFirst), surge: surge, input)
            } else {
                plan.podsToDelete += pods.filter { !$0.isTerminating }
            }
        }
        let known = Set(input.nodes.compactMap(\.metadata.name))
        for (nodeName, pods) in input.podsByNode where !known.contains(nodeName) {
            plan.podsToDelete += pods.filter { !$0.isTerminating }
        }
        return plan
    }

    /// The pods of one node beyond the one that should stay: without surge all but the oldest;
    /// with surge an old and a new pod may coexist while the new one is not yet available.
    static func surplus(_ running: [CoreV1.Pod], surge: Bool, _ input: Input) -> [CoreV1.Pod] {
        guard running.count > 1 else { return [] }
        guard surge else { return Array(running.dropFirst()) }
        var oldestNew: CoreV1.Pod?, oldestOld: CoreV1.Pod?
        var surplus: [CoreV1.Pod] = []
        for pod in running {
            if isUpdated(pod, input) {
                if oldestNew == nil { oldestNew = pod } else { surplus.append(pod) }
            } else {
                if oldestOld == nil { oldestOld = pod } else { surplus.append(pod) }
            }
        }
        if let new = oldestNew, let old = oldestOld, !old.isReady || isAvailable(new, input) {
            surplus.append(old)
        }
        return surplus
    }

    /// The pods of a node split into the one at the current hash and the one that is not; nil
    /// when there is more than one of either (the manage step cleans that up first).
    static func newAndOld(_ pods: [CoreV1.Pod], _ input: Input) -> (new: CoreV1.Pod?, old: CoreV1.Pod?)? {
        var new: CoreV1.Pod?, old: CoreV1.Pod?
        for pod in pods where !pod.isTerminating {
            if isUpdated(pod, input) {
                if new != nil { return nil }
                new = pod
            } else {
                if old != nil { return nil }
                old = pod
            }
        }
        return (new, old)
    }

    /// The rolling update step (upstream's rollingUpdate): without surge, delete old pods while
    /// fewer than maxUnavailable nodes are unavailable (old unavailable pods always go); with
    /// surge, start new pods next to old ones on up to maxSurge nodes and delete each old pod
    /// once the new one beside it is available.
    static func rollingUpdate(_ input: Input) -> DaemonSetPlan {
        var plan = DaemonSetPlan()
        let (maxSurge, maxUnavailable, desired, wanted) = updateBudget(input)
        let nodesByName = Dictionary(input.nodes.map { ($0.metadata.name ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        var podsByNode = input.podsByNode
        for name in wanted where podsByNode[name] == nil { podsByNode[name] = [] }
        let nodeNames = podsByNode.keys.sorted()

        if maxSurge == 0 {
            var unavailable = 0
            var replacements: [CoreV1.Pod] = [], candidates: [CoreV1.Pod] = []
            for nodeName in nodeNames {
                guard let (new, old) = newAndOld(podsByNode[nodeName] ?? [], input) else {
                    unavailable += 1
                    continue
                }
                switch (new, old) {
                case (nil, nil), (.some, .some):
                    unavailable += 1
                case (let new?, nil):
                    if !isAvailable(new, input) { unavailable += 1 }
                case (nil, let old?):
                    if !isAvailable(old, input) {
                        replacements.append(old)
                        unavailable += 1
                    } else if unavailable < maxUnavailable {
                        candidates.append(old)
                    }
                }
            }
            let room = min(max(0, maxUnavailable - unavailable), candidates.count)
            plan.podsToDelete = replacements + candidates.prefix(room)
            return plan
        }

        var surging = 0, available = 0
        var allowedNodes: [String] = [], candidateNodes: [String] = [], misplacedOld: [CoreV1.Pod] = []
        for nodeName in nodeNames {
            guard let (new, old) = newAndOld(podsByNode[nodeName] ?? [], input) else {
                surging += 1
                continue
            }
            if let pod = old ?? new, isAvailable(pod, input) { available += 1 }
            guard let old else { continue }
            guard let new else {
                let shouldRun = nodesByName[nodeName].map { verdict(input, $0).shouldRun } ?? false
                if !isAvailable(old, input) {
                    // An unavailable old pod is replaced at once, or just removed from a node it no longer fits.
                    if shouldRun { allowedNodes.append(nodeName) } else { plan.podsToDelete.append(old) }
                } else if !shouldRun {
                    misplacedOld.append(old)
                } else if surging < maxSurge {
                    candidateNodes.append(nodeName)
                }
                continue
            }
            if isAvailable(new, input) {
                plan.podsToDelete.append(old)
            } else {
                surging += 1
            }
        }
        // Old pods on nodes that no longer fit go only while more pods are available than wanted.
        let deletable = min(max(0, available - desired), misplacedOld.count)
        plan.podsToDelete += misplacedOld.prefix(deletable)
        let room = min(max(0, maxSurge - surging), candidateNodes.count)
        plan.nodesNeedingPods = allowedNodes + candidateNodes.prefix(room)
        return plan
    }

    /// maxSurge and maxUnavailable resolved against the number of nodes that should run a pod
    /// (rounding up; 0/0 means one unavailable), that number, and those nodes.
    static func updateBudget(_ input: Input) -> (maxSurge: Int, maxUnavailable: Int, desired: Int, nodes: [String]) {
        let wanted = input.nodes.filter { verdict(input, $0).shouldRun }.compactMap(\.metadata.name)
        let rollingUpdate = input.set.spec.updateStrategy?.rollingUpdate
        let surge = allowsSurge(input.set) ? (rollingUpdate?.maxSurge?.scaledValue(total: wanted.count, roundUp: true) ?? 0) : 0
        var unavailable = (rollingUpdate?.maxUnavailable ?? .int(1)).scaledValue(total: wanted.count, roundUp: true) ?? 1
        if surge == 0, unavailable == 0 { unavailable = 1 }
        return (surge, unavailable, wanted.count, wanted)
    }

    /// The status counts (upstream's updateDaemonSetStatus); the oldest pod of a node speaks for it.
    static func status(_ input: Input) -> AppsV1.DaemonSetStatus {
        var status = AppsV1.DaemonSetStatus()
        var available = 0, updated = 0
        for node in input.nodes {
            let pods = (input.podsByNode[node.metadata.name ?? ""] ?? []).sorted(by: oldestFirst)
            guard verdict(input, node).shouldRun else {
                if !pods.isEmpty { status.numberMisscheduled += 1 }
                continue
            }
            status.desiredNumberScheduled += 1
            guard let pod = pods.first else { continue }
            status.currentNumberScheduled += 1
            if pod.isReady {
                status.numberReady += 1
                if isAvailable(pod, input) { available += 1 }
            }
            if isUpdated(pod, input) { updated += 1 }
        }
        status.numberAvailable = available
        status.numberUnavailable = status.desiredNumberScheduled - available
        status.updatedNumberScheduled = updated
        return status
    }
}
