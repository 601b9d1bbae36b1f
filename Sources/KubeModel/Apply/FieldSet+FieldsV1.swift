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

    private func fieldsV1Contents(includingSelf: Bool) -> JSONObject {
        var object = JSONObject()
        if includingSelf { object["."] = .object([:]) }
        for element in Set(members).union(children.keys).sorted() {
            if let subset = children[element] {
                object[element.fieldsV1Key] = .object(subset.fieldsV1Contents(includingSelf: members.contains(element)))
            } else {
                object[element.fieldsV1Key] = .object([:])
            }
        }
        return object
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
}

/// A FieldsV1 document that cannot be read.
public struct FieldsV1Error: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
