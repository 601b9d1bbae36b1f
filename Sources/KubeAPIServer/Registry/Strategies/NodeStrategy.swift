import KubeModel

/// Nodes: podCIDR and podCIDRs in step, allocatable defaulting to capacity; valid taints
/// (upstream reports them under metadata.taints) and pod CIDRs, which, like providerID, may
/// only be set once; `spec.unschedulable` is selectable.
struct NodeStrategy: ResourceStrategy {
    typealias Object = CoreV1.Node
    /// The kubelet registers its Node with status (capacity, addresses) in the create.
    var keepsStatusOnCreate: Bool { true }

    func applyDefaults(_ node: inout CoreV1.Node) {
        if let cidrs = node.spec.podCIDRs, let first = cidrs.first {
            node.spec.podCIDR = first
        } else if let cidr = node.spec.podCIDR, !cidr.isEmpty {
            node.spec.podCIDRs = [cidr]
        }
        if node.status.allocatable == nil, let capacity = node.status.capacity { node.status.allocatable = capacity }
    }

    func validate(_ node: CoreV1.Node) -> [FieldError] {
        var errors = PodSchedulingValidation.validateTaints(node.spec.taints ?? [], path: FieldPath("metadata", "taints"))
        let cidrsPath = FieldPath("spec", "podCIDRs")
        let cidrs = node.spec.podCIDRs ?? []
        for (index, cidr) in cidrs.enumerated() { errors += IPChecks.cidr(cidr, cidrsPath.index(index)) }
        if cidrs.count > 1 {
            let families = Set(cidrs.compactMap { IPAddress.parseCIDR($0)?.address.isIPv4 })
            if families.count != cidrs.count {
                errors.append(.invalid(cidrsPath, .strings(cidrs), "may specify no more than one CIDR for each IP family"))
            }
        }
        for (name, quantity) in (node.status.capacity ?? [:]).sorted(by: { $0.key < $1.key }) where quantity.sign < 0 {
            errors.append(.invalid(FieldPath("status", "capacity").key(name), .string(quantity.description), ValidationMessages.negative))
        }
        for (name, quantity) in (node.status.allocatable ?? [:]).sorted(by: { $0.key < $1.key }) where quantity.sign < 0 {
            errors.append(.invalid(FieldPath("status", "allocatable").key(name), .string(quantity.description), ValidationMessages.negative))
        }
        return errors
    }

    func validateUpdate(_ node: CoreV1.Node, old: CoreV1.Node) -> [FieldError] {
        var errors = validate(node)
        let oldCIDRs = old.spec.podCIDRs ?? []
        let newCIDRs = node.spec.podCIDRs ?? []
        if !oldCIDRs.isEmpty, oldCIDRs.count > newCIDRs.count || zip(oldCIDRs, newCIDRs).contains(where: { $0 != $1 }) {
            errors.append(.forbidden(FieldPath("spec", "podCIDRs"), "node updates may not change podCIDR except from \"\" to valid"))
        }
        if let providerID = old.spec.providerID, !providerID.isEmpty, node.spec.providerID != providerID {
            errors.append(.forbidden(FieldPath("spec", "providerID"), "node updates may not change providerID except from \"\" to valid"))
        }
        return errors
    }

    func selectableFields(_ node: CoreV1.Node) -> [String: String] {
        ["spec.unschedulable": String(node.spec.unschedulable ?? false)]
    }
}
