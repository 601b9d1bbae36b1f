/// The fields one manager owns, the version it last wrote them through, and whether it applied them.
struct OwnedFields: Sendable {
    var set: FieldSet
    var apiVersion: String
    var applied: Bool
}

/// `metadata.managedFields` decoded: each manager's fields and the time it last changed them.
struct ManagedFieldsState: Sendable {
    /// Upstream's bucket for the oldest updaters once there are too many.
    static let ancientChangesManager = "ancient-changes"

    var owners: [ManagerIdentity: OwnedFields] = [:]
    var times: [ManagerIdentity: String] = [:]

    init() {}

    /// Reads entries as upstream does; a later entry for the same manager replaces an earlier one.
    init(decoding managedFields: JSONValue?) throws(ManagedFieldsError) {
        guard let managedFields, !managedFields.isNull else { return }
        guard case .array(let entries) = managedFields else {
            throw .internalError("metadata.managedFields is a \(managedFields.typeName), not a list")
        }
        for (index, json) in entries.enumerated() {
            let entry = try FieldOwnership(json: json, index: index)
            owners[entry.identity] = OwnedFields(set: entry.fields, apiVersion: entry.apiVersion, applied: entry.operation == ManagerIdentity.applyOperation)
            times[entry.identity] = entry.time
        }
    }

    var isEmpty: Bool { owners.isEmpty }

    /// Entries in the order upstream stores them.
    var entries: [FieldOwnership] {
        owners.map { identity, owned in
            FieldOwnership(
                manager: identity.manager,
                operation: owned.applied ? ManagerIdentity.applyOperation : ManagerIdentity.updateOperation,
                apiVersion: owned.apiVersion, time: times[identity], fields: owned.set, subresource: identity.subresource)
        }
        .sorted(by: FieldOwnership.storageOrder)
    }

    mutating func removeEmptyOwners() {
        for (identity, owned) in owners where owned.set.isEmpty {
            owners[identity] = nil
            times[identity] = nil
        }
    }

    /// Keeps at most `maximum` updaters by merging the oldest into one "ancient-changes" entry per
    /// API version, as upstream does so objects written by many controllers stay small.
    mutating func capUpdateManagers(maximum: Int) {
        var updaters = owners.filter { !$0.value.applied }.map(\.key)
        guard updaters.count > maximum else { return }
        updaters.sort { a, b in
            let (aSeconds, bSeconds) = (FieldOwnership.seconds(times[a]), FieldOwnership.seconds(times[b]))
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
                times[first] = nil
            }
            let bucketSet = owners[bucket]?.set ?? FieldSet()
            owners[bucket]?.set = owned.set.union(bucketSet)
            owners[identity] = nil
            times[bucket] = times.removeValue(forKey: identity)
            remaining -= 1
        }
    }

    /// `object` with these entries as its `metadata.managedFields` (the key gone when there are none).
    func written(into object: JSONValue) -> JSONValue {
        guard case .object(var root) = object, !(isEmpty && root["metadata"] == nil) else { return object }
        var metadata = root["metadata"]?.objectValue ?? [:]
        metadata["managedFields"] = isEmpty ? nil : .array(entries.map(\.json))
        root["metadata"] = .object(metadata)
        return .object(root)
    }
}
