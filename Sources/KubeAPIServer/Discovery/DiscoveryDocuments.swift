import KubeModel

/// The discovery documents: legacy (/api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version>)
/// and aggregated discovery v2 (/api and /apis with
/// `Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`).
struct DiscoveryDocuments: Sendable {
    let registry: ResourceRegistry
    let serverAddress: String

    static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    /// Whether the Accept header prefers aggregated discovery (v2 or v2beta1).
    static func wantsAggregated(_ accept: String?) -> String? {
        guard let accept else { return nil }
        for entry in accept.split(separator: ",") {
            let parameters = MediaType.parameters(of: String(entry))
            if parameters["g"] == "apidiscovery.k8s.io", parameters["as"] == "APIGroupDiscoveryList",
                let version = parameters["v"], version == "v2" || version == "v2beta1"
            {
                return version
            }
            if MediaType.essence(of: String(entry)) == "application/json", parameters["as"] == nil { return nil }
        }
        return nil
    }

    func coreVersions() -> JSONValue {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    func groupList() -> JSONValue {
        ["kind": "APIGroupList", "apiVersion": "v1",
         "groups": .array(registry.groupVersions.filter { !$0.group.isEmpty }.map { group(name: $0.group, versions: $0.versions) })]
    }

    func group(name: String) -> JSONValue? {
        guard let entry = registry.groupVersions.first(where: { $0.group == name && !name.isEmpty }) else { return nil }
        var document = group(name: entry.group, versions: entry.versions)
        document["kind"] = "APIGroup"
        document["apiVersion"] = "v1"
        return document
    }

    private func group(name: String, versions: [String]) -> JSONValue {
        let entries: [JSONValue] = versions.map { ["groupVersion": .string("\(name)/\($0)"), "version": .string($0)] }
        return ["name": .string(name), "versions": .array(entries), "preferredVersion": entries.first ?? .null]
    }

    func resourceList(group: String, version: String) -> JSONValue? {
        let resources = registry.resources(group: group, version: version)
        guard !resources.isEmpty else { return nil }
        var entries: [JSONValue] = []
        for resource in resources {
            let d = resource.descriptor
            var entry: JSONObject = [
                "name": .string(d.plural), "singularName": .string(resource.singularName),
                "namespaced": .bool(d.namespaced), "kind": .string(d.kind),
                "verbs": .array(d.verbs.map(JSONValue.string)),
            ]
            if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map(JSONValue.string)) }
            if !resource.categories.isEmpty { entry["categories"] = .array(resource.categories.map(JSONValue.string)) }
            entries.append(.object(entry))
            for sub in d.subresources {
                var subEntry: JSONObject = [
                    "name": .string("\(d.plural)/\(sub.name)"), "singularName": "", "namespaced": .bool(d.namespaced),
                    "kind": .string(sub.kind), "verbs": .array(sub.verbs.map(JSONValue.string)),
                ]
                if sub.group != d.group || sub.version != d.version {
                    subEntry["group"] = .string(sub.group)
                    subEntry["version"] = .string(sub.version)
                }
                entries.append(.object(subEntry))
            }
        }
        return ["kind": "APIResourceList", "apiVersion": "v1",
                "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"), "resources": .array(entries)]
    }

    /// Aggregated discovery for the core group (`/api`) or every named group (`/apis`).
    func aggregated(core: Bool, version: String) -> JSONValue {
        var items: [JSONValue] = []
        for entry in registry.groupVersions where entry.group.isEmpty == core {
            var versions: [JSONValue] = []
            for groupVersion in entry.versions {
                let resources = registry.resources(group: entry.group, version: groupVersion).map(aggregatedResource)
                versions.append(["version": .string(groupVersion), "resources": .array(resources), "freshness": "Current"])
            }
            let metadata: JSONValue = entry.group.isEmpty ? [:] : ["name": .string(entry.group)]
            items.append(["metadata": metadata, "versions": .array(versions)])
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": .string("apidiscovery.k8s.io/\(version)"),
                "metadata": [:], "items": .array(items)]
    }

    private func aggregatedResource(_ resource: RegisteredResource) -> JSONValue {
        let d = resource.descriptor
        var entry: JSONObject = [
            "resource": .string(d.plural),
            "responseKind": ["group": .string(d.group), "version": .string(d.version), "kind": .string(d.kind)],
            "scope": .string(d.namespaced ? "Namespaced" : "Cluster"),
            "singularResource": .string(resource.singularName),
            "verbs": .array(d.verbs.map(JSONValue.string)),
        ]
        if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map(JSONValue.string)) }
        if !resource.categories.isEmpty { entry["categories"] = .array(resource.categories.map(JSONValue.string)) }
        if !d.subresources.isEmpty {
            entry["subresources"] = .array(d.subresources.map { sub in
                ["subresource": .string(sub.name),
                 "responseKind": ["group": .string(sub.group), "version": .string(sub.version), "kind": .string(sub.kind)],
                 "verbs": .array(sub.verbs.map(JSONValue.string))]
            })
        }
        return .object(entry)
    }
}
