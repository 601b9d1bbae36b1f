import KubeModel

/// Every built-in resource Skiff serves, each with its kind's strategy (or the default one).
enum BuiltinResources {
    /// Resources listed by the schema that Skiff does not serve (yet): their behaviour would be
    /// a lie without the component behind them.
    static let unserved: Set<String> = [
        "/componentstatuses", "autoscaling/v1/horizontalpodautoscalers",
    ]

    static func registry(context: ServerContext, strategies: [GroupVersionKind: any ResourceStrategy]) -> ResourceRegistry {
        var registry = ResourceRegistry()
        for descriptor in generatedResourceCatalog {
            let key = descriptor.group + "/" + descriptor.plural
            if unserved.contains(key) || unserved.contains("\(descriptor.group)/\(descriptor.version)/\(descriptor.plural)") { continue }
            guard let type = generatedKindTypes[descriptor.groupVersionKind] else { continue }
            let handler: any ResourceHandling
            if let strategy = strategies[descriptor.groupVersionKind] {
                handler = makeStorage(descriptor: descriptor, strategy: strategy, context: context)
            } else {
                handler = makeDefaultStorage(descriptor: descriptor, type: type, context: context)
            }
            registry.register(RegisteredResource(
                descriptor: descriptor,
                shortNames: DiscoveryNames.shortNames[key] ?? [],
                categories: DiscoveryNames.categories[key] ?? [],
                handler: handler))
        }
        // `bindings` is not stored: it binds the pod it names, through the pods storage.
        if let pods = registry.resource(group: "", version: "v1", plural: "pods"),
            var bindings = registry.resource(group: "", version: "v1", plural: "bindings")
        {
            bindings.handler = BindingsHandler(pods: pods)
            registry.register(bindings)
        }
        return registry
    }

    private static func makeStorage<S: ResourceStrategy>(descriptor: ResourceDescriptor, strategy: S, context: ServerContext) -> any ResourceHandling {
        ResourceStorage(descriptor: descriptor, strategy: strategy, context: context)
    }

    private static func makeDefaultStorage<T: KubeObject>(descriptor: ResourceDescriptor, type: T.Type, context: ServerContext) -> any ResourceHandling {
        ResourceStorage(descriptor: descriptor, strategy: DefaultStrategy<T>(), context: context)
    }
}
