/// Field management as the Kubernetes API server does it (upstream's `FieldManager` over
/// structured-merge-diff): who owns which field, kept in `metadata.managedFields`, updated on
/// every write, and server-side apply built on it.
public enum ManagedFields {
    /// Updaters kept before the oldest are merged into "ancient-changes" (upstream's default).
    public static let maximumUpdateManagers = 10

    /// Fields no manager is recorded as owning: type information and metadata the server sets.
    public static let untrackedFields = FieldSet([
        FieldSetPath(fields: "apiVersion"), FieldSetPath(fields: "kind"), FieldSetPath(fields: "metadata"),
        FieldSetPath(fields: "metadata", "name"), FieldSetPath(fields: "metadata", "namespace"),
        FieldSetPath(fields: "metadata", "creationTimestamp"), FieldSetPath(fields: "metadata", "selfLink"),
        FieldSetPath(fields: "metadata", "uid"), FieldSetPath(fields: "metadata", "clusterName"),
        FieldSetPath(fields: "metadata", "generation"), FieldSetPath(fields: "metadata", "managedFields"),
        FieldSetPath(fields: "metadata", "resourceVersion"),
    ])

    /// The entries of an object's `metadata.managedFields`, as stored.
    public static func ownership(of object: JSONValue) throws(ManagedFieldsError) -> [FieldOwnership] {
        try ManagedFieldsState(decoding: object["metadata"]?["managedFields"]).entries
    }

    /// Records ownership for an ordinary create, update or patch (operation "Update"): `manager`
    /// takes every field this write added or changed, from whoever owned it, and nobody keeps
    /// fields the write removed. Returns `new` with its `metadata.managedFields` rewritten.
    ///
    /// - Parameters:
    ///   - live: the stored object, nil on create.
    ///   - new: the object about to be stored. Its own `managedFields`, when non-empty, replace the
    ///     stored ones (clients may edit them); `[]` clears them.
    ///   - apiVersion: the version the request used ("apps/v1").
    ///   - time: RFC 3339 time of the write.
    ///   - schema: the kind's schema (a catalog definition, or `{"ref": name}`).
    ///   - ignoredFields: fields the endpoint resets and nobody owns through it (`status` on a main
    ///     resource with a status subresource; the strategy's reset fields).
    ///   - subresource: "status", "scale"… when written through one.
    public static func applyUpdate(
        live: JSONValue?, new: JSONValue, manager: String, apiVersion: String, time: String,
        schema: JSONValue, ignoredFields: FieldSet = FieldSet(), subresource: String = ""
    ) -> JSONValue {
        let state = storedState(live: live, new: new, throughSubresource: !subresource.isEmpty)
        let old = withoutManagedFields(live ?? .object([:]))
        let result = withoutManagedFields(new)
        let identity = ManagerIdentity(
            manager: manager, operation: ManagerIdentity.updateOperation, apiVersion: apiVersion, subresource: subresource)
        do {
            if live == nil && state.isEmpty {
                // A create with nothing stored or sent: the writer owns whatever it wrote.
                let fields = try CreatedFields.fieldsV1(
                    of: result, schema: MergeSchema(schema), ignoring: ignoredFields, untracked: untrackedFields)
                guard !fields.isEmpty else { return ManagedFieldsState.writing([], into: result) }
                let entry = FieldOwnership.json(
                    manager: manager, operation: ManagerIdentity.updateOperation, apiVersion: apiVersion, time: time,
                    fieldsV1: .object(fields), subresource: subresource)
                return ManagedFieldsState.writing([entry], into: result)
            }
            var updated = state
            let counted = try transferOwnership(
                from: old, to: result, schema: MergeSchema(schema), ignoredFields: ignoredFields,
                keeping: nil, force: true, state: &updated)
            let taken = counted.changed.subtracting(untrackedFields)
            if !taken.isEmpty {
                // What it owned before stays owned, with what it takes now.
                var owned = updated.owners[identity] ?? OwnedFields(set: FieldSet(), apiVersion: apiVersion, applied: false, time: nil)
                owned.formUnion(taken)
                owned.apiVersion = apiVersion
                owned.applied = false
                owned.time = time
                updated.owners[identity] = owned
            }
            updated.capUpdateManagers(maximum: maximumUpdateManagers)
            return updated.written(into: result)
        } catch {
            // Upstream never fails a write over field management: it drops managedFields instead
            // of storing ownership it could not compute.
            return result
        }
    }

