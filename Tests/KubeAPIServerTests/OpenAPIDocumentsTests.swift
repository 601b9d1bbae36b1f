import Foundation
import KubeModel
import KubeStore
import Testing

@testable import KubeAPIServer

/// The documents of the built-in registry, built once for the whole suite.
private enum Fixture {
    static let registry = BuiltinResources.registry(context: ServerContext(store: MemoryStore()), strategies: BuiltinStrategies.all)
    static let documents = OpenAPIDocuments(registry: registry)

    static func json(_ path: String, query: [String: [String]] = [:]) throws -> (APIResponse, JSONValue) {
        let response = try documents.response(path: path, query: QueryParameters(query))
        guard case .bytes(let bytes) = response.body else { throw TestFailure("streamed body for \(path)") }
        return (response, try JSONParser.parse(bytes))
    }

    static let appsV1: JSONValue = {
        guard let document = documents.document(named: "apis/apps/v1") else { preconditionFailure("no apps/v1 document") }
        return (try? JSONParser.parse(document.bytes)) ?? .null
    }()
}

private struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Follows `$ref` / `allOf: [{$ref}]` to the component schema they name.
private func resolve(_ schema: JSONValue?, in document: JSONValue) -> JSONValue? {
    guard let schema else { return nil }
    let reference = schema["$ref"]?.stringValue ?? schema["allOf"]?.arrayValue?.first?["$ref"]?.stringValue
    guard let reference else { return schema }
    return document[path: ["components", "schemas", String(reference.dropFirst(OpenAPISchemas.referencePrefix.count))]]
}

private func references(in value: JSONValue, into found: inout [String]) {
    switch value {
    case .object(let object):
        for (key, member) in object {
            if key == "$ref", let reference = member.stringValue { found.append(reference) } else { references(in: member, into: &found) }
        }
    case .array(let array):
        for element in array { references(in: element, into: &found) }
    default:
        break
    }
}

@Suite struct OpenAPIDocumentsTests {
    @Test func indexListsEveryGroupVersion() throws {
        let (response, index) = try Fixture.json("/openapi/v3")
        #expect(response.status == .ok)
        let paths = try #require(index["paths"]?.objectValue)
        for (group, versions) in Fixture.registry.groupVersions {
            for version in versions {
                let name = group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
                let url = try #require(paths[name]?["serverRelativeURL"]?.stringValue, "index lacks \(name)")
                #expect(url.hasPrefix("/openapi/v3/\(name)?hash="))
                let hash = String(url.split(separator: "=").last ?? "")
                #expect(hash == Fixture.documents.document(named: name)?.hash)
            }
        }
    }

    @Test func hashedRequestsAreImmutableAndStaleHashesRedirect() throws {
        let hash = try #require(Fixture.documents.document(named: "apis/apps/v1")?.hash)
        let (fresh, _) = try Fixture.json("/openapi/v3/apis/apps/v1", query: ["hash": [hash]])
        #expect(fresh.headers.first(name: "cache-control") == "public, immutable")
        #expect(fresh.headers.first(name: "etag") == "\"\(hash)\"")
        let (unhashed, _) = try Fixture.json("/openapi/v3/apis/apps/v1")
        #expect(unhashed.headers.first(name: "cache-control") == "no-cache, private")
        let stale = try Fixture.documents.response(path: "/openapi/v3/apis/apps/v1", query: QueryParameters(["hash": ["0"]]))
        #expect(stale.status == .movedPermanently)
        #expect(stale.headers.first(name: "location") == "/openapi/v3/apis/apps/v1?hash=\(hash)")
    }

    @Test(arguments: ["/openapi/v2", "/openapi/v3/apis/nosuch.group/v1", "/openapi/v3/apis/apps/v9", "/openapi/v3/apis/apps/v1/extra"])
    func unknownDocumentsAreNotFound(path: String) {
        #expect(throws: APIError.self) { try Fixture.documents.response(path: path, query: QueryParameters()) }
    }

