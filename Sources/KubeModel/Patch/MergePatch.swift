/// RFC 7386 JSON Merge Patch (`application/merge-patch+json`): objects merge member by member,
/// `null` deletes a member, and anything else (arrays included) replaces what was there.
public enum MergePatch {
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let members) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in members {
            if value == .null {
                result.removeValue(forKey: key)
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }

    /// The smallest merge patch that turns `original` into `modified`. Merge patches cannot set a
    /// member to null, so nulls inside `modified` come out as deletions.
    public static func create(from original: JSONValue, to modified: JSONValue) -> JSONValue {
        guard case .object(let originalMembers) = original, case .object(let modifiedMembers) = modified else {
            return modified
        }
        return .object(difference(originalMembers, modifiedMembers))
    }

    private static func difference(_ original: JSONObject, _ modified: JSONObject) -> JSONObject {
        var patch = JSONObject()
        for (key, modifiedValue) in modified {
            switch (original[key], modifiedValue) {
            case (.object(let originalMembers)?, .object(let modifiedMembers)):
                let nested = difference(originalMembers, modifiedMembers)
                if !nested.isEmpty { patch[key] = .object(nested) }
            case (let originalValue?, _) where originalValue.isSemanticallyEqual(to: modifiedValue):
                continue
            default:
                patch[key] = modifiedValue
            }
        }
        for key in original.keys where modified[key] == nil {
            patch[key] = .null
        }
        return patch
    }
}
