import Foundation
import KubeModel

/// Label and field selectors of a list, watch or deletecollection request.
struct ListSelection<Strategy: ResourceStrategy> {
    var labels: LabelSelector?
    var fields: FieldSelector?
    /// True when the field selector names fields beyond metadata.name/namespace, which needs
    /// the typed object.
    var needsTypedFields = false
    let strategy: Strategy

    static func parse(_ query: QueryParameters, strategy: Strategy, extraName: String? = nil) throws -> ListSelection {
        var selection = ListSelection(strategy: strategy)
        if let text = query["labelSelector"], !text.isEmpty {
            do { selection.labels = try LabelSelector(parsing: text) } catch {
                throw APIError.badRequest("unable to parse requirement: \(error)")
            }
        }
        var fieldText = query["fieldSelector"] ?? ""
        if let extraName {
            fieldText = fieldText.isEmpty ? "metadata.name=\(extraName)" : fieldText + ",metadata.name=\(extraName)"
        }
        if !fieldText.isEmpty {
            let selector: FieldSelector
            do { selector = try FieldSelector(parsing: fieldText) } catch {
                throw APIError.badRequest("invalid field selector: \(error)")
            }
            let supported = Set(strategy.selectableFields(Strategy.Object()).keys).union(["metadata.name", "metadata.namespace"])
            for requirement in selector.requirements where !supported.contains(requirement.field) {
                throw APIError.badRequest("field label not supported: \(requirement.field)")
            }
            selection.needsTypedFields = selector.requirements.contains { !$0.field.hasPrefix("metadata.") }
            selection.fields = selector
        }
        selection.storedSubset = selection.subsetToMatch()
        return selection
    }

    var isEverything: Bool { labels == nil && fields == nil }

    /// The part of a stored object that `matches` reads, when that is not the whole object
    /// (fields that need the decoded object do).
    private(set) var storedSubset: JSONSubset?

    private func subsetToMatch() -> JSONSubset? {
        var paths: [[String]] = []
        if labels != nil { paths.append(["metadata", "labels"]) }
        if fields != nil { paths += [["metadata", "name"], ["metadata", "namespace"]] }
        if needsTypedFields {
            guard let stored = strategy.storedSelectableFields else { return nil }
            paths += stored.values.map(\.path)
        }
        return JSONSubset(paths: paths)
    }

    /// Whether the stored object (its JSON text) matches, reading no more of it than needed.
    func matches(stored bytes: [UInt8], decode: (JSONValue) throws -> Strategy.Object) throws -> Bool {
        if isEverything { return true }
        let json = try storedSubset.map { try JSONParser.parse(bytes, keeping: $0) } ?? JSONParser.parse(bytes)
        return try matches(json, decode: decode)
    }

    func matches(_ json: JSONValue, decode: (JSONValue) throws -> Strategy.Object) throws -> Bool {
        if let labels {
            let values = json[path: ["metadata", "labels"]]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
            if !labels.matches(Dictionary(uniqueKeysWithValues: values.map { ($0.key, $0.value) })) { return false }
        }
        if let fields {
            var values: [String: String] = [
                "metadata.name": json[path: ["metadata", "name"]]?.stringValue ?? "",
                "metadata.namespace": json[path: ["metadata", "namespace"]]?.stringValue ?? "",
            ]
            if needsTypedFields {
                for (field, value) in try strategy.selectableFields(json: json, decode: decode) { values[field] = value }
            }
            if !fields.matches(values) { return false }
        }
        return true
    }
}

/// The continue token of a paginated list: the revision the first page was read at and the
/// last key returned, base64-encoded JSON as upstream's token.
struct ContinueToken {
    var revision: Int64
    var lastKey: String

    func encoded() -> String {
        let json: JSONValue = ["v": "meta.k8s.io/v1", "rv": .int(revision), "start": .string(lastKey)]
        return Data(JSONWriter.bytes(json)).base64EncodedString()
    }

    static func decode(_ text: String) throws -> ContinueToken {
        guard let data = Data(base64Encoded: text) ?? Data(base64Encoded: text + String(repeating: "=", count: (4 - text.count % 4) % 4)),
            let json = try? JSONParser.parse(Array(data)),
            json["v"]?.stringValue == "meta.k8s.io/v1",
            let revision = json["rv"]?.intValue, let start = json["start"]?.stringValue
        else { throw APIError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)") }
        return ContinueToken(revision: revision, lastKey: start)
    }
}