    @Test func documentShape() throws {
        let document = Fixture.appsV1
        #expect(document["openapi"] == "3.0.0")
        #expect(document[path: ["info", "title"]] == "Kubernetes")
        #expect(document[path: ["info", "version"]] == "v1.36.0")
        #expect(document[path: ["components", "securitySchemes", "BearerToken", "type"]] == "apiKey")
        #expect(document["security"] == [["BearerToken": []]])
    }

    @Test func deploymentSchemaCarriesKindAndListMapKeys() throws {
        let document = Fixture.appsV1
        let deployment = try #require(document[path: ["components", "schemas", "io.k8s.api.apps.v1.Deployment"]])
        #expect(deployment["x-kubernetes-group-version-kind"] == [["group": "apps", "kind": "Deployment", "version": "v1"]])
        // A described reference is wrapped in allOf, with the struct's zero value as default.
        let spec = try #require(deployment[path: ["properties", "spec"]])
        #expect(spec["allOf"] == [["$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"]])
        #expect(spec["default"] == [:])
        #expect(spec["description"] != nil)

        let deploymentSpec = resolve(spec, in: document)
        let template = resolve(deploymentSpec?[path: ["properties", "template"]], in: document)
        let podSpec = resolve(template?[path: ["properties", "spec"]], in: document)
        let containers = try #require(podSpec?[path: ["properties", "containers"]])
        #expect(containers["type"] == "array")
        #expect(containers["x-kubernetes-list-type"] == "map")
        #expect(containers["x-kubernetes-list-map-keys"] == ["name"])
        #expect(containers["x-kubernetes-patch-merge-key"] == "name")
        #expect(containers["x-kubernetes-patch-strategy"] == "merge")
        #expect(containers[path: ["items", "allOf"]] == [["$ref": "#/components/schemas/io.k8s.api.core.v1.Container"]])
    }

    @Test func oneOfTypesReplaceTheirV2Type() throws {
        let schemas = try #require(Fixture.appsV1[path: ["components", "schemas"]])
        let intOrString = try #require(schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"])
        #expect(intOrString["type"] == nil)
        #expect(intOrString["format"] == "int-or-string")
        #expect(intOrString["oneOf"] == [["type": "integer"], ["type": "string"]])
        #expect(schemas[path: ["io.k8s.apimachinery.pkg.api.resource.Quantity", "oneOf"]] == [["type": "string"], ["type": "number"]])
    }

    @Test(arguments: OpenAPIDocumentBuilder(registry: Fixture.registry).documentNames)
    func everyReferenceResolves(name: String) throws {
        let document = try JSONParser.parse(try #require(Fixture.documents.document(named: name)).bytes)
        let schemas = try #require(document[path: ["components", "schemas"]]?.objectValue)
        var found: [String] = []
        references(in: document, into: &found)
        #expect(!found.isEmpty)
        for reference in Set(found) {
            #expect(reference.hasPrefix(OpenAPISchemas.referencePrefix))
            #expect(schemas[String(reference.dropFirst(OpenAPISchemas.referencePrefix.count))] != nil, "\(name): dangling \(reference)")
        }
    }

    /// kubectl sends `fieldValidation=Strict` only when the first PATCH operation it finds for
    /// the kind lists the parameter on the operation itself, so every one of them must.
    @Test func everyPatchOperationOffersFieldValidation() throws {
        let paths = try #require(Fixture.appsV1["paths"]?.objectValue)
        let item = try #require(paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]?["patch"])
        #expect(item["operationId"] == "patchAppsV1NamespacedDeployment")
        #expect(item["x-kubernetes-group-version-kind"] == ["group": "apps", "kind": "Deployment", "version": "v1"])
        let contentTypes = try #require(item[path: ["requestBody", "content"]]?.objectValue?.keys)
        #expect(Set(contentTypes) == ["application/apply-patch+yaml", "application/json-patch+json",
                                      "application/merge-patch+json", "application/strategic-merge-patch+json"])
        var patches = 0
        for (_, pathItem) in paths {
            guard let patch = pathItem["patch"] else { continue }
            patches += 1
            let names = patch["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(names.contains("fieldValidation"), "\(patch["operationId"] ?? .null)")
            #expect(names.contains("force"))
        }
        #expect(patches > 0)
        let validation = try #require(item["parameters"]?.arrayValue?.first { $0["name"] == "fieldValidation" })
        #expect(validation["in"] == "query")
        #expect(validation["description"]?.stringValue?.contains("Strict") == true)
    }

