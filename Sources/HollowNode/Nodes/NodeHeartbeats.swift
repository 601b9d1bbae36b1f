import Foundation
import KubeClient
import KubeModel
import Logging

/// Registration, Lease renewal, node status reports and the podCIDR fallback.
extension HollowNodePool {
    var nodes: ResourceClient<CoreV1.Node> { client.resource(CoreV1.Node.self) }
    var leases: ResourceClient<CoordinationV1.Lease> { client.resource(CoordinationV1.Lease.self, namespace: NodeTemplate.leaseNamespace) }

    // MARK: - Registration

    /// Registers every node, a bounded number at a time, each retried until it succeeds.
    func registerAll() async throws {
        // Pods already running on these nodes (a restarted process) keep their addresses: the
        // address pools are opened only once the pods are known; the podCIDR fallback knows
        // the subnets other nodes use.
        try await podInformer.waitForSync()
        try await nodeInformer.waitForSync()
        let started = ContinuousClock.now
        let names = configuration.nodeNames
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func addNext() {
                guard next < names.count else { return }
                let name = names[next]
                next += 1
                group.addTask { try await self.registerRetrying(name) }
            }
            for _ in 0..<max(1, configuration.registrationConcurrency) { addNext() }
            while try await group.next() != nil { addNext() }
        }
        logger.info("hollow nodes registered", metadata: [
            "count": "\(names.count)", "seconds": "\((ContinuousClock.now - started).timeInterval)",
        ])
    }

    private func registerRetrying(_ name: String) async throws {
        var delay = Duration.milliseconds(200)
        while true {
            do {
                return try await register(name)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                count(\.failures)
                logger.warning("registering hollow node failed; retrying", metadata: ["node": "\(name)", "error": "\(error)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(7))
            }
        }
    }

    /// Creates the Node (or refreshes the status of an existing one, as a restarted kubelet
    /// does) and its Lease, then starts the node's heartbeats and pods.
    func register(_ name: String) async throws {
        let internalIP = state.withLock { $0.nodes[name]!.internalIP }
        let now = clock.now()
        var node: CoreV1.Node
        do {
            node = try await nodes.create(template.node(name: name, internalIP: internalIP, now: now))
        } catch let error as APIStatusError where error.isAlreadyExists {
            node = try await nodes.get(name)
            node.status = template.status(name: name, internalIP: internalIP, previous: node.status, now: now)
            node = try await nodes.updateStatus(node)
        }
        let lease = try await createOrRenewLease(for: node, now: now)
        // Node IPAM may have set the podCIDR meanwhile; `observe` ignored that event because the
        // node was not registered yet, so take the informer's copy when it has one.
        if (node.spec.podCIDR ?? "").isEmpty, let seen = nodeInformer.store.get(name), seen.metadata.uid == node.metadata.uid,
           !(seen.spec.podCIDR ?? "").isEmpty {
            node = seen
        }
        let pending = state.withLock { state -> Set<String> in
            if !state.nodes[name]!.registered { state.registeredCount += 1 }
            state.nodes[name]!.registered = true
            state.nodes[name]!.uid = node.metadata.uid
            state.nodes[name]!.lease = lease
            return adoptPodCIDR(of: node, in: &state)
        }
        count(\.registeredNodes)
        timers.schedule(.node(.renewLease(name)), at: now.addingTimeInterval(configuration.leaseRenewInterval.timeInterval))
        timers.schedule(.node(.reportStatus(name)), at: now.addingTimeInterval(configuration.statusReportInterval.timeInterval))
        if let delay = configuration.podCIDRFallbackDelay, (node.spec.podCIDR ?? "").isEmpty {
            timers.schedule(.node(.assignPodCIDR(name)), at: now.addingTimeInterval(delay.timeInterval))
        }
        registrations.notify()
        for key in pending { podQueue.add(key) }
        enqueuePods(onNode: name)
    }

    private func createOrRenewLease(for node: CoreV1.Node, now: Date) async throws -> CoordinationV1.Lease {
        let fresh = template.lease(node: node, now: now)
        do {
            return try await leases.create(fresh)
        } catch let error as APIStatusError where error.isAlreadyExists {
            var lease = try await leases.get(fresh.metadata.name ?? "")
            lease.spec.holderIdentity = fresh.spec.holderIdentity
            lease.spec.leaseDurationSeconds = fresh.spec.leaseDurationSeconds
            lease.spec.renewTime = fresh.spec.renewTime
            lease.metadata.ownerReferences = fresh.metadata.ownerReferences
            return try await leases.update(lease)
        }
    }

    // MARK: - Heartbeats

    func perform(_ work: NodeWork) async throws {
        switch work {
        case .renewLease(let name): await renewLease(name)
        case .reportStatus(let name): await reportStatus(name)
        case .assignPodCIDR(let name): try await assignFallbackPodCIDR(name)
        }
    }

    /// True for a registered node that is neither stopped nor deleted.
    func isAlive(_ name: String) -> Bool {
        state.withLock { state in
            guard let node = state.nodes[name] else { return false }
            return node.registered && !node.stopped && !node.deleted
        }
    }

    /// Runs one heartbeat of a live node and schedules the next a period later (sooner after
    /// a failure). A node stopped or deleted meanwhile gets no next one.
    private func beat(_ work: NodeWork, of name: String, every period: Duration, _ action: (Date) async throws -> Void) async {
        guard isAlive(name) else { return }
        let now = clock.now()
        var next = now.addingTimeInterval(period.timeInterval)
        do {
            try await action(now)
        } catch is CancellationError {
            return
        } catch {
            count(\.failures)
            logger.debug("heartbeat failed", metadata: ["node": "\(name)", "work": "\(work)", "error": "\(error)"])
            next = now.addingTimeInterval(configuration.heartbeatRetryDelay.timeInterval)
        }
        if isAlive(name) { timers.schedule(.node(work), at: next) }
    }

    /// Renews the node's Lease (the kubelet's node lease controller): the last written Lease
    /// with a new renewTime; on a conflict or a missing Lease, from the server's copy.
    func renewLease(_ name: String) async {
        await beat(.renewLease(name), of: name, every: configuration.leaseRenewInterval) { now in
            let known = state.withLock { $0.nodes[name]?.lease }
            var renewed: CoordinationV1.Lease
            do {
                guard var lease = known else { throw APIStatusError(code: 409, reason: "Conflict", message: "no lease known") }
                lease.spec.renewTime = MicroTime(now)
                lease.spec.holderIdentity = name
                renewed = try await leases.update(lease)
            } catch let error as APIStatusError where error.isConflict || error.isNotFound {
                if error.isConflict, known != nil { count(\.conflicts) }
                var cached = nodeInformer.store.get(name)
                if cached == nil { cached = try? await nodes.get(name) }
                guard let node = cached else { throw error }
                renewed = try await createOrRenewLease(for: node, now: now)
            }
            state.withLock { $0.nodes[name]?.lease = renewed }
            count(\.leaseRenewals)
        }
    }

    /// Writes the node status with fresh condition heartbeats (the kubelet's status report).
    /// A Node that is gone stops its kubelet: it is not registered again.
    func reportStatus(_ name: String) async {
        await beat(.reportStatus(name), of: name, every: configuration.statusReportInterval) { now in
            let internalIP = state.withLock { $0.nodes[name]!.internalIP }
            var current = nodeInformer.store.get(name)
            do {
                for attempt in 0..<5 {
                    var node: CoreV1.Node
                    if let current { node = current } else { node = try await nodes.get(name) }
                    node.status = template.status(name: name, internalIP: internalIP, previous: node.status, now: now)
                    do {
                        _ = try await nodes.updateStatus(node)
                        count(\.nodeStatusReports)
                        return
                    } catch let error as APIStatusError where error.isConflict && attempt < 4 {
                        count(\.conflicts)
                        current = nil
                    }
                }
            } catch let error as APIStatusError where error.isNotFound {
                logger.info("hollow node's Node is gone; it stops", metadata: ["node": "\(name)"])
                state.withLock { $0.nodes[name]?.deleted = true }
            }
        }
    }

    // MARK: - Watching the nodes

    /// A change to a Node: its podCIDR arriving opens the pod address pool; a status this
    /// kubelet would not report (Ready=Unknown from the node lifecycle controller) is corrected
    /// at once, as the kubelet's status loop does.
    func observe(_ node: CoreV1.Node) {
        guard let name = node.metadata.name, nodeIndices[name] != nil else {
            // Other nodes' subnets are not for the podCIDR fallback to hand out.
            if let cidrs = node.spec.podCIDRs, !cidrs.isEmpty { state.withLock { $0.usedPodCIDRs.formUnion(cidrs) } }
            return
        }
        let (pending, alive) = state.withLock { state -> (Set<String>, Bool) in
            for cidr in node.spec.podCIDRs ?? [] { state.usedPodCIDRs.insert(cidr) }
            let runtime = state.nodes[name]!
            // Before registration the pods the node already runs may not be known yet:
            // registration opens the address pool.
            guard runtime.registered else { return ([], false) }
            return (adoptPodCIDR(of: node, in: &state), !runtime.stopped && !runtime.deleted)
        }
        for key in pending { podQueue.add(key) }
        if !pending.isEmpty { enqueuePods(onNode: name) }
        if alive && template.needsReport(node) { timers.schedule(.node(.reportStatus(name)), at: clock.now()) }
    }

    func observeDeletion(of node: CoreV1.Node) {
        guard let name = node.metadata.name, nodeIndices[name] != nil else { return }
        let wasAlive = state.withLock { state -> Bool in
            guard state.nodes[name]!.registered, !state.nodes[name]!.deleted else { return false }
            state.nodes[name]!.deleted = true
            return true
        }
        if wasAlive { logger.info("hollow node's Node was deleted; it stops", metadata: ["node": "\(name)"]) }
    }

    /// Opens the node's address pool when its podCIDR is first seen, taking back the addresses
    /// of pods it already runs. Returns the pods that were waiting for an address.
    func adoptPodCIDR(of node: CoreV1.Node, in state: inout State) -> Set<String> {
        guard let name = node.metadata.name, state.nodes[name]?.addresses == nil else { return [] }
        let cidrs = node.spec.podCIDRs ?? node.spec.podCIDR.map { [$0] } ?? []
        guard let network = cidrs.lazy.compactMap(IPv4Network.init).first else { return [] }
        var pool = PodAddressPool(network: network)
        for tracked in state.pods.values where tracked.node == name && !tracked.addressReleased {
            if let ip = tracked.runtime.podIP { pool.reserve(ip) }
        }
        for pod in podInformer.store.byIndex(Self.nodeIndex, name) where pod.status.phase != "Succeeded" && pod.status.phase != "Failed" {
            if let ip = pod.status.podIP, !(pod.spec.hostNetwork ?? false) { pool.reserve(ip) }
        }
        state.nodes[name]!.addresses = pool
        let waiting = state.nodes[name]!.waitingForAddress
        state.nodes[name]!.waitingForAddress = []
        return waiting
    }

    // MARK: - podCIDR without IPAM

    /// Gives a node that still has no podCIDR the first subnet of the cluster CIDR no node uses.
    func assignFallbackPodCIDR(_ name: String) async throws {
        guard isAlive(name) else { return }
        if let node = nodeInformer.store.get(name), !(node.spec.podCIDR ?? "").isEmpty { return }
        let chosen = state.withLock { state -> String? in
            guard state.nodes[name]?.addresses == nil else { return nil }
            // Next-fit over the cluster CIDR's subnets, skipping ones any node was seen with.
            let subnets = configuration.clusterCIDR.subnetCount(prefixLength: configuration.nodeCIDRMaskSize)
            for _ in 0..<subnets {
                let index = state.fallbackCursor
                state.fallbackCursor = (index + 1) % max(1, subnets)
                guard let subnet = configuration.clusterCIDR.subnet(index, prefixLength: configuration.nodeCIDRMaskSize) else { continue }
                let text = subnet.description
                if state.usedPodCIDRs.insert(text).inserted { return text }
            }
            return nil
        }
        guard let cidr = chosen else {
            logger.warning("no free podCIDR left for hollow node", metadata: ["node": "\(name)", "clusterCIDR": "\(configuration.clusterCIDR)"])
            return
        }
        let patch: JSONValue = ["spec": ["podCIDR": .string(cidr), "podCIDRs": [.string(cidr)]]]
        let updated: CoreV1.Node
        do {
            updated = try await nodes.patch(name, type: .merge, body: patch)
        } catch let error as APIStatusError where error.isInvalid {
            // Someone (an IPAM controller) set one meanwhile.
            updated = try await nodes.get(name)
        }
        logger.info("hollow node assigned itself a podCIDR", metadata: ["node": "\(name)", "podCIDR": "\(updated.spec.podCIDR ?? "")"])
        observe(updated)
    }
}
