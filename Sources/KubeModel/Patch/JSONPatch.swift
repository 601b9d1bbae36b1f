/// RFC 6902 JSON Patch (`application/json-patch+json`): an array of operations (add, remove,
/// replace, move, copy, test) applied in order. Either every operation applies or the patch fails
/// as a whole.
public enum JSONPatch {
    public static func apply(_ patch: JSONValue, to document: JSONValue) throws(PatchError) -> JSONValue {
        guard case .array(let operations) = patch else {
            throw .malformed("a JSON patch must be an array of operations, not \(patch.typeName)")
        }
        var document = document
        for operation in operations {
            try JSONPatchOperation(operation).apply(to: &document)
        }
        return document
    }
}

/// One decoded operation of a JSON Patch.
private enum JSONPatchOperation {
    case add(path: JSONPointer, value: JSONValue)
    case remove(path: JSONPointer)
    case replace(path: JSONPointer, value: JSONValue)
    case move(from: JSONPointer, path: JSONPointer)
    case copy(from: JSONPointer, path: JSONPointer)
    case test(path: JSONPointer, value: JSONValue)

    init(_ json: JSONValue) throws(PatchError) {
        guard case .object(let fields) = json else {
            throw .malformed("a JSON patch operation must be an object, not \(json.typeName)")
        }
        guard case .string(let name)? = fields["op"] else {
            throw .malformed("a JSON patch operation needs an \"op\" string: \(JSONWriter.string(json))")
        }
        func pointer(_ member: String) throws(PatchError) -> JSONPointer {
            guard case .string(let text)? = fields[member] else {
                throw .malformed("\(name) operation needs a \"\(member)\" string")
            }
            return try JSONPointer(parsing: text)
        }
        func value() throws(PatchError) -> JSONValue {
            // `"value": null` is a value; only a missing member is an error.
            guard let value = fields["value"] else { throw .malformed("\(name) operation needs a \"value\"") }
            return value
        }
        switch name {
        case "add": self = .add(path: try pointer("path"), value: try value())
        case "remove": self = .remove(path: try pointer("path"))
        case "replace": self = .replace(path: try pointer("path"), value: try value())
        case "move": self = .move(from: try pointer("from"), path: try pointer("path"))
        case "copy": self = .copy(from: try pointer("from"), path: try pointer("path"))
        case "test": self = .test(path: try pointer("path"), value: try value())
        default: throw .malformed("unknown JSON patch operation \"\(name)\"")
        }
    }

    var name: String {
        switch self {
        case .add: return "add"
        case .remove: return "remove"
        case .replace: return "replace"
        case .move: return "move"
        case .copy: return "copy"
        case .test: return "test"
        }
    }

    func apply(to document: inout JSONValue) throws(PatchError) {
        switch self {
        case .add(let path, let value):
            try insert(value, at: path, in: &document)
        case .remove(let path):
            _ = try take(at: path, from: &document)
        case .replace(let path, let value):
            try replace(at: path, with: value, in: &document)
        case .move(let from, let path):
            guard from.value(in: document) != nil else { throw missing(from, isSource: true) }
            guard from != path else { return }
            guard !from.isProperPrefix(of: path) else {
                throw .notApplicable("move operation does not apply: \"\(from)\" cannot be moved into its own child \"\(path)\"")
            }
            try insert(try take(at: from, from: &document), at: path, in: &document)
        case .copy(let from, let path):
            guard let copied = from.value(in: document) else { throw missing(from, isSource: true) }
            try insert(copied, at: path, in: &document)
        case .test(let path, let expected):
            guard let actual = path.value(in: document), actual.isSemanticallyEqual(to: expected) else {
                throw .notApplicable("testing value \(path) failed")
            }
        }
    }

    private func missing(_ pointer: JSONPointer, isSource: Bool = false) -> PatchError {
        .notApplicable("\(name) operation does not apply: doc is missing \(isSource ? "from " : "")path: \"\(pointer)\"")
    }

    /// Adds a member, or inserts into an array before the index ("-" appends).
    private func insert(_ value: JSONValue, at pointer: JSONPointer, in document: inout JSONValue) throws(PatchError) {
        guard let last = pointer.tokens.last else {
            document = value
            return
        }
        let found = try updateParent(of: pointer, in: &document) { (parent: inout JSONValue) throws(PatchError) in
            switch parent {
            case .object(var object):
                object[last] = value
                parent = .object(object)
            case .array(var array):
                guard let index = last == "-" ? array.count : JSONPointer.arrayIndex(last), index <= array.count else {
                    throw .notApplicable("\(name) operation does not apply: index \(last) is out of range for \"\(pointer)\"")
                }
                array.insert(value, at: index)
                parent = .array(array)
            default:
                throw missing(pointer)
            }
        }
        guard found else { throw missing(pointer) }
    }

    /// Removes and returns the value the pointer names.
    private func take(at pointer: JSONPointer, from document: inout JSONValue) throws(PatchError) -> JSONValue {
        guard let last = pointer.tokens.last else {
            throw .notApplicable("\(name) operation does not apply: the whole document cannot be removed")
        }
        var removed: JSONValue?
        _ = try updateParent(of: pointer, in: &document) { (parent: inout JSONValue) throws(PatchError) in
            switch parent {
            case .object(var object):
                removed = object.removeValue(forKey: last)
                parent = .object(object)
            case .array(var array):
                guard let index = JSONPointer.arrayIndex(last), index < array.count else { return }
                removed = array.remove(at: index)
                parent = .array(array)
            default:
                return
            }
        }
        guard let removed else { throw missing(pointer) }
        return removed
    }

    private func replace(at pointer: JSONPointer, with value: JSONValue, in document: inout JSONValue) throws(PatchError) {
        guard let last = pointer.tokens.last else {
            document = value
            return
        }
        var replaced = false
        _ = try updateParent(of: pointer, in: &document) { (parent: inout JSONValue) throws(PatchError) in
            switch parent {
            case .object(var object) where object[last] != nil:
                object[last] = value
                parent = .object(object)
                replaced = true
            case .array(var array):
                guard let index = JSONPointer.arrayIndex(last), index < array.count else { return }
                array[index] = value
                parent = .array(array)
                replaced = true
            default:
                return
            }
        }
        guard replaced else { throw missing(pointer) }
    }

    /// Runs `change` on the container that holds the pointer's last token; false when the path to
    /// that container does not exist.
    private func updateParent(
        of pointer: JSONPointer,
        in document: inout JSONValue,
        _ change: (inout JSONValue) throws(PatchError) -> Void
    ) throws(PatchError) -> Bool {
        try update(&document, along: pointer.tokens.dropLast(), change)
    }

    private func update(
        _ value: inout JSONValue,
        along tokens: ArraySlice<String>,
        _ change: (inout JSONValue) throws(PatchError) -> Void
    ) throws(PatchError) -> Bool {
        guard let token = tokens.first else {
            try change(&value)
            return true
        }
        // The child is taken out and `value` cleared while it changes, so neither is copied;
        // a throw leaves `value` cleared, which is fine since a failed patch discards the document.
        switch value {
        case .object(var object):
            guard var child = object[token] else { return false }
            value = .null
            object[token] = .null
            let found = try update(&child, along: tokens.dropFirst(), change)
            object[token] = child
            value = .object(object)
            return found
        case .array(var array):
            guard let index = JSONPointer.arrayIndex(token), index < array.count else { return false }
            var child = array[index]
            value = .null
            array[index] = .null
            let found = try update(&child, along: tokens.dropFirst(), change)
            array[index] = child
            value = .array(array)
            return found
        default:
            return false
        }
    }
}
