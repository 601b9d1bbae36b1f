import KubeModel

/// Every controller `skiff server` runs, in start order.
public enum BuiltinControllers {
    public static func all(context: ControllerContext) -> [any Controller] {
        var controllers: [any Controller] = [
            ReplicaSetController<AppsV1.ReplicaSet>(context: context),
            ReplicaSetController<CoreV1.ReplicationController>(context: context),
            DeploymentController(context: context),
            StatefulSetController(context: context),
            DaemonSetController(context: context),
            JobController(context: context),
            CronJobController(context: context),
            TTLAfterFinishedController(context: context),
            GarbageCollector(context: context),
            NamespaceController(context: context),
            ServiceAccountsController(context: context),
            EndpointsController(context: context),
            EndpointSliceController(context: context),
            NodeLifecycleController(context: context),
            TaintEvictionController(context: context),
            NodeIPAMController(context: context),
            PodGCController(context: context),
            DisruptionController(context: context),
            ResourceQuotaController(context: context),
        ]
        if let rootCA = context.settings.rootCAPEM {
            controllers.append(RootCAPublisher(context: context, rootCA: rootCA))
        }
        return controllers
    }
}
