import KubeModel

/// The table printers of the built-in resources (upstream's printers). Resources upstream
/// prints with its default columns (NAME, CREATED AT) are left out on purpose: roles,
/// clusterroles, limitranges, customresourcedefinitions.
enum BuiltinPrinters {
    static var all: TablePrinters {
        var printers = TablePrinters()
        // core
        printers.register(group: "", plural: "pods", PodPrinter())
        printers.register(group: "", plural: "podtemplates", PodTemplatePrinter())
        printers.register(group: "", plural: "replicationcontrollers", ReplicationControllerPrinter())
        printers.register(group: "", plural: "services", ServicePrinter())
        printers.register(group: "", plural: "endpoints", EndpointsPrinter())
        printers.register(group: "", plural: "nodes", NodePrinter())
        printers.register(group: "", plural: "events", EventPrinter())
        printers.register(group: "", plural: "namespaces", NamespacePrinter())
        printers.register(group: "", plural: "configmaps", ConfigMapPrinter())
        printers.register(group: "", plural: "secrets", SecretPrinter())
        printers.register(group: "", plural: "serviceaccounts", ServiceAccountPrinter())
        printers.register(group: "", plural: "persistentvolumes", PersistentVolumePrinter())
        printers.register(group: "", plural: "persistentvolumeclaims", PersistentVolumeClaimPrinter())
        printers.register(group: "", plural: "resourcequotas", ResourceQuotaPrinter())
        // apps
        printers.register(group: "apps", plural: "deployments", DeploymentPrinter())
        printers.register(group: "apps", plural: "replicasets", ReplicaSetPrinter())
        printers.register(group: "apps", plural: "statefulsets", StatefulSetPrinter())
        printers.register(group: "apps", plural: "daemonsets", DaemonSetPrinter())
        printers.register(group: "apps", plural: "controllerrevisions", ControllerRevisionPrinter())
        // batch
        printers.register(group: "batch", plural: "jobs", JobPrinter())
        printers.register(group: "batch", plural: "cronjobs", CronJobPrinter())
        // networking and discovery
        printers.register(group: "networking.k8s.io", plural: "ingresses", IngressPrinter())
        printers.register(group: "networking.k8s.io", plural: "ingressclasses", IngressClassPrinter())
        printers.register(group: "networking.k8s.io", plural: "networkpolicies", NetworkPolicyPrinter())
        printers.register(group: "networking.k8s.io", plural: "servicecidrs", ServiceCIDRPrinter())
        printers.register(group: "networking.k8s.io", plural: "ipaddresses", IPAddressPrinter())
        printers.register(group: "discovery.k8s.io", plural: "endpointslices", EndpointSlicePrinter())
        // storage
        printers.register(group: "storage.k8s.io", plural: "storageclasses", StorageClassPrinter())
        printers.register(group: "storage.k8s.io", plural: "volumeattributesclasses", VolumeAttributesClassPrinter())
        printers.register(group: "storage.k8s.io", plural: "volumeattachments", VolumeAttachmentPrinter())
        printers.register(group: "storage.k8s.io", plural: "csidrivers", CSIDriverPrinter())
        printers.register(group: "storage.k8s.io", plural: "csinodes", CSINodePrinter())
        printers.register(group: "storage.k8s.io", plural: "csistoragecapacities", CSIStorageCapacityPrinter())
        // everything else
        printers.register(group: "coordination.k8s.io", plural: "leases", LeasePrinter())
        printers.register(group: "scheduling.k8s.io", plural: "priorityclasses", PriorityClassPrinter())
        printers.register(group: "policy", plural: "poddisruptionbudgets", PodDisruptionBudgetPrinter())
        printers.register(group: "autoscaling", plural: "horizontalpodautoscalers", HorizontalPodAutoscalerPrinter())
        printers.register(group: "rbac.authorization.k8s.io", plural: "rolebindings",
                          RoleBindingPrinter<RbacV1.RoleBinding>())
        printers.register(group: "rbac.authorization.k8s.io", plural: "clusterrolebindings",
                          RoleBindingPrinter<RbacV1.ClusterRoleBinding>())
        return printers
    }
}
