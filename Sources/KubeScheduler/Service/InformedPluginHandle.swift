import KubeClient
import KubeModel

extension PluginHandle {
    /// What plugins ask of the cluster, answered from the scheduler's informers: namespace
    /// labels (affinity namespaceSelectors), PodDisruptionBudgets (preemption), and the claims
    /// and volumes VolumeBinding checks.
    static func informed(by informers: SharedInformerFactory) -> PluginHandle {
        let namespaces = informers.informer(CoreV1.Namespace.self)
        let budgets = informers.informer(PolicyV1.PodDisruptionBudget.self)
        return PluginHandle(
            namespaceLabels: { name in namespaces.store.get(namespace: nil, name: name)?.metadata.labels ?? nil },
            podDisruptionBudgets: { budgets.store.list() },
            volumeChecker: .informed(by: informers))
    }
}

extension VolumeChecker {
    /// Claims must exist and not be going away; a bound claim's volume must exist and its node
    /// affinity admit the node. Unbound claims pass: Skiff has no volume binder yet, so waiting
    /// for one (upstream's "unbound immediate PersistentVolumeClaims") would wait forever.
    static func informed(by informers: SharedInformerFactory) -> VolumeChecker {
        let claims = informers.informer(CoreV1.PersistentVolumeClaim.self)
        let volumes = informers.informer(CoreV1.PersistentVolume.self)
        return VolumeChecker(
            checkClaims: { pod, names in
                for name in names {
                    guard let claim = claims.store.get(namespace: pod.namespace, name: name) else {
                        return "persistentvolumeclaim \"\(name)\" not found"
                    }
                    if claim.metadata.deletionTimestamp != nil { return "persistentvolumeclaim \"\(name)\" is being deleted" }
                }
                return nil
            },
            checkNode: { pod, names, node in
                var conflicts: [VolumeConflict] = []
                for name in names {
                    guard let volumeName = claims.store.get(namespace: pod.namespace, name: name)?.spec.volumeName,
                          !volumeName.isEmpty else { continue }
                    guard let volume = volumes.store.get(namespace: nil, name: volumeName) else {
                        if !conflicts.contains(.pvNotExist) { conflicts.append(.pvNotExist) }
                        continue
                    }
                    if !VolumeChecker.volume(volume, isReachableFrom: node), !conflicts.contains(.nodeConflict) {
                        conflicts.append(.nodeConflict)
                    }
                }
                return conflicts
            })
    }
}
