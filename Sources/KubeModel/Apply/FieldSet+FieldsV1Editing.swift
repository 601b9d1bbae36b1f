/// Set operations done on a stored FieldsV1 document instead of on the set it reads to, so an
/// update that takes a few fields from a manager (or gives a few to the one writing) edits a few
/// keys of its entry rather than reading and writing the whole entry. The document must be
/// canonical (`isCanonicalFieldsV1`); each result is the canonical document of the set the
/// `FieldSet` operation would give.
extension FieldSet {
    /// `level` less the paths of `set` (as `subtracting`); nil when nothing goes.
    static func fieldsV1(_ level: JSONObject, subtracting set: FieldSet) -> JSONObject? {
        guard !level.isEmpty, !set.isEmpty else { return nil }
        var result = level
        var changed = false
        for element in set.members {
            guard let index = result.index(forKey: element.fieldsV1Key), case .object(var under) = result.values[index]
            else { continue }
            if under.isEmpty {
                // A member with nothing under it.
                result.remove(at: index)
                changed = true
            } else if under.keys[0] == "." {
                // A member with paths under it: they stay.
                under.remove(at: 0)
                result.values[index] = .object(under)
                changed = true
            }
        }
        for (element, subset) in set.children {
            guard let index = result.index(forKey: element.fieldsV1Key), case .object(let under) = result.values[index],
                let edited = fieldsV1(under, subtracting: subset)
            else { continue }
            changed = true
            if edited.isEmpty {
                result.remove(at: index)
            } else if edited.count == 1 && edited.keys[0] == "." {
                // A member left with nothing under it is written `{}`.
                result.values[index] = .object([:])
            } else {
                result.values[index] = .object(edited)
            }
        }
        return changed ? result : nil
    }

    /// `level` with the paths of `set` added (as `union`). A leading `"."` (the level's own
    /// element is a member) stays first.
    static func fieldsV1(_ level: JSONObject, adding set: FieldSet) -> JSONObject {
        var result = level
        let start = !result.isEmpty && result.keys[0] == "." ? 1 : 0
        var elements = Array(set.members)
        for element in set.children.keys where !set.members.contains(element) { elements.append(element) }
        for element in elements {
            let key = element.fieldsV1Key
            let isMember = set.members.contains(element)
            let subset = set.children[element]
            guard let index = result.index(forKey: key), case .object(var under) = result.values[index] else {
                let under = subset.map { $0.fieldsV1Contents(includingSelf: false) } ?? [:]
                result.updateValue(
                    .object(entry(isMember: isMember, under: under)), forKey: key,
                    insertingAt: insertionIndex(of: element, in: result, from: start))
                continue
            }
            if under.isEmpty {
                // Already a member with nothing under it.
                guard let subset else { continue }
                result.values[index] = .object(entry(isMember: true, under: subset.fieldsV1Contents(includingSelf: false)))
                continue
            }
            let hadSelf = under.keys[0] == "."
            guard subset != nil || (isMember && !hadSelf) else { continue }
            if let subset { under = fieldsV1(under, adding: subset) }
            if isMember && !hadSelf { under.updateValue(.object([:]), forKey: ".", insertingAt: 0) }
            result.values[index] = .object(under)
        }
        return result
    }

    /// An element's value: `{}` for a member alone, `"."` first for a member with paths under it.
    private static func entry(isMember: Bool, under: JSONObject) -> JSONObject {
        guard isMember, !under.isEmpty else { return under }
        var keys = ["."]
        var values: [JSONValue] = [.object([:])]
        keys.append(contentsOf: under.keys)
        values.append(contentsOf: under.values)
        return JSONObject(uncheckedUniqueKeys: keys, values: values)
    }

    /// Where `element` goes among a level's sorted keys (it is not one of them).
    private static func insertionIndex(of element: FieldSetPathElement, in level: JSONObject, from start: Int) -> Int {
        var (low, high) = (start, level.count)
        while low < high {
            let middle = (low + high) / 2
            if precedes(key: level.keys[middle], element) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Whether a canonical key comes before `element` in FieldsV1's order.
    private static func precedes(key: String, _ element: FieldSetPathElement) -> Bool {
        if case .field = element.kind, key.utf8.first == UInt8(ascii: "f") {
            // Both "f:" and a name: ordered as the names are.
            return compareBytes(key, element.fieldsV1Key) < 0
        }
        // A canonical key always reads back.
        guard let keyElement = try? FieldSetPathElement.parse(fieldsV1Key: key) else { return false }
        return keyElement < element
    }
}
