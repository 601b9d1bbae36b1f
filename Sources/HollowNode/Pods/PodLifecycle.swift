import Foundation
import KubeClient
import KubeModel
import Logging

/// A pod bound to one of the pool's nodes, as its kubelet tracks it.
struct TrackedPod: Sendable {
    var runtime: PodRuntime
    let node: String
    /// When the kubelet first saw the deletionTimestamp.
    var terminationObservedAt: Date?
    /// The final delete (grace period 0) went out; a sync never runs twice at once for a pod.
    var deleteIssued = false
    var addressReleased = false
    /// The status last written and the resourceVersion the write produced: when the informer
    /// delivers that version and nothing changed since, there is nothing to write.
    var lastDesired: CoreV1.PodStatus?
    var written = WrittenVersion()
}

/// The pod side of a hollow kubelet: each sync plays one pod forward to now, writes the status
/// the kubelet would report if it differs from the stored one, and finishes deletions.
extension HollowNodePool {
    /// What a sync decided, carried out after the state lock is released.
    struct PodActions {
        var status: CoreV1.PodStatus?
        var delete = false
    }

    func enqueueIfOurs(_ pod: CoreV1.Pod) {
        guard let node = pod.spec.nodeName, nodeIndices[node] != nil else { return }
        podQueue.add(ObjectKey.of(pod))
    }

    func enqueuePods(onNode name: String) {
        for key in podInformer.store.indexKeys(Self.nodeIndex, name) { podQueue.add(key) }
    }

    /// Syncs the pod at `key` from the informer's copy; on a write conflict, from a fresh one.
    func syncPod(_ key: String) async throws {
        guard var pod = podInformer.store.get(key) else { return forget(key) }
        for _ in 0..<5 {
            guard let fresh = try await sync(pod, key: key) else { return }
            count(\.conflicts)
            pod = fresh
        }
        throw APIStatusError(code: 409, reason: "Conflict", message: "pod \(key): too many conflicting status writes")
    }

    /// One pass; returns the server's current pod when a status write lost a race.
    private func sync(_ pod: CoreV1.Pod, key: String) async throws -> CoreV1.Pod? {
        guard let nodeName = pod.spec.nodeName, nodeIndices[nodeName] != nil else {
            forget(key)
            return nil
        }
        let now = clock.now()
        let (actions, wake) = state.withLock { state in plan(pod, key: key, node: nodeName, now: now, state: &state) }
        if let wake { timers.schedule(.pod(key), at: wake) }
        let namespace = pod.metadata.namespace ?? ""
        let name = pod.metadata.name ?? ""
        let pods = client.resource(CoreV1.Pod.self, namespace: namespace)
        if let status = actions.status {
            var updated = pod
            updated.status = status
            updated.setTypeMeta()
            do {
                // Only the new resourceVersion of the answer matters: it is not decoded as a Pod.
                let written = try await pods.dynamic.updateStatus(updated.toJSON())
                count(\.podStatusWrites)
                state.withLock { state in
                    guard state.pods[key]?.runtime.uid == pod.metadata.uid else { return }
                    state.pods[key]?.lastDesired = status
                    state.pods[key]?.written.record(written[path: ["metadata", "resourceVersion"]]?.stringValue)
                }
            } catch let error as APIStatusError where error.isConflict {
                do {
                    let fresh = try await pods.get(name)
                    return fresh.metadata.uid == pod.metadata.uid ? fresh : nil
                } catch let error as APIStatusError where error.isNotFound {
                    return nil
                }
            } catch let error as APIStatusError where error.isNotFound {
                return nil
            }
        }
        if actions.delete {
            do {
                try await pods.delete(name, options: .with(gracePeriodSeconds: 0, preconditionUID: pod.metadata.uid))
                count(\.podDeletions)
            } catch let error as APIStatusError where error.isNotFound || error.isConflict {
                // Gone already, or a new pod of the same name.
            }
            state.withLock { state in
                guard state.pods[key]?.runtime.uid == pod.metadata.uid else { return }
                state.pods[key]?.deleteIssued = true
            }
        }
        return nil
    }

