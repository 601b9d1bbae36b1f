import KubeModel

/// Typed requests on the resource of one generated kind (client-go's typed clientsets).
/// Objects sent get their apiVersion and kind filled in.
public struct ResourceClient<Object: KubeObject>: Sendable {
    public let dynamic: DynamicResourceClient

    public init(dynamic: DynamicResourceClient) { self.dynamic = dynamic }

    public func get(_ name: String, resourceVersion: String? = nil) async throws -> Object {
        try decode(try await dynamic.get(name, resourceVersion: resourceVersion))
    }

    public func list(_ options: ListOptions = ListOptions()) async throws -> ObjectList<Object> {
        try decode(try await dynamic.list(options))
    }

    /// Every page, following continue tokens.
    public func listAll(_ options: ListOptions = ListOptions()) async throws -> ObjectList<Object> {
        try decode(try await dynamic.listAll(options))
    }

    public func watch(_ options: ListOptions = ListOptions()) async throws -> WatchEventStream<Object> {
        try await dynamic.watch(options) { [dynamic] reader in try dynamic.decode(Object.self, from: &reader) }
    }

    public func create(_ object: Object, options: WriteOptions = WriteOptions()) async throws -> Object {
        try decode(try await dynamic.create(encode(object), options: options))
    }

    public func update(_ object: Object, options: WriteOptions = WriteOptions()) async throws -> Object {
        try decode(try await dynamic.update(encode(object), options: options))
    }

    public func updateStatus(_ object: Object, options: WriteOptions = WriteOptions()) async throws -> Object {
        try decode(try await dynamic.updateStatus(encode(object), options: options))
    }

    /// PUT of the object to a subresource that carries the object's own kind ("status").
    public func update(_ object: Object, subresource: String, options: WriteOptions = WriteOptions()) async throws -> Object {
        try decode(try await dynamic.update(encode(object), subresource: subresource, options: options))
    }

    /// GET of a subresource with a kind of its own: `get("web", subresource: "scale", as: AutoscalingV1.Scale.self)`.
    public func get<Result: JSONCodable>(_ name: String, subresource: String, as type: Result.Type) async throws -> Result {
        try dynamic.decode(Result.self, try await dynamic.get(name, subresource: subresource))
    }

    /// PUT of a subresource with a kind of its own (`scale`).
    public func update<Body: KubeObject, Result: JSONCodable>(
        _ name: String, subresource: String, body: Body, as type: Result.Type, options: WriteOptions = WriteOptions()
    ) async throws -> Result {
        var body = body
        body.setTypeMeta()
        if body.metadata.name == nil { body.metadata.name = name }
        if body.metadata.namespace == nil, dynamic.resource.namespaced {
            body.metadata.namespace = dynamic.namespace ?? dynamic.client.namespace
        }
        return try dynamic.decode(Result.self, try await dynamic.update(body.toJSON(), subresource: subresource, options: options))
    }

    /// POST to a subresource: a `CoreV1.Binding` to "binding", a `PolicyV1.Eviction` to "eviction".
    /// Returns the server's answer (usually a Status).
    @discardableResult
    public func create<Body: KubeTyped>(_ name: String, subresource: String, body: Body,
                                        options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        var json = body.toJSON()
        json["apiVersion"] = .string(Body.groupVersionKind.apiVersion)
        json["kind"] = .string(Body.groupVersionKind.kind)
        return try await dynamic.create(name, subresource: subresource, body: json, options: options)
    }

    /// A patch of the given type; `body` is the patch document (an object, or an operation array
    /// for JSON patch).
    public func patch(_ name: String, type: PatchType, body: JSONValue, subresource: String? = nil,
                      options: WriteOptions = WriteOptions()) async throws -> Object {
        try decode(try await dynamic.patch(name, type: type, body: body, subresource: subresource, options: options))
    }

    /// Server-side apply of the fields set in `object`.
    public func apply(_ object: Object, fieldManager: String, force: Bool = false, subresource: String? = nil,
                      dryRun: Bool = false) async throws -> Object {
        try decode(try await dynamic.apply(encode(object), fieldManager: fieldManager, force: force, subresource: subresource, dryRun: dryRun))
    }

    public func delete(_ name: String, options: MetaV1.DeleteOptions = MetaV1.DeleteOptions()) async throws {
        try await dynamic.delete(name, options: options)
    }

    public func deleteCollection(_ listOptions: ListOptions = ListOptions(),
                                 options: MetaV1.DeleteOptions = MetaV1.DeleteOptions()) async throws {
        try await dynamic.deleteCollection(listOptions, options: options)
    }

    // MARK: - Coding

    private func encode(_ object: Object) -> JSONValue {
        var object = object
        object.setTypeMeta()
        return object.toJSON()
    }

    private func decode(_ json: JSONValue) throws -> Object { try dynamic.decode(Object.self, json) }

    private func decode(_ list: ObjectList<JSONValue>) throws -> ObjectList<Object> {
        ObjectList(items: try list.items.map(decode), metadata: list.metadata)
    }
}
