/// The fields one manager owns, the version it last wrote them through, whether it applied them,
/// and when it last changed them.
struct OwnedFields: Sendable {
    private enum Storage: Sendable {
        case set(FieldSet)
        /// FieldsV1 as stored, checked to read without error and to be spelled as its set would
        /// be written: kept as it is (and written back as it is) until the set has to change.
        case canonical(JSONValue)
    }

    private var storage: Storage
    var apiVersion: String
    var applied: Bool
    /// RFC 3339; nil when the entry has none.
    var time: String?

    init(set: FieldSet, apiVersion: String, applied: Bool, time: String?) {
        storage = .set(set)
        self.apiVersion = apiVersion
        self.applied = applied
        self.time = time
    }

    /// `fieldsV1` must pass `FieldSet.isCanonicalFieldsV1`.
    init(canonicalFieldsV1 fieldsV1: JSONValue, apiVersion: String, applied: Bool, time: String?) {
        storage = .canonical(fieldsV1)
        self.apiVersion = apiVersion
        self.applied = applied
        self.time = time
    }

    var set: FieldSet {
        get {
            switch storage {
            case .set(let set): return set
            case .canonical(let fieldsV1): return (try? FieldSet(fieldsV1: fieldsV1)) ?? FieldSet()
            }
        }
        set { storage = .set(newValue) }
    }

    var isEmpty: Bool {
        switch storage {
        case .set(let set): return set.isEmpty
        case .canonical(let fieldsV1): return fieldsV1.objectValue?.isEmpty ?? true
        }
    }

    /// The set as FieldsV1.
    var fieldsV1: JSONValue {
        switch storage {
        case .set(let set): return set.fieldsV1
        case .canonical(let fieldsV1): return fieldsV1
        }
    }

    /// Reads the set now, for callers about to use it many times.
    mutating func decode() {
        if case .canonical = storage { storage = .set(set) }
    }

    /// Takes away the paths of `changed` and `removed` (as `subtracting` each). A stored set is
    /// edited where they touch it, without being read.
    mutating func subtract(_ changed: FieldSet, _ removed: FieldSet) {
        switch storage {
        case .canonical(let fieldsV1):
            guard case .object(var level) = fieldsV1 else { return }
            var edited = false
            if let result = FieldSet.fieldsV1(level, subtracting: changed) {
                level = result
                edited = true
            }
            if let result = FieldSet.fieldsV1(level, subtracting: removed) {
                level = result
                edited = true
            }
            if edited { storage = .canonical(.object(level)) }
        case .set(var set):
            let tookChanged = set.subtract(changed)
            let tookRemoved = set.subtract(removed)
            if tookChanged || tookRemoved { storage = .set(set) }
        }
    }

    /// Adds the paths of `other` (as `union`); a stored set is edited, not read.
    mutating func formUnion(_ other: FieldSet) {
        switch storage {
        case .canonical(let fieldsV1):
            storage = .canonical(.object(FieldSet.fieldsV1(fieldsV1.objectValue ?? [:], adding: other)))
        case .set(var set):
            set.formUnion(other)
            storage = .set(set)
        }
    }
}

/// `metadata.managedFields` decoded: each manager's fields and the time it last changed them.
struct ManagedFieldsState: Sendable {
    /// Upstream's bucket for the oldest updaters once there are too many.
    static let ancientChangesManager = "ancient-changes"

    var owners: [ManagerIdentity: OwnedFields] = [:]

    init() {}

    /// Reads entries as upstream does; a later entry for the same manager replaces an earlier one.
    /// Fields stored in the form they would be written are checked but not read until used.
    init(decoding managedFields: JSONValue?) throws(ManagedFieldsError) {
        guard let managedFields, !managedFields.isNull else { return }
        guard case .array(let entries) = managedFields else {
            throw .internalError("metadata.managedFields is a \(managedFields.typeName), not a list")
        }
        for (index, json) in entries.enumerated() {
            let (header, fieldsV1) = try FieldOwnership.header(of: json, index: index)
            let applied = header.operation == ManagerIdentity.applyOperation
            let identity = ManagerIdentity(
                manager: header.manager, operation: header.operation, apiVersion: header.apiVersion,
                subresource: header.subresource)
            if FieldSet.isCanonicalFieldsV1(fieldsV1) {
                owners[identity] = OwnedFields(
                    canonicalFieldsV1: fieldsV1, apiVersion: header.apiVersion, applied: applied, time: header.time)
            } else {
                owners[identity] = OwnedFields(
                    set: try FieldOwnership.fields(fieldsV1, index: index), apiVersion: header.apiVersion, applied: applied,
                    time: header.time)
            }
        }
    }

    var isEmpty: Bool { owners.isEmpty }

    /// Reads every stored set, for work that uses them all.
    mutating func decodeAll() {
        for identity in owners.keys { owners[identity]?.decode() }
    }

    /// Entries in the order upstream stores them.
    var entries: [FieldOwnership] {
        let (identities, owned, order) = sortedOwners()
        return order.map { index in
            FieldOwnership(
                manager: identities[index].manager, operation: Self.operation(owned[index]), apiVersion: owned[index].apiVersion,
                time: owned[index].time, fields: owned[index].set, subresource: identities[index].subresource)
        }
    }

