import KubeModel
import Synchronization

/// The thread-safe cache behind an informer (client-go's Indexer): value-type objects keyed
/// "namespace/name", with indexes computed by index functions. The namespace index is always
/// present. Readers get copies; nothing is shared mutably.
public final class ObjectStore<Object: KubeObject>: Sendable {
    /// The values an object is indexed under (several allowed, none to leave it out).
    public typealias IndexFunction = @Sendable (Object) -> [String]

    public static var namespaceIndex: String { "namespace" }

    private struct State {
        var items: [String: Object] = [:]
        var indexers: [String: IndexFunction] = [:]
        /// index name → indexed value → keys.
        var indices: [String: [String: Set<String>]] = [:]

        mutating func index(_ key: String, old: Object?, new: Object?) {
            for (name, function) in indexers {
                let oldValues = old.map(function) ?? []
                let newValues = new.map(function) ?? []
                guard oldValues != newValues else { continue }
                for value in oldValues {
                    indices[name]?[value]?.remove(key)
                    if indices[name]?[value]?.isEmpty == true { indices[name]?[value] = nil }
                }
                for value in newValues { indices[name, default: [:]][value, default: []].insert(key) }
            }
        }
    }

    private let state: Mutex<State>

    public init(indexers: [String: IndexFunction] = [:]) {
        var state = State()
        state.indexers = indexers
        state.indexers[Self.namespaceIndex] = { [$0.metadata.namespace ?? ""] }
        self.state = Mutex(state)
    }

    // MARK: - Reading

    public func get(_ key: String) -> Object? { state.withLock { $0.items[key] } }

    public func get(namespace: String?, name: String) -> Object? { get(ObjectKey.make(namespace: namespace, name: name)) }

    public func list() -> [Object] { state.withLock { Array($0.items.values) } }

    public var keys: [String] { state.withLock { Array($0.items.keys) } }

    public var count: Int { state.withLock { $0.items.count } }

    /// The objects of one namespace ("" for cluster-scoped ones).
    public func list(namespace: String) -> [Object] { byIndex(Self.namespaceIndex, namespace) }

    /// The objects an index function put under `value`.
    public func byIndex(_ indexName: String, _ value: String) -> [Object] {
        state.withLock { state in
            (state.indices[indexName]?[value] ?? []).compactMap { state.items[$0] }
        }
    }

    /// The keys an index function put under `value`.
    public func indexKeys(_ indexName: String, _ value: String) -> [String] {
        state.withLock { Array($0.indices[indexName]?[value] ?? []) }
    }

    /// Adds index functions; existing objects are indexed at once.
    public func addIndexers(_ indexers: [String: IndexFunction]) {
        state.withLock { state in
            for (name, function) in indexers {
                state.indexers[name] = function
                state.indices[name] = [:]
                for (key, object) in state.items {
                    for value in function(object) { state.indices[name, default: [:]][value, default: []].insert(key) }
                }
            }
        }
    }

    // MARK: - Writing (the informer keeps the store in step with the server)

    /// Stores `object`; returns the object it replaced.
    @discardableResult
    func upsert(_ object: Object) -> Object? {
        let key = ObjectKey.of(object)
        return state.withLock { state in
            let old = state.items.updateValue(object, forKey: key)
            state.index(key, old: old, new: object)
            return old
        }
    }

    /// Removes the object at `key`; returns it.
    @discardableResult
    func remove(_ key: String) -> Object? {
        state.withLock { state in
            guard let old = state.items.removeValue(forKey: key) else { return nil }
            state.index(key, old: old, new: nil)
            return old
        }
    }

    /// Replaces the whole content; returns the previous content.
    func replace(with objects: [Object]) -> [String: Object] {
        state.withLock { state in
            let previous = state.items
            state.items = [:]
            for name in state.indexers.keys { state.indices[name] = [:] }
            for object in objects {
                let key = ObjectKey.of(object)
                state.items[key] = object
                state.index(key, old: nil, new: object)
            }
            return previous
        }
    }
}