    /// One operation upstream names: document, path, method, operationId, x-kubernetes-action.
    struct NamedOperation: Sendable, CustomTestStringConvertible {
        var document, path, method, operationId, action: String
        init(_ document: String, _ path: String, _ method: String, _ operationId: String, _ action: String) {
            (self.document, self.path, self.method, self.operationId, self.action) = (document, path, method, operationId, action)
        }
        var testDescription: String { operationId }
    }

    static let namedOperations: [NamedOperation] = [
        NamedOperation("api/v1", "/api/v1/namespaces/{namespace}/pods", "get", "listCoreV1NamespacedPod", "list"),
        NamedOperation("api/v1", "/api/v1/pods", "get", "listCoreV1PodForAllNamespaces", "list"),
        NamedOperation("api/v1", "/api/v1/namespaces/{namespace}/pods", "post", "createCoreV1NamespacedPod", "post"),
        NamedOperation("api/v1", "/api/v1/namespaces/{namespace}/pods", "delete", "deleteCoreV1CollectionNamespacedPod", "deletecollection"),
        NamedOperation("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}", "put", "replaceCoreV1NamespacedPod", "put"),
        NamedOperation("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}/exec", "post", "connectCoreV1PostNamespacedPodExec", "connect"),
        NamedOperation("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}/log", "get", "readCoreV1NamespacedPodLog", "get"),
        NamedOperation("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}/binding", "post", "createCoreV1NamespacedPodBinding", "post"),
        NamedOperation("api/v1", "/api/v1/namespaces/{name}/finalize", "put", "replaceCoreV1NamespaceFinalize", "put"),
        NamedOperation("api/v1", "/api/v1/watch/namespaces/{namespace}/pods/{name}", "get", "watchCoreV1NamespacedPod", "watch"),
        NamedOperation("api/v1", "/api/v1/watch/nodes", "get", "watchCoreV1NodeList", "watchlist"),
        NamedOperation("apis/apps/v1", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "patch", "patchAppsV1NamespacedDeploymentScale", "patch"),
        NamedOperation("apis/apps/v1", "/apis/apps/v1/watch/deployments", "get", "watchAppsV1DeploymentListForAllNamespaces", "watchlist"),
        NamedOperation("apis/rbac.authorization.k8s.io/v1", "/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}", "delete", "deleteRbacAuthorizationV1ClusterRole", "delete"),
    ]