    private static func operation(_ owned: OwnedFields) -> String {
        owned.applied ? ManagerIdentity.applyOperation : ManagerIdentity.updateOperation
    }

    /// The owners, and their positions in upstream's order of entries
    /// (`FieldOwnership.storageOrder`); times are parsed at most once.
    private func sortedOwners() -> (identities: [ManagerIdentity], owned: [OwnedFields], order: [Int]) {
        let identities = Array(owners.keys)
        let owned = Array(owners.values)
        var order = Array(owned.indices)
        guard owned.count > 1 else { return (identities, owned, order) }
        var seconds: [Int64?] = Array(repeating: nil, count: owned.count)
        func secondsOf(_ index: Int) -> Int64 {
            if let known = seconds[index] { return known }
            let parsed = FieldOwnership.seconds(owned[index].time)
            seconds[index] = parsed
            return parsed
        }
        func precedes(_ a: Int, _ b: Int) -> Bool {
            if owned[a].applied != owned[b].applied { return owned[a].applied }  // "Apply" before "Update"
            let (aSeconds, bSeconds) = (secondsOf(a), secondsOf(b))
            if aSeconds != bSeconds { return aSeconds < bSeconds }
            if identities[a].manager != identities[b].manager {
                return compareBytes(identities[a].manager, identities[b].manager) < 0
            }
            if owned[a].apiVersion != owned[b].apiVersion { return compareBytes(owned[a].apiVersion, owned[b].apiVersion) < 0 }
            return compareBytes(identities[a].subresource, identities[b].subresource) < 0
        }
        // Few owners: an insertion sort of positions (the order is total, so any sort agrees).
        for next in 1..<order.count {
            var position = next
            while position > 0, precedes(order[next], order[position - 1]) { position -= 1 }
            if position != next { order.insert(order.remove(at: next), at: position) }
        }
        return (identities, owned, order)
    }

    mutating func removeEmptyOwners() {
        for (identity, owned) in owners where owned.isEmpty {
            owners[identity] = nil
        }
    }

    /// Keeps at most `maximum` updaters by merging the oldest into one "ancient-changes" entry per
    /// API version, as upstream does so objects written by many controllers stay small.
    mutating func capUpdateManagers(maximum: Int) {
        var count = 0
        for owned in owners.values where !owned.applied { count += 1 }
        guard count > maximum else { return }
        var updaters = owners.filter { !$0.value.applied }.map(\.key)
        updaters.sort { a, b in
            let (aSeconds, bSeconds) = (FieldOwnership.seconds(owners[a]?.time), FieldOwnership.seconds(owners[b]?.time))
            if aSeconds != bSeconds { return aSeconds < bSeconds }
            return compareBytes(a.identifier, b.identifier) < 0
        }
        var remaining = updaters.count
        var firstByVersion: [String: ManagerIdentity] = [:]
        for identity in updaters where remaining > maximum {
            guard let owned = owners[identity] else { continue }
            let bucket = ManagerIdentity(
                manager: Self.ancientChangesManager, operation: ManagerIdentity.updateOperation,
                apiVersion: owned.apiVersion, subresource: "")
            // The oldest updater of a version (or an earlier bucket) waits; it only moves into the
            // bucket when a second one of that version has to go too.
            guard let first = firstByVersion[owned.apiVersion], identity != bucket else {
                if firstByVersion[owned.apiVersion] == nil { firstByVersion[owned.apiVersion] = identity }
                continue
            }
            if owners[bucket] == nil, let firstOwned = owners.removeValue(forKey: first) {
                owners[bucket] = firstOwned
            }
            let bucketSet = owners[bucket]?.set ?? FieldSet()
            owners[bucket]?.set = owned.set.union(bucketSet)
            // The bucket takes the time of the updater it took last.
            owners[bucket]?.time = owned.time
            owners[identity] = nil
            remaining -= 1
        }
    }

    /// `object` with these entries as its `metadata.managedFields` (the key gone when there are none).
    func written(into object: consuming JSONValue) -> JSONValue {
        let (identities, owned, order) = sortedOwners()
        let entries = order.map { index in
            FieldOwnership.json(
                manager: identities[index].manager, operation: Self.operation(owned[index]), apiVersion: owned[index].apiVersion,
                time: owned[index].time, fieldsV1: owned[index].fieldsV1, subresource: identities[index].subresource)
        }
        return Self.writing(entries, into: object)
    }

    /// `object` with `entries` (already in storage order) as its `metadata.managedFields`. Takes
    /// the object so that, when the caller holds no other copy, it is edited in place.
    static func writing(_ entries: [JSONValue], into object: consuming JSONValue) -> JSONValue {
        guard case .object(var root) = object else { return object }
        object = .null
        guard let index = root.index(forKey: "metadata") else {
            guard !entries.isEmpty else { return .object(root) }
            root["metadata"] = .object(["managedFields": .array(entries)])
            return .object(root)
        }
        var metadata = root.values[index].objectValue ?? [:]
        root.values[index] = .null
        metadata["managedFields"] = entries.isEmpty ? nil : .array(entries)
        root.values[index] = .object(metadata)
        return .object(root)
    }
}
