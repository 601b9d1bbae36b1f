import KubeClient
import KubeModel

/// A resource the server serves, as discovery describes it.
public struct DiscoveredResource: Sendable, Hashable, CustomStringConvertible {
    public var resource: APIResource
    public var kind: String
    public var verbs: Set<String>

    public init(resource: APIResource, kind: String, verbs: Set<String>) {
        self.resource = resource
        self.kind = kind
        self.verbs = verbs
    }

    public var group: String { resource.group }
    public var namespaced: Bool { resource.namespaced }
    public var description: String { resource.description }

    /// Can be listed, watched and deleted: what the garbage collector and the namespace
    /// controller work on.
    public var isDeletable: Bool { verbs.isSuperset(of: ["list", "watch", "delete"]) }
}

/// What discovery found: every resource of the preferred version of each group, and the
/// groups that could not be read (upstream's ErrGroupDiscoveryFailed).
public struct DiscoveryResult: Sendable {
    public var resources: [DiscoveredResource]
    /// Group version → error text.
    public var failures: [String: String]

    /// The resource serving `kind` in `group`, whatever the version.
    public func resource(group: String, kind: String) -> DiscoveredResource? {
        resources.first { $0.group == group && $0.kind == kind }
    }
}

/// Reads the server's discovery documents (`/api/v1`, `/apis`, `/apis/<group>/<version>`):
/// upstream's ServerPreferredResources.
public struct ResourceDiscovery: Sendable {
    let client: APIClient

    public init(client: APIClient) { self.client = client }

    public func preferredResources() async throws -> DiscoveryResult {
        var result = DiscoveryResult(resources: [], failures: [:])
        let core = try await client.sendJSON("GET", "/api/v1")
        result.resources += Self.resources(in: core, group: "", version: "v1")
        let groups = try await client.sendJSON("GET", "/apis")
        for group in groups["groups"]?.arrayValue ?? [] {
            guard let name = group["name"]?.stringValue,
                  let version = group[path: ["preferredVersion", "version"]]?.stringValue
                    ?? group["versions"]?.arrayValue?.first?["version"]?.stringValue else { continue }
            do {
                let list = try await client.sendJSON("GET", "/apis/\(name)/\(version)")
                result.resources += Self.resources(in: list, group: name, version: version)
            } catch {
                result.failures["\(name)/\(version)"] = "\(error)"
            }
        }
        return result
    }

    /// The top-level resources of an APIResourceList (subresources left out).
    static func resources(in list: JSONValue, group: String, version: String) -> [DiscoveredResource] {
        (list["resources"]?.arrayValue ?? []).compactMap { entry in
            guard let plural = entry["name"]?.stringValue, !plural.contains("/"),
                  let kind = entry["kind"]?.stringValue else { return nil }
            let verbs = Set((entry["verbs"]?.arrayValue ?? []).compactMap(\.stringValue))
            return DiscoveredResource(
                resource: APIResource(group: group, version: version, plural: plural, namespaced: entry["namespaced"]?.boolValue ?? false),
                kind: kind, verbs: verbs)
        }
    }
}
