import Foundation
import KubeModel
import KubeStore

/// Upstream's ResourceQuota admission: a create (or an update that grows a service or claim)
/// in a namespace is checked against every ResourceQuota there that covers it, by the quota's
/// `status.hard` and `status.used`, and forbidden when it would exceed one; otherwise the usage
/// is added to `status.used` before the object is stored (and taken back when the write does
/// not happen). The controller that recomputes usage and fills `status` comes later.
public struct ResourceQuotaAdmission: AdmissionPlugin {
    static let quotaKeys = StorageKeys(group: "", plural: "resourcequotas", namespaced: true)
    static let quotas = QualifiedResource(group: "", resource: "resourcequotas")
    static let reservationKey = "ResourceQuota"
    static let attempts = 16
    /// Resources quota never counts (upstream's ignored resources): ones that are not stored,
    /// and events.
    static let ignored: Set<String> = [
        "/bindings", "/componentstatuses", "/events", "events.k8s.io/events",
        "authentication.k8s.io/tokenreviews", "authentication.k8s.io/selfsubjectreviews",
        "authorization.k8s.io/subjectaccessreviews", "authorization.k8s.io/selfsubjectaccessreviews",
        "authorization.k8s.io/localsubjectaccessreviews", "authorization.k8s.io/selfsubjectrulesreviews",
    ]

    /// Usage added to one quota.
    struct Charge: Equatable {
        var quota: String
        var amounts: ResourceList
    }

    let store: any Store
    let now: @Sendable () -> Date

