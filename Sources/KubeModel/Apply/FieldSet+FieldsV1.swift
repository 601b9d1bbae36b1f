/// FieldsV1, the form `metadata.managedFields[].fieldsV1` stores a field set in: an object per
/// level whose keys are path elements, `{}` for a member, and `".": {}` for an element that is a
/// member and also has children. Keys are written in upstream's element order so the bytes match
/// what the Kubernetes API server writes.
extension FieldSet {
    public init(fieldsV1: JSONValue) throws(FieldsV1Error) {
        self = try Self.read(fieldsV1).set
    }

    public init(fieldsV1JSON text: String) throws(FieldsV1Error) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw FieldsV1Error("invalid FieldsV1 JSON: \(error)")
        }
        try self.init(fieldsV1: document)
    }

    public var fieldsV1: JSONValue { .object(fieldsV1Contents(includingSelf: false)) }

    public var fieldsV1JSON: String { JSONWriter.string(fieldsV1) }

    func fieldsV1Contents(includingSelf: Bool) -> JSONObject {
        var elements = Array(members)
        elements.reserveCapacity(members.count + children.count)
        for element in children.keys where !members.contains(element) { elements.append(element) }
        elements.sort()
        var keys: [String] = []
        var values: [JSONValue] = []
        keys.reserveCapacity(elements.count + 1)
        values.reserveCapacity(elements.count + 1)
        if includingSelf {
            keys.append(".")
            values.append(.object([:]))
        }
        for element in elements {
            keys.append(element.fieldsV1Key)
            if let subset = children[element] {
                values.append(.object(subset.fieldsV1Contents(includingSelf: members.contains(element))))
            } else {
                values.append(.object([:]))
            }
        }
        // Distinct elements have distinct keys.
        return JSONObject(uncheckedUniqueKeys: keys, values: values)
    }

    /// The set under one FieldsV1 object, and whether the element owning that object is itself
    /// a member (it says `"."`, or has nothing under it).
    private static func read(_ document: JSONValue) throws(FieldsV1Error) -> (set: FieldSet, isMember: Bool) {
        guard case .object(let object) = document else {
            throw FieldsV1Error("FieldsV1 level is a \(document.typeName), not an object")
        }
        var set = FieldSet()
        var isMember = false
        for (key, value) in object {
            if key == "." {
                isMember = true
                continue
            }
            guard let element = try FieldSetPathElement.parse(fieldsV1Key: key) else { continue }
            let (subset, childIsMember) = try read(value)
            if childIsMember { set.members.insert(element) }
            if !subset.isEmpty { set.children[element] = set.children[element].map { $0.union(subset) } ?? subset }
        }
        return (set, isMember || set.isEmpty)
    }

    /// Whether `document` reads without error and is spelled exactly as the set it reads to would
    /// be written (same keys in the same order). Such a document can be kept as it is until its
    /// set changes, without building the set. Checked without building it: every level an object,
    /// keys known, in their canonical spelling and strictly in FieldsV1's order, a `"."` only first,
    /// as `{}`, and beside other keys (never at the top).
    static func isCanonicalFieldsV1(_ document: JSONValue) -> Bool {
        guard case .object(let object) = document else { return false }
        return isCanonicalLevel(object, isTop: true)
    }

    private static func isCanonicalLevel(_ object: JSONObject, isTop: Bool) -> Bool {
        // FieldsV1's order: fields, keys, values, indices; within a kind by content.
        var previousRank = -1
        var previousKey = ""
        var previous: FieldSetPathElement?
        for (position, (key, value)) in object.enumerated() {
            guard case .object(let child) = value else { return false }
            // The key's kind from its first two bytes (nil: not an element key).
            let head = key.utf8.withContiguousStorageIfAvailable { bytes -> (tag: UInt8, isSelf: Bool)? in
                if bytes.count == 1 && bytes[0] == UInt8(ascii: ".") { return (0, true) }
                guard bytes.count >= 2, bytes[1] == UInt8(ascii: ":") else { return nil }
                return (bytes[0], false)
            }
            guard let head, let head else { return false }
            if head.isSelf {
                guard position == 0, !isTop, child.isEmpty, object.count > 1 else { return false }
                continue
            }
            let rank: Int
            switch head.tag {
            case UInt8(ascii: "f"): rank = 0
            case UInt8(ascii: "k"): rank = 1
            case UInt8(ascii: "v"): rank = 2
            case UInt8(ascii: "i"): rank = 3
            default: return false
            }
            guard rank >= previousRank else { return false }
            if rank == 0 {
                // "f:" then the name: the keys order as the names do.
                if rank == previousRank, compareBytes(previousKey, key) >= 0 { return false }
                previousKey = key
            } else {
                guard let element = try? FieldSetPathElement.parse(fieldsV1Key: key), compareBytes(key, element.fieldsV1Key) == 0
                else { return false }
                if rank == previousRank, let previous, !(previous < element) { return false }
                previous = element
            }
            previousRank = rank
            if !child.isEmpty, !isCanonicalLevel(child, isTop: false) { return false }
        }
        return true
    }
}

/// A FieldsV1 document that cannot be read.
public struct FieldsV1Error: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