    /// Server-side apply: merges `config` into the live object, removes what `manager` applied
    /// before but no longer applies (unless someone else owns it), and makes `manager` own exactly
    /// what `config` specifies. Returns the object to store, with `metadata.managedFields` rewritten.
    ///
    /// - Parameters:
    ///   - live: the stored object, nil when the apply creates it.
    ///   - force: take fields other managers own instead of failing on them.
    ///   - apiVersion: the version the request used; `config` must declare the same.
    ///   - time, schema, ignoredFields, subresource: as for `applyUpdate`. Values at
    ///     `ignoredFields` (field-name paths) are also kept as they are live, as the endpoint would.
    /// - Throws: `ApplyConflict` when `config` changes fields other managers own and `force` is
    ///   false; `ManagedFieldsError` for a bad request or an object that does not fit its schema.
    public static func apply(
        live: JSONValue?, config: JSONValue, manager: String, force: Bool, apiVersion: String, time: String,
        schema: JSONValue, ignoredFields: FieldSet = FieldSet(), subresource: String = ""
    ) throws -> JSONValue {
        let configVersion = config["apiVersion"]?.stringValue ?? ""
        guard configVersion == apiVersion else {
            throw ManagedFieldsError.badRequest(
                "Incorrect version specified in apply patch. Specified patch version: \(configVersion), expected: \(apiVersion)")
        }
        if let managedFields = config["metadata"]?["managedFields"], !managedFields.isNull {
            throw ManagedFieldsError.badRequest("metadata.managedFields must be nil")
        }
        var state: ManagedFieldsState
        do {
            state = try ManagedFieldsState(decoding: live?["metadata"]?["managedFields"])
        } catch {
            throw ManagedFieldsError.internalError("failed to decode managed fields: \(error)")
        }
        // Apply works on every owner's set (conflicts, pruning).
        state.decodeAll()
        let mergeSchema = MergeSchema(schema)
        let old = withoutManagedFields(live ?? .object([:]))
        let applied: FieldSet
        do {
            applied = try FieldSet.specified(by: config, schema: mergeSchema, rejectingDuplicates: true)
        } catch {
            throw ManagedFieldsError.internalError("failed to create typed patch object (\(describe(config))): \(error)")
        }
        do {
            _ = try FieldSet.specified(by: old, schema: mergeSchema, rejectingDuplicates: false)
        } catch {
            throw ManagedFieldsError.internalError("failed to create typed live object (\(describe(old))): \(error)")
        }

        let identity = ManagerIdentity(
            manager: manager, operation: ManagerIdentity.applyOperation, apiVersion: apiVersion, subresource: subresource)
        var result: JSONValue
        do {
            let merged = try StructuredMerge.merge(old, config, schema: mergeSchema) ?? .object([:])
            let lastApplied = state.owners[identity]?.set.subtractingRecursively(ignoredFields)
            state.owners[identity] = OwnedFields(
                set: applied.subtractingRecursively(ignoredFields), apiVersion: apiVersion, applied: true,
                time: state.owners[identity]?.time)
            result = try AppliedFieldPruning.pruning(merged, lastApplied: lastApplied, owners: state.owners, schema: mergeSchema)
            result = resetting(ignoredFields, in: result, to: old)
            try transferOwnership(
                from: old, to: result, schema: mergeSchema, ignoredFields: ignoredFields,
                keeping: identity, force: force, state: &state)
        } catch let error as StructuredValueError {
            throw ManagedFieldsError.internalError("failed to merge config: \(error)")
        }
        if let owned = state.owners[identity] {
            state.owners[identity]?.set = owned.set.subtracting(untrackedFields)
        }
        state.removeEmptyOwners()
        // A no-op apply stores nothing new and keeps every time as it was.
        if old.isSemanticallyEqual(to: result) {
            result = old
        } else if state.owners[identity] != nil {
            state.owners[identity]?.time = time
        }
        state.capUpdateManagers(maximum: maximumUpdateManagers)
        return state.written(into: result)
    }

