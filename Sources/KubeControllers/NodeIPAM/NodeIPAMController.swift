import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// Gives every node a pod CIDR from the cluster CIDR (upstream's range allocator): a /24 (the
/// configured mask) written to `spec.podCIDR` and `spec.podCIDRs` when the node appears,
/// released when it is deleted, never handed to two nodes. Assignments already on nodes are
/// read first, so a restart reuses nothing that is taken.
public final class NodeIPAMController: Controller {
    public let name = "node-ipam"

    struct Allocations {
        var set: CIDRSet
        /// Node name → subnet index, for every node known to hold (or be getting) one.
        var byNode: [String: Int] = [:]
    }

    let loop: ReconcileLoop
    let nodes: Informer<CoreV1.Node>
    let client: APIClient
    let events: EventRecorder
    let allocations: Mutex<Allocations>
    /// False when the cluster CIDR cannot be used: the controller then does nothing.
    let enabled: Bool
    let logger: Logger

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context, workers: 1)
        nodes = context.informers.informer(CoreV1.Node.self)
        client = context.client
        events = context.events
        logger = context.logger(for: name)
        do {
            allocations = Mutex(Allocations(set: try CIDRSet(cidr: context.settings.clusterCIDR, subnetPrefix: context.settings.nodeCIDRMaskSize)))
            enabled = true
        } catch {
            logger.error("invalid cluster CIDR; node IPAM is off", metadata: ["cidr": "\(context.settings.clusterCIDR)", "error": "\(error)"])
            allocations = Mutex(Allocations(set: try! CIDRSet(cidr: "10.42.0.0/16", subnetPrefix: 24)))
            enabled = false
        }
        let loop = self.loop
        nodes.addEventHandler(InformerEventHandler(
            onAdd: { loop.enqueue($0) },
            onUpdate: { old, new in if old.spec.podCIDR != new.spec.podCIDR || (new.spec.podCIDR ?? "").isEmpty { loop.enqueue(new) } },
            onDelete: { [weak self] node in self?.release(node) }))
    }

    public func run() async throws {
        guard enabled else { return }
        // Existing assignments first: nothing handed out may collide with them.
        for node in nodes.store.list() { occupy(node) }
        await loop.run { [self] key in try await sync(key) }
    }

    /// Records the CIDR a node already holds.
    func occupy(_ node: CoreV1.Node) {
        guard let cidr = node.spec.podCIDR, !cidr.isEmpty, let name = node.metadata.name else { return }
        allocations.withLock { allocations in
            guard let index = allocations.set.index(of: cidr) else { return }
            if let previous = allocations.byNode[name], previous != index { allocations.set.release(previous) }
            allocations.set.occupy(index)
            allocations.byNode[name] = index
        }
    }

    func release(_ node: CoreV1.Node) {
        guard let name = node.metadata.name else { return }
        allocations.withLock { allocations in
            guard let index = allocations.byNode.removeValue(forKey: name) else { return }
            // Only when no other node claims the same subnet (a node created with a clashing CIDR).
            if !allocations.byNode.values.contains(index) { allocations.set.release(index) }
        }
    }

    func sync(_ name: String) async throws {
        guard enabled, let node = nodes.store.get(name) else { return }
        if let cidr = node.spec.podCIDR, !cidr.isEmpty {
            occupy(node)
            return
        }
        // A subnet handed out before but not yet seen on the node is reused, not doubled.
        let picked: Int? = allocations.withLock { allocations in
            if let index = allocations.byNode[name] { return index }
            guard let index = allocations.set.allocate() else { return nil }
            allocations.byNode[name] = index
            return index
        }
        guard let index = picked else {
            events.record(node, type: .normal, reason: "CIDRNotAvailable", message: "Node \(name) status is now: CIDRNotAvailable")
            logger.warning("no pod CIDR left for node", metadata: ["node": "\(name)"])
            return
        }
        let cidr = allocations.withLock { $0.set.cidr(index) }
        let patch: JSONValue = ["metadata": ["uid": .string(node.metadata.uid ?? "")],
                                "spec": ["podCIDR": .string(cidr), "podCIDRs": [.string(cidr)]]]
        do {
            _ = try await client.resource(CoreV1.Node.self).patch(name, type: .merge, body: patch)
            logger.debug("pod CIDR assigned", metadata: ["node": "\(name)", "cidr": "\(cidr)"])
        } catch let error as APIStatusError where error.isNotFound || error.isConflict {
            // Gone (or replaced): the subnet goes back.
            allocations.withLock { allocations in
                if allocations.byNode[name] == index {
                    allocations.byNode[name] = nil
                    allocations.set.release(index)
                }
            }
            if error.isConflict { loop.enqueue(name) }
        }
    }
}