    public init(store: any Store, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    public func admit(_ attributes: inout AdmissionAttributes) async throws {
        let resource = attributes.resource
        guard attributes.subresource == nil, attributes.operation != .delete, attributes.object != nil,
            let namespace = attributes.namespace, !namespace.isEmpty,
            !Self.ignored.contains(resource.group + "/" + resource.plural)
        else { return }
        let evaluator = QuotaEvaluator(group: resource.group, plural: resource.plural)
        guard evaluator.handles(attributes.operation) else { return }
        var conflicted = ""
        for _ in 0..<Self.attempts {
            let listed = try await store.list(prefix: Self.quotaKeys.listPrefix(namespace: namespace))
            guard !listed.items.isEmpty else { return }
            let quotas = try listed.items.map { (kv: $0, quota: try CoreV1.ResourceQuota(json: StoredObject.decode($0))) }
            let charges = try Self.check(quotas.map(\.quota), attributes, evaluator, now: now())
            // Dry runs are checked but charge nothing, as upstream.
            if charges.isEmpty || attributes.isDryRun { return }
            if let failed = try await charge(charges, quotas: quotas.map(\.kv), namespace: namespace) {
                conflicted = failed
                continue
            }
            attributes.reserved[Self.reservationKey] = Self.encode(charges)
            return
        }
        throw APIError.staleResourceVersion(Self.quotas, name: conflicted)
    }

    public func finished(_ attributes: AdmissionAttributes, committed: Bool) async {
        guard !committed, let reserved = attributes.reserved[Self.reservationKey], let namespace = attributes.namespace else { return }
        // A failed write gives back what it was charged; the quota controller will recount anyway.
        try? await release(Self.decode(reserved), namespace: namespace)
    }

    // MARK: Checking

    /// Upstream's CheckRequest: the charges the request makes to `quotas`, or the Forbidden
    /// error of the first quota it violates.
    static func check(_ quotas: [CoreV1.ResourceQuota], _ attributes: AdmissionAttributes, _ evaluator: QuotaEvaluator,
                      now: Date) throws -> [Charge] {
        guard let object = attributes.object else { return [] }
        let target = QualifiedResource(group: attributes.resource.group, resource: attributes.resource.plural)
        func forbidden(_ message: String) -> APIError { APIError.forbidden(target, name: attributes.name, message: message) }

        var covering: [CoreV1.ResourceQuota] = []
        for quota in quotas where try evaluator.matches(quota, object: object) {
            let name = quota.metadata.name ?? ""
            let hard = quota.status.hard ?? [:]
            let used = quota.status.used ?? [:]
            let restricted = evaluator.matchingResources(Array(hard.keys)).sorted()
            if let violation = try evaluator.constraintViolation(required: restricted, object: object) {
                throw forbidden("failed quota: \(name): \(violation)")
            }
            if restricted.contains(where: { used[$0] == nil }) {
                throw forbidden("status unknown for quota: \(name), resources: \(restricted.joined(separator: ","))")
            }
            covering.append(quota)
        }

        var delta = try evaluator.usage(object, now: now)
        let negative = QuotaResourceList.negativeNames(delta)
        if !negative.isEmpty { throw forbidden("quota usage is negative for resource(s): \(negative.joined(separator: ","))") }
        if attributes.operation == .update {
            guard let old = attributes.oldObject else {
                throw forbidden("unable to get previous usage since prior version of object was not found")
            }
            if !(old[path: ["metadata", "resourceVersion"]]?.stringValue ?? "").isEmpty {
                delta = QuotaResourceList.subtractNonNegative(delta, try evaluator.usage(old, now: now))
            }
        }
        delta = QuotaResourceList.removingZeros(delta)
        guard !delta.isEmpty else { return [] }

        var charges: [Charge] = []
        for quota in covering {
            let hard = quota.status.hard ?? [:]
            let used = quota.status.used ?? [:]
            let requested = QuotaResourceList.mask(delta, hard.keys)
            let total = QuotaResourceList.add(used, requested)
            let exceeded = QuotaResourceList.exceeding(QuotaResourceList.mask(total, requested.keys), hard)
            if !exceeded.isEmpty {
                throw forbidden(exceededMessage(quota.metadata.name ?? "", requested: QuotaResourceList.mask(requested, exceeded),
                                                used: QuotaResourceList.mask(used, exceeded), hard: QuotaResourceList.mask(hard, exceeded)))
            }
            if !requested.isEmpty { charges.append(Charge(quota: quota.metadata.name ?? "", amounts: requested)) }
        }
        return charges
    }

    static func exceededMessage(_ name: String, requested: ResourceList, used: ResourceList, hard: ResourceList) -> String {
        "exceeded quota: \(name), requested: \(QuotaResourceList.text(requested)), used: \(QuotaResourceList.text(used)), "
            + "limited: \(QuotaResourceList.text(hard))"
    }

    // MARK: Charging

    /// Adds every charge to its quota's `status.used` at the listed version. On a conflict the
    /// charges made so far are taken back and the conflicting quota's name returned, so the
    /// caller checks again against fresh quotas.
    func charge(_ charges: [Charge], quotas: [KeyValue], namespace: String) async throws -> String? {
        var applied: [Charge] = []
        for charge in charges {
            let key = Self.quotaKeys.key(namespace: namespace, name: charge.quota)
            guard let kv = quotas.first(where: { $0.key == key }) else { continue }
            var json = try StoredObject.decode(kv)
            Self.setUsed(&json) { QuotaResourceList.add($0, charge.amounts) }
            do {
                _ = try await store.update(key, value: StoredObject.storageBytes(json), expectedModRevision: kv.modRevision)
                applied.append(charge)
            } catch {
                try await release(applied, namespace: namespace)
                switch error {
                case StoreError.conflict, StoreError.notFound: return charge.quota
                default: throw error
                }
            }
        }
        return nil
    }

    /// Takes charges back (never below zero).
    func release(_ charges: [Charge], namespace: String) async throws {
        for charge in charges {
            try await StoredObject.modify(in: store, key: Self.quotaKeys.key(namespace: namespace, name: charge.quota)) { json in
                Self.setUsed(&json) { used in
                    var result = used
                    for (name, amount) in charge.amounts {
                        if let current = used[name] { result[name] = Swift.max(.zero, current - amount) }
                    }
                    return result
                }
                return true
            }
        }
    }

    static func setUsed(_ quota: inout JSONValue, _ change: (ResourceList) -> ResourceList) {
        var status = quota["status"]?.objectValue ?? [:]
        status["used"] = QuotaResourceList.json(change(QuotaResourceList.parse(status["used"])))
        quota["status"] = .object(status)
    }

    static func encode(_ charges: [Charge]) -> JSONValue {
        .object(JSONObject(uniqueKeysWithValues: charges.map { ($0.quota, QuotaResourceList.json($0.amounts)) }))
    }

    static func decode(_ json: JSONValue) -> [Charge] {
        (json.objectValue ?? [:]).map { Charge(quota: $0.key, amounts: QuotaResourceList.parse($0.value)) }
    }
}

extension QuotaEvaluator {
    /// Pods and plain objects are charged when created; services and claims also when an
    /// update changes their type or size.
    func handles(_ operation: AdmissionAttributes.Operation) -> Bool {
        switch kind {
        case .pods, .objectCount: operation == .create
        case .services, .persistentVolumeClaims: operation == .create || operation == .update
        }
    }
}