    /// Takes what changed between `old` and `new` away from every manager but `keeping`, and
    /// drops what was removed; without `force`, changes to fields others own are conflicts.
    /// Returns the comparison without the ignored fields.
    @discardableResult
    private static func transferOwnership(
        from old: JSONValue, to new: JSONValue, schema: MergeSchema, ignoredFields: FieldSet,
        keeping actor: ManagerIdentity?, force: Bool, state: inout ManagedFieldsState
    ) throws -> StructuredComparison {
        let comparison = try StructuredComparison(from: old, to: new, schema: schema, mergingAdditions: true)
        let counted = comparison.excluding(ignoredFields)
        let changed = counted.changed
        if changed.isEmpty && counted.removed.isEmpty {
            state.removeEmptyOwners()
            return counted
        }
        if !force {
            var conflicts: [(owner: ManagerIdentity, fields: FieldSet)] = []
            for (identity, owned) in state.owners where identity != actor {
                let contested = owned.set.intersection(changed)
                if !contested.isEmpty { conflicts.append((identity, contested)) }
            }
            if !conflicts.isEmpty { throw ApplyConflict(conflicts) }
        }
        for identity in state.owners.keys where identity != actor {
            state.owners[identity]?.subtract(changed, counted.removed)
        }
        state.removeEmptyOwners()
        return counted
    }

    /// Which stored entries an update starts from: the request's own when it sends some (`[]` or a
    /// single empty entry clears them), otherwise the live object's. Unreadable entries count as none.
    private static func storedState(live: JSONValue?, new: JSONValue, throughSubresource: Bool) -> ManagedFieldsState {
        let stored = live?["metadata"]?["managedFields"]
        func liveState() -> ManagedFieldsState {
            (try? ManagedFieldsState(decoding: stored)) ?? ManagedFieldsState()
        }
        guard !throughSubresource, let sent = new["metadata"]?["managedFields"], !sent.isNull else { return liveState() }
        if let entries = sent.arrayValue, entries.isEmpty || (entries.count == 1 && entries[0] == .object([:])) {
            return ManagedFieldsState()
        }
        // Clients that read, modify and write back send the stored entries unchanged: they decode
        // to the same state, so decode them once.
        if sent == stored { return liveState() }
        guard let state = try? ManagedFieldsState(decoding: sent), !state.isEmpty else { return liveState() }
        return state
    }

    private static func withoutManagedFields(_ object: JSONValue) -> JSONValue {
        guard case .object(var root) = object, case .object(var metadata)? = root["metadata"],
            metadata["managedFields"] != nil
        else { return object }
        metadata["managedFields"] = nil
        root["metadata"] = .object(metadata)
        return .object(root)
    }

    /// `object` with the values at each field-name path of `ignored` put back as in `original`.
    private static func resetting(_ ignored: FieldSet, in object: JSONValue, to original: JSONValue) -> JSONValue {
        var result = object
        for path in ignored.paths {
            var names: [String] = []
            for element in path.elements {
                guard case .field(let name) = element.kind else { break }
                names.append(name)
            }
            guard names.count == path.elements.count else { continue }
            result = replacing(names[...], in: result, with: original[path: names])
        }
        return result
    }

    private static func replacing(_ names: ArraySlice<String>, in value: JSONValue, with replacement: JSONValue?) -> JSONValue {
        guard let name = names.first, case .object(var object) = value else { return value }
        if names.count == 1 {
            object[name] = replacement
        } else if let child = object[name] {
            object[name] = replacing(names.dropFirst(), in: child, with: replacement)
        } else if replacement != nil {
            object[name] = replacing(names.dropFirst(), in: .object([:]), with: replacement)
        }
        return .object(object)
    }

    /// How upstream names an object in errors: `apps/v1, Kind=Deployment; default/nginx`.
    private static func describe(_ object: JSONValue) -> String {
        let (group, version) = GroupVersionKind.split(apiVersion: object["apiVersion"]?.stringValue ?? "")
        let kind = object["kind"]?.stringValue ?? ""
        let namespace = object["metadata"]?["namespace"]?.stringValue ?? ""
        let name = object["metadata"]?["name"]?.stringValue ?? ""
        return "\(group)/\(version), Kind=\(kind); \(namespace)/\(name)"
    }
}
