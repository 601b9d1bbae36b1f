/// The directives a strategic merge patch may carry besides plain values.
enum PatchDirective {
    /// `"$patch": "replace" | "delete" | "merge"` inside a map, or as a list element.
    static let marker = "$patch"
    /// `"$retainKeys": [...]`: the only keys the patched map keeps.
    static let retainKeys = "$retainKeys"
    /// `"$deleteFromPrimitiveList/<field>": [...]`: values to drop from a merged list of primitives.
    static let deleteFromPrimitiveList = "$deleteFromPrimitiveList"
    /// `"$setElementOrder/<field>": [...]`: the order the merged list must follow.
    static let setElementOrder = "$setElementOrder"

    enum Action: String {
        case replace, delete, merge
    }

    /// The `$patch` action of a map, removing the marker from it.
    static func takeAction(from object: inout JSONObject) throws(PatchError) -> Action? {
        guard let marker = object.removeValue(forKey: Self.marker) else { return nil }
        guard case .string(let name) = marker, let action = Action(rawValue: name) else {
            object[Self.marker] = marker
            throw .malformed("unknown patch type: \(JSONWriter.string(marker)) in map: \(JSONWriter.string(.object(object)))")
        }
        return action
    }

    /// The `$patch` action of a map, left in place.
    static func action(in object: JSONObject) throws(PatchError) -> Action? {
        var copy = object
        return try takeAction(from: &copy)
    }

    /// The field a parallel-list key such as `$setElementOrder/containers` applies to; nil when
    /// `key` does not start with `prefix`.
    static func field(of key: String, prefix: String) throws(PatchError) -> String? {
        guard key.hasPrefix(prefix) else { return nil }
        let rest = key.dropFirst(prefix.count)
        guard rest.first == "/", rest.count > 1 else {
            throw .malformed(prefix == deleteFromPrimitiveList
                ? "invalid patch format of primitive list: \(key)"
                : "invalid patch format of setElementOrder list: \(key)")
        }
        return String(rest.dropFirst())
    }

    static func isParallelList(_ key: String) -> Bool {
        key.hasPrefix(deleteFromPrimitiveList) || key.hasPrefix(setElementOrder)
    }
}
