import KubeModel

/// The strategies of kinds that differ from the default behaviour.
enum BuiltinStrategies {
    static let all: [GroupVersionKind: any ResourceStrategy] = [
        // core/v1
        CoreV1.Namespace.groupVersionKind: NamespaceStrategy(),
        CoreV1.Service.groupVersionKind: ServiceStrategy(),
        CoreV1.Pod.groupVersionKind: PodStrategy(),
        CoreV1.PodTemplate.groupVersionKind: PodTemplateStrategy(),
        CoreV1.ReplicationController.groupVersionKind: ReplicationControllerStrategy(),
        CoreV1.Secret.groupVersionKind: SecretStrategy(),
        CoreV1.ConfigMap.groupVersionKind: ConfigMapStrategy(),
        CoreV1.Endpoints.groupVersionKind: EndpointsStrategy(),
        CoreV1.Event.groupVersionKind: EventStrategy(),
        CoreV1.Node.groupVersionKind: NodeStrategy(),
        CoreV1.PersistentVolume.groupVersionKind: PersistentVolumeStrategy(),
        CoreV1.PersistentVolumeClaim.groupVersionKind: PersistentVolumeClaimStrategy(),
        // apps/v1
        AppsV1.Deployment.groupVersionKind: DeploymentStrategy(),
        AppsV1.ReplicaSet.groupVersionKind: ReplicaSetStrategy(),
        AppsV1.StatefulSet.groupVersionKind: StatefulSetStrategy(),
        AppsV1.DaemonSet.groupVersionKind: DaemonSetStrategy(),
        // batch/v1
        BatchV1.Job.groupVersionKind: JobStrategy(),
        BatchV1.CronJob.groupVersionKind: CronJobStrategy(),
        // the other groups
        DiscoveryV1.EndpointSlice.groupVersionKind: EndpointSliceStrategy(),
        NetworkingV1.Ingress.groupVersionKind: IngressStrategy(),
        CoordinationV1.Lease.groupVersionKind: LeaseStrategy(),
        SchedulingV1.PriorityClass.groupVersionKind: PriorityClassStrategy(),
        PolicyV1.PodDisruptionBudget.groupVersionKind: PodDisruptionBudgetStrategy(),
        AutoscalingV2.HorizontalPodAutoscaler.groupVersionKind: HorizontalPodAutoscalerStrategy(),
        RbacV1.Role.groupVersionKind: RoleStrategy(),
        RbacV1.ClusterRole.groupVersionKind: ClusterRoleStrategy(),
        RbacV1.RoleBinding.groupVersionKind: RoleBindingStrategy(),
        RbacV1.ClusterRoleBinding.groupVersionKind: ClusterRoleBindingStrategy(),
        StorageV1.StorageClass.groupVersionKind: StorageClassStrategy(),
        ApiextensionsV1.CustomResourceDefinition.groupVersionKind: CustomResourceDefinitionStrategy(),
    ]
}
