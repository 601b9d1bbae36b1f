import Foundation
import KubeModel
import KubeStore
import Logging

/// The generic REST storage of one kind (upstream's registry.Store): every verb over the
/// store, with the kind's strategy for defaulting and validation. Objects travel as JSON for
/// the generic parts (status carry-over, patches) and as the typed `Object` for the strategy.
public final class ResourceStorage<Strategy: ResourceStrategy>: ResourceHandling {
    public typealias Object = Strategy.Object

    let strategy: Strategy
    let context: ServerContext
    let keys: StorageKeys
    let descriptor: ResourceDescriptor

    public init(descriptor: ResourceDescriptor, strategy: Strategy, context: ServerContext) {
        self.descriptor = descriptor
        self.strategy = strategy
        self.context = context
        self.keys = StorageKeys(group: descriptor.group, plural: descriptor.plural, namespaced: descriptor.namespaced)
    }

    var store: any Store { context.store }
    var gvk: GroupVersionKind { descriptor.groupVersionKind }
    var qualified: QualifiedResource { QualifiedResource(group: descriptor.group, resource: descriptor.plural) }
    var hasStatusSubresource: Bool { descriptor.subresources.contains { $0.name == "status" } }
    var fieldManagement: FieldManagement { FieldManagement(kind: gvk, statusSubresource: hasStatusSubresource) }

    public func handle(_ scope: RequestScope, resource: RegisteredResource) async throws -> APIResponse {
        if descriptor.namespaced, scope.namespace == nil, scope.resource.verb != .list, scope.resource.verb != .watch {
            throw APIError.pathNotFound()
        }
        switch (scope.resource.verb, scope.resource.subresource) {
        case (.get, nil), (.get, "status"): return try await get(scope)
        case (.list, nil): return try await list(scope)
        case (.watch, nil): return try await watch(scope)
        case (.create, nil): return try await create(scope)
        case (.update, nil): return try await update(scope, target: .main)
        case (.update, "status"): return try await update(scope, target: .status)
        case (.patch, nil): return try await patch(scope, target: .main)
        case (.patch, "status"): return try await patch(scope, target: .status)
        case (.delete, nil): return try await delete(scope)
        case (.deletecollection, nil): return try await deleteCollection(scope)
        case (_, "scale") where resource.hasSubresource("scale"): return try await scale(scope)
        case (.create, "binding") where descriptor.plural == "pods": return try await bind(scope)
        case (.create, "eviction") where descriptor.plural == "pods": return try await evict(scope)
        case (.update, "finalize") where descriptor.plural == "namespaces": return try await update(scope, target: .finalize)
        case (_, let sub?) where resource.hasSubresource(sub): throw APIError.methodNotAllowed(scope.http.method.rawValue)
        case (_, .some): throw APIError.pathNotFound()
        default: throw APIError.methodNotAllowed(scope.http.method.rawValue)
        }
    }

    // MARK: - Reading

    func key(_ scope: RequestScope, name: String) -> String { keys.key(namespace: scope.namespace, name: name) }

    func load(_ scope: RequestScope, name: String) async throws -> KeyValue {
        guard let kv = try await store.get(key(scope, name: name)) else { throw APIError.notFound(qualified, name: name) }
        return kv
    }

    func decodeTyped(_ json: JSONValue) throws -> Object {
        do {
            return try Object(json: json)
        } catch {
            throw APIError.internal("stored \(gvk.kind) cannot be decoded: \(error)")
        }
    }

    /// Renders one object as JSON or as a one-row Table.
    func render(_ kv: KeyValue, scope: RequestScope, status: Int = 200) throws -> APIResponse {
        let format = try OutputFormat.negotiate(accept: scope.http.headers.first(name: "accept"), query: scope.http.query)
        switch format {
        case .json:
            return .json(StoredObject.responseBytes(kv), status: .init(statusCode: status))
        case .table(let include):
            let object = try StoredObject.decode(kv)
            let builder = TableBuilder(printer: context.tables.printer(group: descriptor.group, plural: descriptor.plural),
                                       includeObject: include, now: context.now())
            let table = builder.table(objects: [object], listMetadata: ["resourceVersion": .string(String(kv.modRevision))])
            return .json(JSONWriter.bytes(table), status: .init(statusCode: status))
        }
    }

    func render(json: JSONValue, scope: RequestScope, status: Int = 200, warnings: [String] = []) throws -> APIResponse {
        let format = try OutputFormat.negotiate(accept: scope.http.headers.first(name: "accept"), query: scope.http.query)
        var response: APIResponse
        switch format {
        case .json:
            response = .json(JSONWriter.bytes(json), status: .init(statusCode: status))
        case .table(let include):
            let builder = TableBuilder(printer: context.tables.printer(group: descriptor.group, plural: descriptor.plural),
                                       includeObject: include, now: context.now())
            let rv = json[path: ["metadata", "resourceVersion"]] ?? ""
            response = .json(JSONWriter.bytes(builder.table(objects: [json], listMetadata: ["resourceVersion": rv])),
                             status: .init(statusCode: status))
        }
        response.addWarnings(warnings)
        return response
    }

    func render(_ written: WrittenObject, scope: RequestScope, status: Int = 200) throws -> APIResponse {
        let format = try OutputFormat.negotiate(accept: scope.http.headers.first(name: "accept"), query: scope.http.query)
        guard format == .json, let stored = written.stored else {
            return try render(json: written.json, scope: scope, status: status, warnings: written.warnings)
        }
        var response = APIResponse.json(StoredObject.responseBytes(stored), status: .init(statusCode: status))
        response.addWarnings(written.warnings)
        return response
    }

    func get(_ scope: RequestScope) async throws -> APIResponse {
        try render(try await load(scope, name: scope.resource.name!), scope: scope)
    }
}

/// The result of a write: the object as JSON, and the stored bytes with their revision when
/// the write reached the store, so a JSON response can reuse them instead of encoding again.
struct WrittenObject {
    var json: JSONValue
    var stored: KeyValue?
    var warnings: [String]
}

/// Which part of an object an update writes.
enum UpdateTarget {
    /// The object; status is kept from the stored object when the kind has a status subresource.
    case main
    /// Only status (the /status subresource).
    case status
    /// Only spec.finalizers of a namespace (namespaces/finalize).
    case finalize
    /// Only spec.nodeName of a pod and its status, for the PodScheduled condition (pods/binding).
    case binding

    /// The subresource admission sees (nil for the object itself).
    var subresource: String? {
        switch self {
        case .main: nil
        case .status: "status"
        case .finalize: "finalize"
        case .binding: "binding"
        }
    }
}
