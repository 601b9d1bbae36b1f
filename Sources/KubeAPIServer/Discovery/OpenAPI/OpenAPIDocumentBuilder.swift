import KubeModel

/// Builds the OpenAPI v3 documents the server publishes, each named as the `/openapi/v3` index
/// names it: one per group version ("api/v1", "apis/apps/v1"), plus the small discovery
/// documents upstream also lists ("api", "apis", "apis/apps", "version").
struct OpenAPIDocumentBuilder: Sendable {
    let registry: ResourceRegistry
    let schemas: OpenAPISchemas
    /// `info.version`: the server's version without its build suffix, as upstream shows it.
    let infoVersion: String

    init(registry: ResourceRegistry, schemas: OpenAPISchemas = OpenAPISchemas(),
         gitVersion: String = APIServer.versionInfo.gitVersion) {
        self.registry = registry
        self.schemas = schemas
        infoVersion = String(gitVersion.prefix { $0 != "-" })
    }

    private static let metaPrefix = "io.k8s.apimachinery.pkg.apis.meta.v1."

    /// Every document name, in index order.
    var documentNames: [String] {
        var names = ["apis", "version"]
        for (group, versions) in registry.groupVersions {
            if group.isEmpty {
                names.append("api")
                names += versions.map { "api/\($0)" }
            } else {
                names.append("apis/\(group)")
                names += versions.map { "apis/\(group)/\($0)" }
            }
        }
        return names.sorted()
    }

    func document(named name: String) -> JSONValue? {
        let segments = name.split(separator: "/").map(String.init)
        switch (segments.first, segments.count) {
        case ("version", 1):
            return discoveryDocument(path: "/version/", id: "getCodeVersion", description: "get the version information for this server",
                                     tag: "version", definition: "io.k8s.apimachinery.pkg.version.Info", mediaTypes: ["application/json"])
        case ("apis", 1):
            return discoveryDocument(path: "/apis/", id: "getAPIVersions", description: "get available API versions",
                                     tag: "apis", definition: Self.metaPrefix + "APIGroupList")
        case ("api", 1) where isServed(group: ""):
            return discoveryDocument(path: "/api/", id: "getCoreAPIVersions", description: "get available API versions",
                                     tag: "core", definition: Self.metaPrefix + "APIVersions")
        case ("api", 2):
            return groupVersionDocument(group: "", version: segments[1])
        case ("apis", 2) where isServed(group: segments[1]):
            let words = OpenAPINames.groupWords(segments[1]).map(OpenAPINames.upperFirst).joined()
            return discoveryDocument(path: "/apis/\(segments[1])/", id: "get\(words)APIGroup", description: "get information of a group",
                                     tag: OpenAPINames.groupTag(segments[1]), definition: Self.metaPrefix + "APIGroup")
        case ("apis", 3):
            return groupVersionDocument(group: segments[1], version: segments[2])
        default:
            return nil
        }
    }

    private func isServed(group: String) -> Bool {
        registry.groupVersions.contains { $0.group == group }
    }

    private func groupVersionDocument(group: String, version: String) -> JSONValue? {
        let resources = registry.resources(group: group, version: version)
        guard !resources.isEmpty else { return nil }
        var builder = OpenAPIPathBuilder(group: group, version: version, schemas: schemas)
        builder.addResourceList()
        for resource in resources { builder.add(resource.descriptor) }
        var paths = JSONObject()
        for path in builder.paths.keys.sorted() {
            paths[path] = OpenAPIOperation.pathItem(builder.paths[path] ?? [])
        }
        return document(paths: paths, roots: builder.referencedDefinitions)
    }

    /// A document with a single GET returning one discovery kind.
    private func discoveryDocument(path: String, id: String, description: String, tag: String, definition: String,
                                   mediaTypes: [String] = OpenAPIPathBuilder.objectMediaTypes) -> JSONValue {
        let operation = OpenAPIOperation(
            method: "get", operationId: id, description: description, tag: tag, action: nil, kind: nil, parameters: [],
            requestBody: nil,
            responses: OpenAPIPathBuilder.responses([200], schema: OpenAPISchemas.reference(definition), mediaTypes: mediaTypes))
        return document(paths: [path: OpenAPIOperation.pathItem([operation])], roots: [definition])
    }

    private func document(paths: JSONObject, roots: Set<String>) -> JSONValue {
        var components = JSONObject()
        for name in schemas.closure(of: roots) {
            components[name] = schemas.component(name)
        }
        return [
            "openapi": "3.0.0",
            "info": ["title": "Kubernetes", "version": .string(infoVersion)],
            "paths": .object(paths),
            "components": [
                "schemas": .object(components),
                "securitySchemes": [
                    "BearerToken": ["description": "Bearer Token authentication", "in": "header", "name": "authorization", "type": "apiKey"],
                ],
            ],
            "security": [["BearerToken": []]],
        ]
    }
}
