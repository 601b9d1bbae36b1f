import Foundation
import KubeModel

/// How a response body is rendered, from the Accept header: plain JSON objects, or a
/// meta.k8s.io/v1 Table (what kubectl get asks for).
public enum OutputFormat: Sendable, Equatable {
    case json
    case table(includeObject: IncludeObject)

    public enum IncludeObject: String, Sendable { case none = "None", metadata = "Metadata", object = "Object" }

    static let acceptedTypes = ["application/json", "application/yaml", "application/json;as=Table;v=v1;g=meta.k8s.io"]

    /// Picks the first acceptable entry of the Accept header; protobuf and other types are
    /// skipped when JSON is also acceptable.
    public static func negotiate(accept: String?, query: QueryParameters) throws -> OutputFormat {
        guard let accept, !accept.isEmpty else { return .json }
        for entry in accept.split(separator: ",") {
            let text = String(entry)
            let essence = MediaType.essence(of: text)
            let parameters = MediaType.parameters(of: text)
            if parameters["as"] == "Table", essence == "application/json",
                parameters["g"] == "meta.k8s.io", parameters["v"] == "v1" || parameters["v"] == "v1beta1"
            {
                let include = query["includeObject"].flatMap(IncludeObject.init(rawValue:)) ?? .metadata
                return .table(includeObject: include)
            }
            if parameters["as"] != nil { continue }
            if essence == "application/json" || essence == "*/*" || essence == "application/*" || essence == "application/yaml" {
                return .json
            }
        }
        throw APIError.notAcceptable(acceptedTypes)
    }
}

/// Builds Table documents from stored objects.
struct TableBuilder {
    let printer: any TablePrinter
    let includeObject: OutputFormat.IncludeObject
    let now: Date

    func table(objects: [JSONValue], listMetadata: JSONObject) -> JSONValue {
        var table: JSONObject = ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": .object(listMetadata)]
        table["columnDefinitions"] = .array(printer.columns.map(\.json))
        table["rows"] = .array(objects.map(row))
        return .object(table)
    }

    func row(_ object: JSONValue) -> JSONValue {
        var row: JSONObject = ["cells": .array(printer.cells(for: object, now: now))]
        switch includeObject {
        case .none: break
        case .object: row["object"] = object
        case .metadata:
            row["object"] = [
                "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                "metadata": object["metadata"] ?? [:],
            ]
        }
        return .object(row)
    }
}
