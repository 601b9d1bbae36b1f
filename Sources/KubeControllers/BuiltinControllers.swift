import KubeModel

/// Every controller `skiff server` runs, in start order.
public enum BuiltinControllers {
    public static func all(context: ControllerContext) -> [any Controller] {
        let controllers: [any Controller] = [
            ReplicaSetController<AppsV1.ReplicaSet>(context: context),
            ReplicaSetController<CoreV1.ReplicationController>(context: context),
            GarbageCollector(context: context),
            NamespaceController(context: context),
        ]
        return controllers
    }
}