    @Test(arguments: namedOperations)
    func operationsAreNamedAsUpstream(_ expected: NamedOperation) throws {
        let document = try JSONParser.parse(try #require(Fixture.documents.document(named: expected.document)).bytes)
        let operation = try #require(document[path: ["paths", expected.path, expected.method]], "\(expected.method) \(expected.path)")
        #expect(operation["operationId"] == .string(expected.operationId))
        #expect(operation["x-kubernetes-action"] == .string(expected.action))
    }

    @Test func sharedParametersMoveToThePath() throws {
        let collection = try #require(Fixture.appsV1[path: ["paths", "/apis/apps/v1/namespaces/{namespace}/deployments"]])
        #expect(collection["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["namespace", "pretty"])
        let list = collection[path: ["get", "parameters"]]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(list.contains("watch") && list.contains("labelSelector") && !list.contains("pretty"))
        let scale = try #require(Fixture.appsV1[path: ["paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "get"]])
        #expect(scale["x-kubernetes-group-version-kind"] == ["group": "autoscaling", "kind": "Scale", "version": "v1"])
    }

    /// Compares our apps/v1 document's layout with upstream's when the reference copy is present.
    /// Schema contents follow our catalog, which may differ from the reference in a field or
    /// two, so definitions and properties are compared where both sides have them.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: OpenAPIDocumentsTests.upstreamAppsV1)))
    func keyStructureMatchesUpstream() throws {
        let upstream = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: Self.upstreamAppsV1))))
        let ours = Fixture.appsV1
        #expect(Set(ours.objectValue?.keys ?? []).subtracting(["security"]) == Set(upstream.objectValue?.keys ?? []))

        let upstreamPaths = try #require(upstream["paths"]?.objectValue)
        let ourPaths = try #require(ours["paths"]?.objectValue)
        #expect(Set(ourPaths.keys) == Set(upstreamPaths.keys))
        // We do not implement ignoreStoreReadErrorWithClusterBreakingPotential.
        let parameterNames = { (value: JSONValue?) in
            (value?["parameters"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
                .filter { $0 != "ignoreStoreReadErrorWithClusterBreakingPotential" }
        }
        for (path, upstreamItem) in upstreamPaths {
            guard let ourItem = ourPaths[path] else { continue }
            #expect(Set(ourItem.objectValue?.keys ?? []) == Set(upstreamItem.objectValue?.keys ?? []), "\(path)")
            #expect(parameterNames(ourItem) == parameterNames(upstreamItem), "\(path)")
            for (method, upstreamOperation) in upstreamItem.objectValue ?? [:] where method != "parameters" {
                let operation = ourItem[method]
                for key in ["operationId", "description", "tags", "x-kubernetes-action", "x-kubernetes-group-version-kind"] {
                    #expect(operation?[key] == upstreamOperation[key], "\(method) \(path) \(key)")
                }
                #expect(parameterNames(operation) == parameterNames(upstreamOperation), "\(method) \(path)")
                #expect(Set(operation?["responses"]?.objectValue?.keys ?? []) == Set(upstreamOperation["responses"]?.objectValue?.keys ?? []))
                #expect(operation?[path: ["requestBody", "required"]] == upstreamOperation[path: ["requestBody", "required"]])
            }
        }

        let upstreamSchemas = try #require(upstream[path: ["components", "schemas"]]?.objectValue)
        let ourSchemas = try #require(ours[path: ["components", "schemas"]]?.objectValue)
        for name in upstreamSchemas.keys where SchemaCatalog.definitions[name] != nil {
            #expect(ourSchemas[name] != nil, "missing schema \(name)")
        }
        // Defaults are inferred (the v2-derived catalog has none), and with them whether a
        // reference needs its allOf wrapper; the rest of each schema's keys must match.
        let keys = { (value: JSONValue?) in
            Set((value?.objectValue?.keys ?? []).map { $0 == "allOf" ? "$ref" : $0 }).subtracting(["default"])
        }
        for (name, schema) in upstreamSchemas {
            guard let ourSchema = ourSchemas[name] else { continue }
            #expect(keys(ourSchema) == keys(schema), "\(name)")
            for (property, upstreamProperty) in schema["properties"]?.objectValue ?? [:] {
                guard let ourProperty = ourSchema[path: ["properties", property]] else { continue }
                #expect(keys(ourProperty) == keys(upstreamProperty), "\(name).\(property)")
                #expect(keys(ourProperty["items"]) == keys(upstreamProperty["items"]), "\(name).\(property) items")
            }
        }
    }

    static let upstreamAppsV1 = "/work/shared/k8s-api/v3/apis__apps__v1_openapi.json"

    @Test func buildingEveryDocumentIsFast() {
        let documents = OpenAPIDocuments(registry: Fixture.registry)
        let start = ContinuousClock.now
        let index = documents.index()
        let elapsed = ContinuousClock.now - start
        print("OpenAPI: built \(OpenAPIDocumentBuilder(registry: Fixture.registry).documentNames.count) documents in \(elapsed)")
        #expect(!index.bytes.isEmpty)
        #expect(elapsed < .seconds(5), "building every OpenAPI document took \(elapsed)")
    }
}
