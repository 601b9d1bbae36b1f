import KubeModel

/// Every controller `skiff server` runs, in start order.
public enum BuiltinControllers {
    public static func all(context: ControllerContext) -> [any Controller] {
        [
            ReplicaSetController<AppsV1.ReplicaSet>(context: context),
            ReplicaSetController<CoreV1.ReplicationController>(context: context),
            DeploymentController(context: context),
            StatefulSetController(context: context),
            DaemonSetController(context: context),
            JobController(context: context),
            CronJobController(context: context),
            TTLAfterFinishedController(context: context),
        ]
    }
}
