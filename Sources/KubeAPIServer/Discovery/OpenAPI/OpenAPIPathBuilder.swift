import KubeModel

/// Lays out the paths of one group version from the registry's descriptors the way upstream's
/// API installer does: collection and item paths (plus the all-namespaces list and the
/// deprecated watch paths), one path per subresource, operations as the verbs allow.
struct OpenAPIPathBuilder {
    let names: OpenAPINames
    let schemas: OpenAPISchemas
    /// "/api/v1" or "/apis/<group>/<version>".
    let root: String
    private(set) var paths: [String: [OpenAPIOperation]] = [:]
    /// Definitions the operations point at: the roots of the document's components.
    private(set) var referencedDefinitions: Set<String> = []

    init(group: String, version: String, schemas: OpenAPISchemas) {
        names = OpenAPINames(group: group, version: version)
        self.schemas = schemas
        root = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
    }

    // MARK: media types and responses

    /// What the server encodes responses as (no protobuf or CBOR).
    static let objectMediaTypes = ["application/json", "application/yaml"]
    static let streamMediaTypes = ["application/json", "application/json;stream=watch", "application/yaml"]
    static let patchMediaTypes = RequestBody.patchMediaTypes.sorted()

    private static let statusDescriptions: [Int: String] = [200: "OK", 201: "Created", 202: "Accepted"]

    static func responses(_ codes: [Int], schema: JSONValue, mediaTypes: [String]) -> JSONObject {
        var content = JSONObject()
        for type in mediaTypes { content[type] = ["schema": schema] }
        var responses = JSONObject()
        for code in codes {
            responses[String(code)] = ["content": .object(content), "description": .string(statusDescriptions[code] ?? "OK")]
        }
        responses["401"] = ["description": "Unauthorized"]
        return responses
    }

    private static func body(_ schema: JSONValue, mediaTypes: [String] = ["*/*"], required: Bool = true) -> JSONValue {
        var content = JSONObject()
        for type in mediaTypes { content[type] = ["schema": schema] }
        var body: JSONObject = ["content": .object(content)]
        if required { body["required"] = true }
        return .object(body)
    }

    /// The schema of a kind: a reference to its definition, or a bare object when the catalog
    /// has none (so every `$ref` in the document resolves).
    mutating func schema(for kind: GroupVersionKind) -> JSONValue {
        guard let name = SchemaCatalog.definitionNameByKind[kind], schemas.definitions[name] != nil else { return ["type": "object"] }
        return schema(named: name)
    }

    mutating func schema(named name: String) -> JSONValue {
        referencedDefinitions.insert(name)
        return OpenAPISchemas.reference(name)
    }

    private static let metaPrefix = "io.k8s.apimachinery.pkg.apis.meta.v1."

    // MARK: operations

    private mutating func add(_ path: String, _ method: String, id: String, description: String, action: String?,
                              kind: GroupVersionKind?, parameters: [OpenAPIParameter], body: JSONValue? = nil,
                              responses: JSONObject) {
        paths[path, default: []].append(OpenAPIOperation(
            method: method, operationId: id, description: description, tag: names.tag, action: action, kind: kind,
            parameters: parameters, requestBody: body, responses: responses))
    }

    /// `GET <root>/`: the group version's resource list.
    mutating func addResourceList() {
        add(root + "/", "get", id: "get\(names.operationPrefix)APIResources", description: "get available resources",
            action: nil, kind: nil, parameters: [],
            responses: Self.responses([200], schema: schema(named: Self.metaPrefix + "APIResourceList"), mediaTypes: Self.objectMediaTypes))
    }

