import KubeModel

/// One operation of a path, before rendering.
struct OpenAPIOperation: Sendable {
    /// Lower-case HTTP method: the operation's key in its path item.
    var method: String
    var operationId: String
    var description: String
    var tag: String
    /// `x-kubernetes-action` (get, list, watch, watchlist, post, put, patch, delete,
    /// deletecollection, connect); nil for discovery operations.
    var action: String?
    var kind: GroupVersionKind?
    var parameters: [OpenAPIParameter]
    var requestBody: JSONValue?
    var responses: JSONObject

    fileprivate func json(excluding shared: Set<OpenAPIParameter>) -> JSONValue {
        var object: JSONObject = ["description": .string(description), "operationId": .string(operationId)]
        let own = parameters.filter { !shared.contains($0) }.sorted(by: OpenAPIParameter.ordered)
        if !own.isEmpty { object["parameters"] = .array(own.map(\.json)) }
        if let requestBody { object["requestBody"] = requestBody }
        object["responses"] = .object(responses)
        object["tags"] = [.string(tag)]
        if let action { object["x-kubernetes-action"] = .string(action) }
        if let kind {
            object["x-kubernetes-group-version-kind"] = ["group": .string(kind.group), "kind": .string(kind.kind), "version": .string(kind.version)]
        }
        return .object(object)
    }

    /// A path item: parameters every operation shares are listed once on the path, the rest
    /// on each operation, as upstream renders them.
    static func pathItem(_ operations: [OpenAPIOperation]) -> JSONValue {
        guard let first = operations.first else { return [:] }
        let shared = operations.dropFirst().reduce(Set(first.parameters)) { $0.intersection($1.parameters) }
        var item = JSONObject()
        for operation in operations.sorted(by: { methodRank($0.method) < methodRank($1.method) }) {
            item[operation.method] = operation.json(excluding: shared)
        }
        if !shared.isEmpty { item["parameters"] = .array(shared.sorted(by: OpenAPIParameter.ordered).map(\.json)) }
        return .object(item)
    }

    private static let methodOrder = ["get", "put", "post", "delete", "options", "head", "patch"]
    private static func methodRank(_ method: String) -> Int { methodOrder.firstIndex(of: method) ?? methodOrder.count }
}

/// Upstream's spelling of a group version inside operation ids and tags.
struct OpenAPINames: Sendable {
    let group: String
    let version: String

    /// "core" → ["core"], "rbac.authorization.k8s.io" → ["rbac", "authorization"].
    static func groupWords(_ group: String) -> [String] {
        if group.isEmpty { return ["core"] }
        let trimmed = group.hasSuffix(".k8s.io") ? String(group.dropLast(".k8s.io".count)) : group
        return trimmed.split(whereSeparator: { $0 == "." || $0 == "-" }).map(String.init)
    }

    /// "AppsV1", "CoreV1", "RbacAuthorizationV1".
    var operationPrefix: String { Self.groupWords(group).map(Self.upperFirst).joined() + Self.upperFirst(version) }

    /// "apps_v1", "core_v1", "rbacAuthorization_v1".
    var tag: String { Self.groupTag(group) + "_" + version }

    /// "apps", "core", "rbacAuthorization".
    static func groupTag(_ group: String) -> String {
        let words = groupWords(group)
        return words.prefix(1).joined() + words.dropFirst().map(upperFirst).joined()
    }

    static func upperFirst(_ word: String) -> String { word.prefix(1).uppercased() + word.dropFirst() }

    /// "a Pod", "an Event", but "Endpoints": plurals take no article.
    static func withArticle(_ noun: String) -> String {
        if noun.hasSuffix("s"), !noun.hasSuffix("ss") { return noun }
        return ("AEIOUaeiou".contains(noun.first ?? "x") ? "an " : "a ") + noun
    }
}
