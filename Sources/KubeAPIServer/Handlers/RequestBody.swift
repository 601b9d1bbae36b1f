import KubeClient
import KubeModel

/// Reads request bodies: JSON, YAML or Kubernetes protobuf converted to JSON; other formats get 415.
enum RequestBody {
    static let objectMediaTypes = ["application/json", "application/yaml"]
    static let patchMediaTypes = [
        "application/json-patch+json", "application/merge-patch+json",
        "application/strategic-merge-patch+json", "application/apply-patch+yaml",
    ]

    /// The body of a create or replace; no Content-Type is read as JSON, as upstream does.
    static func object(_ request: APIRequest) throws -> (JSONValue, duplicateFields: [String]) {
        let type = request.contentType ?? "application/json"
        switch type {
        case "application/json", "*/*", "": return try parseJSON(request.body)
        case "application/yaml", "application/x-yaml", "text/yaml": return (try parseYAML(request.body), [])
        case KubernetesProtobuf.mediaType:
            // Typed clients (kubectl's create verbs) send protobuf; kinds without a protobuf table get 415.
            switch Result(catching: { () throws(ProtobufDecodeError) in try KubernetesProtobuf.decode(request.body) }) {
            case .success(let object): return (object, [])
            case .failure(.unsupported): throw APIError.unsupportedMediaType(type, accepted: objectMediaTypes)
            case .failure(let error): throw APIError.badRequest("the object provided is unrecognized: \(error.description)")
            }
        default: throw APIError.unsupportedMediaType(type, accepted: objectMediaTypes)
        }
    }

    static func parseJSON(_ bytes: [UInt8]) throws -> (JSONValue, duplicateFields: [String]) {
        guard !bytes.isEmpty else { throw APIError.badRequest("the request body is empty") }
        var parser = JSONParser()
        do {
            let value = try parser.parse(bytes)
            return (value, parser.duplicateKeys)
        } catch {
            throw APIError.badRequest("the object provided is unrecognized: \(error.description)")
        }
    }

    static func parseYAML(_ bytes: [UInt8]) throws -> JSONValue {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw APIError.badRequest("the request body is not valid UTF-8")
        }
        do {
            let documents = try YAMLConversion.documents(text)
            guard documents.count <= 1 else { throw APIError.badRequest("only one YAML document is accepted per request") }
            guard let first = documents.first else { throw APIError.badRequest("the request body is empty") }
            return first
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("\(error)")
        }
    }
}

/// Upstream's fieldValidation query parameter: what happens to unknown and duplicate fields.
enum FieldValidation: String {
    case strict = "Strict", warn = "Warn", ignore = "Ignore"

    static func from(_ query: QueryParameters) throws -> FieldValidation {
        guard let value = query["fieldValidation"], !value.isEmpty else { return .warn }
        guard let mode = FieldValidation(rawValue: value) else {
            throw APIError.badRequest("fieldValidation parameter unsupported: \(value)")
        }
        return mode
    }

    /// Strict fails the request; Warn returns warnings; Ignore drops them silently.
    func check(unknown: [String], duplicates: [String], kind: GroupVersionKind) throws -> [String] {
        let problems = duplicates.map { "duplicate field \"\($0)\"" } + unknown.map { "unknown field \"\($0)\"" }
        guard !problems.isEmpty else { return [] }
        switch self {
        case .ignore: return []
        case .warn: return problems
        case .strict:
            let detail = problems.count == 1 ? problems[0] : problems.joined(separator: ", ")
            throw APIError.badRequest(
                "\(kind.kind) in version \"\(kind.version)\" cannot be handled as a \(kind.kind): strict decoding error: \(detail)")
        }
    }
}