    mutating func add(_ resource: ResourceDescriptor) {
        let kind = resource.kind
        let verbs = Set(resource.verbs)
        let scope = resource.namespaced ? "Namespaced" : ""
        let scopePath = resource.namespaced ? "/namespaces/{namespace}" : ""
        let scopeParameters = resource.namespaced ? [OpenAPIParameters.namespace] : []
        let prefix = names.operationPrefix
        let gvk = resource.groupVersionKind
        let collection = root + scopePath + "/" + resource.plural

        if verbs.contains("list") {
            let list = GroupVersionKind(group: gvk.group, version: gvk.version, kind: kind + "List")
            let listResponses = Self.responses([200], schema: schema(for: list), mediaTypes: Self.streamMediaTypes)
            let description = verbs.contains("watch") ? "list or watch objects of kind \(kind)" : "list objects of kind \(kind)"
            let parameters = [OpenAPIParameters.pretty] + OpenAPIParameters.list
            add(collection, "get", id: "list\(prefix)\(scope)\(kind)", description: description, action: "list", kind: gvk,
                parameters: scopeParameters + parameters, responses: listResponses)
            if resource.namespaced {
                add(root + "/" + resource.plural, "get", id: "list\(prefix)\(kind)ForAllNamespaces", description: description,
                    action: "list", kind: gvk, parameters: parameters, responses: listResponses)
            }
        }
        if verbs.contains("watch") { addWatches(resource) }
        let object = schema(for: gvk)
        if verbs.contains("create") {
            add(collection, "post", id: "create\(prefix)\(scope)\(kind)", description: "create \(OpenAPINames.withArticle(kind))",
                action: "post", kind: gvk, parameters: scopeParameters + [OpenAPIParameters.pretty] + OpenAPIParameters.create,
                body: Self.body(object), responses: Self.responses([200, 201, 202], schema: object, mediaTypes: Self.objectMediaTypes))
        }
        if verbs.contains("deletecollection") {
            add(collection, "delete", id: "delete\(prefix)Collection\(scope)\(kind)", description: "delete collection of \(kind)",
                action: "deletecollection", kind: gvk,
                parameters: scopeParameters + [OpenAPIParameters.pretty] + OpenAPIParameters.deleteCollection,
                body: Self.body(schema(named: Self.metaPrefix + "DeleteOptions"), required: false),
                responses: Self.responses([200], schema: schema(named: Self.metaPrefix + "Status"), mediaTypes: Self.objectMediaTypes))
        }
        let item = Target(
            path: collection + "/{name}", idSuffix: scope + kind, subresource: nil, parentKind: kind, kind: gvk, schema: object,
            pathParameters: [OpenAPIParameters.name(of: kind)] + scopeParameters)
        addObjectOperations(item, verbs: verbs.subtracting(["create"]))
        for subresource in resource.subresources {
            add(subresource, of: resource, parent: item)
        }
    }

    /// The deprecated `/watch/…` paths upstream still publishes.
    private mutating func addWatches(_ resource: ResourceDescriptor) {
        let kind = resource.kind
        let prefix = names.operationPrefix
        let gvk = resource.groupVersionKind
        let events = Self.responses([200], schema: schema(named: Self.metaPrefix + "WatchEvent"), mediaTypes: Self.streamMediaTypes)
        let parameters = [OpenAPIParameters.pretty] + OpenAPIParameters.list
        let listDescription = "watch individual changes to a list of \(kind). deprecated: use the 'watch' parameter with a list operation instead."
        let itemDescription = "watch changes to an object of kind \(kind). deprecated: use the 'watch' parameter with a list operation "
            + "instead, filtered to a single item with the 'fieldSelector' parameter."
        let unscoped = root + "/watch/" + resource.plural
        if resource.namespaced {
            let scoped = root + "/watch/namespaces/{namespace}/" + resource.plural
            add(scoped, "get", id: "watch\(prefix)Namespaced\(kind)List", description: listDescription, action: "watchlist", kind: gvk,
                parameters: [OpenAPIParameters.namespace] + parameters, responses: events)
            add(scoped + "/{name}", "get", id: "watch\(prefix)Namespaced\(kind)", description: itemDescription, action: "watch",
                kind: gvk, parameters: [OpenAPIParameters.name(of: kind), OpenAPIParameters.namespace] + parameters, responses: events)
            add(unscoped, "get", id: "watch\(prefix)\(kind)ListForAllNamespaces", description: listDescription, action: "watchlist",
                kind: gvk, parameters: parameters, responses: events)
        } else {
            add(unscoped, "get", id: "watch\(prefix)\(kind)List", description: listDescription, action: "watchlist", kind: gvk,
                parameters: parameters, responses: events)
            add(unscoped + "/{name}", "get", id: "watch\(prefix)\(kind)", description: itemDescription, action: "watch", kind: gvk,
                parameters: [OpenAPIParameters.name(of: kind)] + parameters, responses: events)
        }
    }

    /// An object path (a resource item or one of its object subresources) and what its
    /// operations are named after.
    private struct Target {
        var path: String
        /// "NamespacedDeployment", "NamespacedDeploymentScale".
        var idSuffix: String
        var subresource: String?
        var parentKind: String
        /// The kind the operations carry (Scale for deployments/scale).
        var kind: GroupVersionKind
        var schema: JSONValue
        var pathParameters: [OpenAPIParameter]

        /// "the specified Deployment", "scale of the specified Deployment".
        var specified: String { (subresource.map { "\($0) of " } ?? "") + "the specified \(parentKind)" }
    }

