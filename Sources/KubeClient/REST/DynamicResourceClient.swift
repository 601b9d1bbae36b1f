import KubeModel

/// Requests on one resource with objects as `JSONValue`: works for any resource, including
/// custom ones. `ResourceClient` adds types on top.
public struct DynamicResourceClient: Sendable {
    public let client: APIClient
    public let resource: APIResource
    /// Nil: all namespaces for collection calls; the object's or the client's for one object.
    public let namespace: String?

    public init(client: APIClient, resource: APIResource, namespace: String?) {
        self.client = client
        self.resource = resource
        self.namespace = namespace
    }

    // MARK: - Reads

    public func get(_ name: String, resourceVersion: String? = nil) async throws -> JSONValue {
        try await client.sendJSON("GET", objectPath(name), query: resourceVersion.map { [QueryItem("resourceVersion", $0)] } ?? [])
    }

    /// GET of a subresource: "status", "scale", "log"…
    public func get(_ name: String, subresource: String) async throws -> JSONValue {
        try await client.sendJSON("GET", objectPath(name, subresource: subresource))
    }

    /// One page of the collection.
    public func list(_ options: ListOptions = ListOptions()) async throws -> ObjectList<JSONValue> {
        let json = try await client.sendJSON("GET", resource.path(namespace: namespace), query: options.queryItems)
        let metadata = try decode(MetaV1.ListMeta.self, json["metadata"] ?? [:])
        return ObjectList(items: json["items"]?.arrayValue ?? [], metadata: metadata)
    }

    /// Every page of the collection, following continue tokens (`options.limit` is the page size).
    public func listAll(_ options: ListOptions = ListOptions()) async throws -> ObjectList<JSONValue> {
        var options = options
        var page = try await list(options)
        var items = page.items
        while let token = page.continueToken {
            options.continueToken = token
            page = try await list(options)
            items += page.items
        }
        return ObjectList(items: items, metadata: page.metadata)
    }

    /// Streams changes to the collection; see `WatchEventStream`.
    public func watch(_ options: ListOptions = ListOptions()) async throws -> WatchEventStream<JSONValue> {
        try await watch(options) { try $0.readValue() }
    }

    /// Streams changes with each object decoded by `decode` straight from the event's text
    /// (e.g. into metadata only).
    public func watch<Object: Sendable>(_ options: ListOptions,
                                        decode: @escaping @Sendable (inout JSONReader) throws -> Object) async throws -> WatchEventStream<Object> {
        let query = options.queryItems + [QueryItem("watch", "true")]
        let response = try await client.stream("GET", resource.path(namespace: namespace), query: query)
        return WatchEventStream(response.body, decode: decode)
    }

    // MARK: - Writes

    public func create(_ object: JSONValue, options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        let path = resource.path(namespace: try namespace(of: object, for: "create"))
        return try await client.sendJSON("POST", path, query: options.queryItems, body: object)
    }

    /// PUT of the whole object (name and namespace from its metadata), or of a subresource.
    public func update(_ object: JSONValue, subresource: String? = nil, options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        let name = try name(of: object, for: "update")
        let path = resource.path(namespace: try namespace(of: object, for: "update"), name: name, subresource: subresource)
        return try await client.sendJSON("PUT", path, query: options.queryItems, body: object)
    }

    public func updateStatus(_ object: JSONValue, options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        try await update(object, subresource: "status", options: options)
    }

    /// POST to a subresource of one object: "binding" (pods), "eviction" (pods)…
    public func create(_ name: String, subresource: String, body: JSONValue,
                       options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        try await client.sendJSON("POST", objectPath(name, subresource: subresource), query: options.queryItems, body: body)
    }

    public func patch(_ name: String, type: PatchType, body: JSONValue, subresource: String? = nil,
                      options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        var query = options.queryItems
        if case .apply(force: true) = type { query.append(QueryItem("force", "true")) }
        return try await client.sendJSON("PATCH", objectPath(name, subresource: subresource), query: query, body: body,
                                         contentType: type.contentType)
    }

    /// Server-side apply of the fields `object` sets, owned by `fieldManager`.
    public func apply(_ object: JSONValue, fieldManager: String, force: Bool = false, subresource: String? = nil,
                      dryRun: Bool = false) async throws -> JSONValue {
        let name = try name(of: object, for: "apply")
        let path = resource.path(namespace: try namespace(of: object, for: "apply"), name: name, subresource: subresource)
        var query = WriteOptions(dryRun: dryRun, fieldManager: fieldManager).queryItems
        if force { query.append(QueryItem("force", "true")) }
        return try await client.sendJSON("PATCH", path, query: query, body: object, contentType: PatchType.apply(force: force).contentType)
    }

    /// Deletes one object; returns what the server answered (the object while finalizers or a
    /// grace period keep it, otherwise a Status or the deleted object).
    @discardableResult
    public func delete(_ name: String, options: MetaV1.DeleteOptions = MetaV1.DeleteOptions()) async throws -> JSONValue {
        try await client.sendJSON("DELETE", objectPath(name), body: Self.body(options))
    }

    /// Deletes every object the list options select.
    @discardableResult
    public func deleteCollection(_ listOptions: ListOptions = ListOptions(),
                                 options: MetaV1.DeleteOptions = MetaV1.DeleteOptions()) async throws -> JSONValue {
        try await client.sendJSON("DELETE", resource.path(namespace: namespace), query: listOptions.queryItems, body: Self.body(options))
    }

    // MARK: - Helpers

    private static func body(_ options: MetaV1.DeleteOptions) -> JSONValue? {
        guard options != MetaV1.DeleteOptions() else { return nil }
        var options = options
        options.apiVersion = "v1"
        options.kind = "DeleteOptions"
        return options.toJSON()
    }

    func objectPath(_ name: String, subresource: String? = nil) throws -> String {
        guard !name.isEmpty else { throw KubeClientError.nameRequired("\(resource)") }
        return resource.path(namespace: namespace ?? client.namespace, name: name, subresource: subresource)
    }

    private func name(of object: JSONValue, for verb: String) throws -> String {
        guard let name = object[path: ["metadata", "name"]]?.stringValue, !name.isEmpty else {
            throw KubeClientError.nameRequired("\(verb) \(resource)")
        }
        return name
    }

    private func namespace(of object: JSONValue, for verb: String) throws -> String? {
        guard resource.namespaced else { return nil }
        if let namespace { return namespace }
        if let own = object[path: ["metadata", "namespace"]]?.stringValue, !own.isEmpty { return own }
        guard !client.namespace.isEmpty else { throw KubeClientError.namespaceRequired("\(verb) \(resource)") }
        return client.namespace
    }

    func decode<T: JSONCodable>(_ type: T.Type, _ json: JSONValue) throws -> T {
        do { return try T(json: json) } catch { throw decodingError(T.self, error) }
    }

    /// Decodes straight from text; a type mismatch is a decoding error, malformed text is
    /// left to the caller.
    func decode<T: JSONCodable>(_ type: T.Type, from reader: inout JSONReader) throws -> T {
        do { return try T(reader: &reader, context: JSONDecodingContext()) } catch let error as JSONDecodeError {
            throw decodingError(T.self, error)
        }
    }

    private func decodingError(_ type: Any.Type, _ error: any Error) -> KubeClientError {
        .decoding("\(type) from \(resource): \(error)")
    }
}
