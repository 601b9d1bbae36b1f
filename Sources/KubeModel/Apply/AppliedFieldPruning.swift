/// Removes from a merged object what an applier applied last time but no longer applies, unless
/// another manager — or the applier's new configuration — still owns it (upstream's `prune`,
/// `addBackOwnedItems` and `addBackDanglingItems`, for one API version).
enum AppliedFieldPruning {
    static func pruning(
        _ merged: JSONValue, lastApplied: FieldSet?, owners: [ManagerIdentity: OwnedFields], schema: MergeSchema
    ) throws(StructuredValueError) -> JSONValue {
        guard let lastApplied, !lastApplied.isEmpty else { return merged }
        // Named struct fields count as owned when something under them is, so a whole field can go.
        func specified(_ object: JSONValue) throws(StructuredValueError) -> FieldSet {
            try FieldSet.specified(by: object, schema: schema, rejectingDuplicates: false).withNamedFieldsAsMembers(schema)
        }
        func removing(_ set: FieldSet) -> JSONValue {
            FieldRemoval.removing(set, from: merged, schema: schema) ?? .object([:])
        }
        let last = lastApplied.withNamedFieldsAsMembers(schema)
        let mergedFields = try specified(merged)
        let owned = owners.values.reduce(FieldSet()) { $0.union($1.set) }.withNamedFieldsAsMembers(schema)

        // Everything the applier used to own goes…
        let withoutLastApplied = removing(last)
        // …then whatever someone still owns comes back…
        let ownedByOthers = removing(mergedFields.subtracting(try specified(withoutLastApplied).union(owned)))
        // …and so does whatever went that the applier never owned.
        return removing(mergedFields.subtracting(try specified(ownedByOthers)).intersection(last))
    }
}
