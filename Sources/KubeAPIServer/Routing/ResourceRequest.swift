import NIOHTTP1

/// A request for a resource, parsed from its path and method as upstream's RequestInfo:
/// `/apis/apps/v1/namespaces/default/deployments/web/scale` → group apps, version v1,
/// namespace default, resource deployments, name web, subresource scale.
public struct ResourceRequest: Sendable, Equatable {
    public enum Verb: String, Sendable {
        case get, list, watch, create, update, patch, delete, deletecollection
    }

    public var group: String
    public var version: String
    public var namespace: String?
    public var resource: String
    public var name: String?
    public var subresource: String?
    public var verb: Verb

    /// Parses `/api/v1/...` and `/apis/<group>/<version>/...`; nil for paths that are not
    /// resource requests (discovery documents, health checks).
    public static func parse(path: String, method: HTTPMethod, query: QueryParameters) -> ResourceRequest? {
        var segments = path.utf8.split(separator: UInt8(ascii: "/")).map { String(Substring($0)) }
        let group: String
        let version: String
        if segments.first == "api", segments.count >= 3 {
            group = ""
            version = segments[1]
            segments.removeFirst(2)
        } else if segments.first == "apis", segments.count >= 4 {
            group = segments[1]
            version = segments[2]
            segments.removeFirst(3)
        } else {
            return nil
        }
        // The deprecated /watch/ prefix turns a get or list into a watch.
        var isWatchPath = false
        if segments.first == "watch" {
            isWatchPath = true
            segments.removeFirst()
        }
        var namespace: String?
        // namespaces/{name}/status and namespaces/{name}/finalize are subresources of the
        // namespace itself, not resources in it (upstream's namespaceSubresources).
        let namespaceSubresource = segments.count == 3 && segments[0] == "namespaces" && ["status", "finalize"].contains(segments[2])
        if segments.first == "namespaces", segments.count >= 3, !namespaceSubresource {
            namespace = segments[1]
            segments.removeFirst(2)
        }
        guard let resource = segments.first, segments.count <= 3 else { return nil }
        let name = segments.count >= 2 ? segments[1] : nil
        let subresource = segments.count == 3 ? segments[2] : nil
        // A namespace is itself a resource: /api/v1/namespaces/foo has name "foo".
        if resource == "namespaces", namespace == nil, name != nil { namespace = nil }

        let verb: Verb
        switch method {
        case .GET, .HEAD:
            let watchParameter = query.bool("watch") ?? false
            if isWatchPath || watchParameter {
                verb = .watch
            } else {
                verb = name == nil ? .list : .get
            }
        case .POST: verb = .create
        case .PUT: verb = .update
        case .PATCH: verb = .patch
        case .DELETE: verb = name == nil ? .deletecollection : .delete
        default: return nil
        }
        return ResourceRequest(group: group, version: version, namespace: namespace, resource: resource,
                               name: name, subresource: subresource, verb: verb)
    }
}
