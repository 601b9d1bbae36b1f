/// Short names and categories of the built-in resources, as upstream's discovery lists them
/// (`kubectl get po`, `kubectl get all`). Keyed by "group/plural" (core group is "").
enum DiscoveryNames {
    static let shortNames: [String: [String]] = [
        "/pods": ["po"], "/services": ["svc"], "/replicationcontrollers": ["rc"], "/configmaps": ["cm"],
        "/endpoints": ["ep"], "/events": ["ev"], "/limitranges": ["limits"], "/namespaces": ["ns"],
        "/nodes": ["no"], "/persistentvolumeclaims": ["pvc"], "/persistentvolumes": ["pv"],
        "/resourcequotas": ["quota"], "/serviceaccounts": ["sa"], "/componentstatuses": ["cs"],
        "apps/deployments": ["deploy"], "apps/replicasets": ["rs"], "apps/statefulsets": ["sts"],
        "apps/daemonsets": ["ds"], "batch/cronjobs": ["cj"], "autoscaling/horizontalpodautoscalers": ["hpa"],
        "networking.k8s.io/ingresses": ["ing"], "networking.k8s.io/networkpolicies": ["netpol"],
        "policy/poddisruptionbudgets": ["pdb"], "scheduling.k8s.io/priorityclasses": ["pc"],
        "storage.k8s.io/storageclasses": ["sc"], "apiextensions.k8s.io/customresourcedefinitions": ["crd", "crds"],
    ]

    static let categories: [String: [String]] = [
        "/pods": ["all"], "/services": ["all"], "/replicationcontrollers": ["all"],
        "apps/deployments": ["all"], "apps/replicasets": ["all"], "apps/statefulsets": ["all"],
        "apps/daemonsets": ["all"], "batch/jobs": ["all"], "batch/cronjobs": ["all"],
        "autoscaling/horizontalpodautoscalers": ["all"],
        "apiextensions.k8s.io/customresourcedefinitions": ["api-extensions"],
    ]

    /// Group versions in the order discovery lists them (preferred version first per group).
    static let groupOrder: [String] = [
        "", "apps", "batch", "autoscaling", "networking.k8s.io", "policy", "rbac.authorization.k8s.io",
        "storage.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io", "coordination.k8s.io", "discovery.k8s.io",
    ]
}