    /// Decides what the kubelet does for `pod` now; pure apart from the state it updates.
    /// Returns the actions and when to look at the pod again.
    func plan(_ pod: CoreV1.Pod, key: String, node nodeName: String, now: Date, state: inout State) -> (PodActions, Date?) {
        guard let node = state.nodes[nodeName], node.registered, !node.stopped, !node.deleted else { return (PodActions(), nil) }
        var tracked: TrackedPod
        if let existing = state.pods[key], existing.runtime.uid == pod.metadata.uid {
            tracked = existing
        } else {
            if let previous = state.pods.removeValue(forKey: key) { release(previous, key: key, in: &state) }
            tracked = TrackedPod(runtime: PodRuntime(pod: pod, startTime: pod.status.startTime?.date ?? now), node: nodeName)
            if pod.status.phase != "Succeeded", pod.status.phase != "Failed", tracked.runtime.adopt(pod.status),
               let ip = tracked.runtime.podIP, !tracked.runtime.hostNetwork {
                state.nodes[nodeName]!.addresses?.reserve(ip)
            }
        }
        var actions = PodActions()
        defer { state.pods[key] = tracked }

        // The cache has not caught up with this pool's own last status write: anything written
        // from it would conflict. The informer's update for that write syncs the pod again.
        if tracked.written.isNewer(than: pod.metadata.resourceVersion) { return (actions, nil) }

        // A pod the API already shows finished stays finished; the kubelet only frees its
        // address and, once it is being deleted, deletes it for good.
        if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" {
            release(&tracked, key: key, in: &state)
            actions.delete = pod.metadata.deletionTimestamp != nil && !tracked.deleteIssued
            return (actions, nil)
        }

        if tracked.runtime.sandboxReadyAt == nil && tracked.runtime.killedAt == nil {
            startSandbox(&tracked, key: key, node: nodeName, now: now, state: &state)
        }

        var wake: Date?
        if pod.metadata.deletionTimestamp != nil && tracked.runtime.killedAt == nil {
            let observed = tracked.terminationObservedAt ?? now
            tracked.terminationObservedAt = observed
            let grace = Double(pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30)
            let stopAt = observed.addingTimeInterval(min(max(grace, 0), configuration.maximumTerminationDelay.timeInterval))
            if now < stopAt {
                wake = stopAt
            } else {
                tracked.runtime.advance(to: now, policy: configuration.crashLoop)
                tracked.runtime.kill(at: now)
            }
        }
        if wake == nil { wake = tracked.runtime.advance(to: now, policy: configuration.crashLoop) }

        let status = PodStatusBuilder.status(for: pod, runtime: tracked.runtime, hostIP: node.internalIP, now: now)
        let unchangedSinceWrite = status == tracked.lastDesired && tracked.written.isExactly(pod.metadata.resourceVersion)
        if status != pod.status && !unchangedSinceWrite { actions.status = status }
        if tracked.runtime.isTerminal {
            release(&tracked, key: key, in: &state)
            actions.delete = pod.metadata.deletionTimestamp != nil && !tracked.deleteIssued
        }
        return (actions, wake)
    }

    /// Gives the pod its address (the node's InternalIP for host-network pods); without a
    /// podCIDR or a free address it waits, showing ContainerCreating.
    private func startSandbox(_ tracked: inout TrackedPod, key: String, node: String, now: Date, state: inout State) {
        if tracked.runtime.hostNetwork {
            tracked.runtime.podIP = state.nodes[node]!.internalIP
        } else if let ip = state.nodes[node]!.addresses?.allocate() {
            tracked.runtime.podIP = ip
        } else {
            state.nodes[node]!.waitingForAddress.insert(key)
            return
        }
        state.nodes[node]!.waitingForAddress.remove(key)
        tracked.runtime.sandboxReadyAt = now
    }

    /// Frees the pod's address (its sandbox is gone) and wakes pods waiting for one.
    private func release(_ tracked: inout TrackedPod, key: String, in state: inout State) {
        guard !tracked.addressReleased else { return }
        tracked.addressReleased = true
        state.nodes[tracked.node]?.waitingForAddress.remove(key)
        guard let ip = tracked.runtime.podIP, !tracked.runtime.hostNetwork else { return }
        state.nodes[tracked.node]?.addresses?.release(ip)
        for waiting in state.nodes[tracked.node]?.waitingForAddress ?? [] { podQueue.add(waiting) }
    }

    private func release(_ tracked: TrackedPod, key: String, in state: inout State) {
        var tracked = tracked
        release(&tracked, key: key, in: &state)
    }

    /// The pod is gone from the API (or left the pool's nodes): forget it.
    func forget(_ key: String) {
        timers.cancel(.pod(key))
        state.withLock { state in
            guard let tracked = state.pods.removeValue(forKey: key) else { return }
            release(tracked, key: key, in: &state)
        }
    }
}
