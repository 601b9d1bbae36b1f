import KubeModel

/// How an informer lists and watches its objects: usually a typed client with selectors; tests
/// and special cases can supply their own closures.
public struct ListWatch<Object: KubeObject>: Sendable {
    public var list: @Sendable (ListOptions) async throws -> ObjectList<Object>
    public var watch: @Sendable (ListOptions) async throws -> WatchEventStream<Object>

    public init(list: @escaping @Sendable (ListOptions) async throws -> ObjectList<Object>,
                watch: @escaping @Sendable (ListOptions) async throws -> WatchEventStream<Object>) {
        self.list = list
        self.watch = watch
    }

    /// Lists and watches through `client`, restricted by the selectors.
    public init(_ client: ResourceClient<Object>, labelSelector: String? = nil, fieldSelector: String? = nil) {
        @Sendable func restricted(_ options: ListOptions) -> ListOptions {
            var options = options
            options.labelSelector = labelSelector
            options.fieldSelector = fieldSelector
            return options
        }
        self.init(list: { try await client.list(restricted($0)) }, watch: { try await client.watch(restricted($0)) })
    }
}
