import KubeModel

/// The strategies of kinds that differ from the default behaviour.
enum BuiltinStrategies {
    static let all: [GroupVersionKind: any ResourceStrategy] = [
        CoreV1.Namespace.groupVersionKind: NamespaceStrategy(),
        CoreV1.Service.groupVersionKind: ServiceStrategy(),
        CoreV1.Pod.groupVersionKind: PodStrategy(),
    ]
}