    private mutating func addObjectOperations(_ target: Target, verbs: Set<String>) {
        let prefix = names.operationPrefix
        let common = target.pathParameters + [OpenAPIParameters.pretty]
        let objectResponses = { (codes: [Int]) in Self.responses(codes, schema: target.schema, mediaTypes: Self.objectMediaTypes) }
        if verbs.contains("get") {
            add(target.path, "get", id: "read\(prefix)\(target.idSuffix)", description: "read \(target.specified)", action: "get",
                kind: target.kind, parameters: common, responses: objectResponses([200]))
        }
        if verbs.contains("update") {
            add(target.path, "put", id: "replace\(prefix)\(target.idSuffix)", description: "replace \(target.specified)", action: "put",
                kind: target.kind, parameters: common + OpenAPIParameters.update, body: Self.body(target.schema),
                responses: objectResponses([200, 201]))
        }
        if verbs.contains("patch") {
            add(target.path, "patch", id: "patch\(prefix)\(target.idSuffix)", description: "partially update \(target.specified)",
                action: "patch", kind: target.kind, parameters: common + OpenAPIParameters.patch,
                body: Self.body(schema(named: Self.metaPrefix + "Patch"), mediaTypes: Self.patchMediaTypes),
                responses: objectResponses([200, 201]))
        }
        if verbs.contains("create"), let subresource = target.subresource {
            add(target.path, "post", id: "create\(prefix)\(target.idSuffix)",
                description: "create \(subresource) of \(OpenAPINames.withArticle(target.parentKind))", action: "post",
                kind: target.kind, parameters: common + OpenAPIParameters.create, body: Self.body(target.schema),
                responses: objectResponses([200, 201, 202]))
        }
        if verbs.contains("delete"), target.subresource == nil {
            let deleted = Self.deleteReturnsObject.contains(target.kind) ? target.schema : schema(named: Self.metaPrefix + "Status")
            add(target.path, "delete", id: "delete\(prefix)\(target.idSuffix)", description: "delete \(OpenAPINames.withArticle(target.parentKind))",
                action: "delete", kind: target.kind, parameters: common + OpenAPIParameters.delete,
                body: Self.body(schema(named: Self.metaPrefix + "DeleteOptions"), required: false),
                responses: Self.responses([200, 202], schema: deleted, mediaTypes: Self.objectMediaTypes))
        }
    }

    /// Kinds whose upstream storage answers DELETE with the deleted object; the others
    /// document a Status.
    private static let deleteReturnsObject: Set<GroupVersionKind> = Set(
        ["Pod", "Service", "PersistentVolume", "PersistentVolumeClaim", "ServiceAccount", "PodTemplate", "ResourceQuota"]
            .map { GroupVersionKind(group: "", version: "v1", kind: $0) }
            + ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment", "VolumeAttributesClass"]
            .map { GroupVersionKind(group: "storage.k8s.io", version: "v1", kind: $0) })

    private static let connectMethods: [(verb: String, method: String)] = [
        ("get", "get"), ("create", "post"), ("update", "put"), ("patch", "patch"), ("delete", "delete"),
    ]

    private mutating func add(_ subresource: SubresourceDescriptor, of resource: ResourceDescriptor, parent: Target) {
        let kind = GroupVersionKind(group: subresource.group, version: subresource.version, kind: subresource.kind)
        let path = parent.path + "/" + subresource.name
        let idSuffix = parent.idSuffix + OpenAPINames.upperFirst(subresource.name)
        let pathParameters = [OpenAPIParameters.name(of: subresource.kind)] + parent.pathParameters.dropFirst()
        let verbs = Set(subresource.verbs)
        let prefix = names.operationPrefix

        // Connecters (exec, attach, portforward, proxy) carry an *Options kind and stream raw bytes.
        if subresource.kind.hasSuffix("Options") {
            let parameters = pathParameters + OpenAPIParameters.connect(subresource.name, parentKind: resource.kind)
            let raw = Self.responses([200], schema: ["type": "string"], mediaTypes: ["*/*"])
            for (verb, method) in Self.connectMethods where verbs.contains(verb) {
                let id = "connect\(prefix)\(OpenAPINames.upperFirst(method))\(idSuffix)"
                let description = "connect \(method.uppercased()) requests to \(subresource.name) of \(resource.kind)"
                add(path, method, id: id, description: description, action: "connect", kind: kind, parameters: parameters, responses: raw)
                if subresource.name == "proxy" {
                    add(path + "/{path}", method, id: id + "WithPath", description: description, action: "connect", kind: kind,
                        parameters: parameters + [OpenAPIParameters.proxyPathSegment], responses: raw)
                }
            }
            return
        }
        if subresource.name == "log" {
            add(path, "get", id: "read\(prefix)\(idSuffix)", description: "read log of the specified \(resource.kind)", action: "get",
                kind: kind, parameters: pathParameters + [OpenAPIParameters.pretty] + OpenAPIParameters.log,
                responses: Self.responses([200], schema: ["type": "string"], mediaTypes: Self.objectMediaTypes + ["text/plain"]))
            return
        }
        let target = Target(
            path: path, idSuffix: idSuffix, subresource: subresource.name, parentKind: resource.kind, kind: kind,
            schema: schema(for: kind), pathParameters: pathParameters)
        addObjectOperations(target, verbs: verbs)
    }
}
