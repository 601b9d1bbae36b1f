import Testing
import KubeModel
@testable import KubeAPIServer

/// Rules of the remaining kinds: namespaces, nodes, events, storage, scheduling, policy,
/// autoscaling, RBAC and custom resource definitions.
@Suite struct StrategyClusterValidationTests {
    @Test func namespaceFinalizers() {
        var namespace: CoreV1.Namespace = StrategyHarness.decode(#"{"metadata":{"name":"team"}}"#)
        namespace.spec.finalizers = ["cleanup"]
        let errors = StrategyHarness.create(NamespaceStrategy(), namespace, namespace: nil).errors
        expectError(errors, field: "spec.finalizers", type: .invalid, detail: "name is neither a standard finalizer name nor is it fully qualified")
        // An ordinary update keeps spec.finalizers; only namespaces/finalize changes them.
        let (updated, updateErrors) = StrategyHarness.update(NamespaceStrategy(), StrategyHarness.decode(#"{"metadata":{"name":"team"}}"#),
                                                             namespace: nil) { $0.spec.finalizers = [] }
        #expect(updateErrors.isEmpty && updated.spec.finalizers == ["kubernetes"])
    }

    static let nodeCases: [InvalidCase<CoreV1.Node>] = [
        .init("taint effect required", "metadata.taints[0].effect", .required) { $0.spec.taints = [CoreV1.Taint(key: "dedicated")] },
        .init("taint effect supported", "metadata.taints[0].effect", .notSupported) { $0.spec.taints = [CoreV1.Taint(effect: "Evict", key: "k")] },
        .init("taint keys are label keys", "metadata.taints[0].key", .invalid) { $0.spec.taints = [CoreV1.Taint(effect: "NoSchedule", key: "bad key")] },
        .init("taints unique by key and effect", "metadata.taints[1]", .duplicate, detail: "taints must be unique by key and effect pair") {
            $0.spec.taints = [CoreV1.Taint(effect: "NoSchedule", key: "k", value: "a"), CoreV1.Taint(effect: "NoSchedule", key: "k", value: "b")]
        },
        .init("pod CIDRs are CIDRs", "spec.podCIDRs[0]", .invalid) { $0.spec.podCIDR = "10.42.0.0/33" },
        .init("one CIDR per family", "spec.podCIDRs", .invalid) { $0.spec.podCIDRs = ["10.42.0.0/24", "10.43.0.0/24"] },
    ]

    @Test(arguments: nodeCases)
    func invalidNode(_ testCase: InvalidCase<CoreV1.Node>) {
        var node: CoreV1.Node = StrategyHarness.decode(#"{"metadata":{"name":"node-a"}}"#)
        testCase.change(&node)
        expectError(StrategyHarness.create(NodeStrategy(), node, namespace: nil).errors, field: testCase.field, type: testCase.type,
                    detail: testCase.detail)
    }

    @Test func nodeUpdates() {
        let node: CoreV1.Node = StrategyHarness.decode(#"{"metadata":{"name":"node-a"},"spec":{"podCIDR":"10.42.1.0/24","providerID":"skiff://node-a"}}"#)
        let (created, _) = StrategyHarness.create(NodeStrategy(), node, namespace: nil)
        #expect(created.spec.podCIDRs == ["10.42.1.0/24"])
        let (_, cidr) = StrategyHarness.update(NodeStrategy(), node, namespace: nil) { $0.spec.podCIDR = "10.42.2.0/24"; $0.spec.podCIDRs = nil }
        expectError(cidr, field: "spec.podCIDRs", type: .forbidden)
        let (_, provider) = StrategyHarness.update(NodeStrategy(), node, namespace: nil) { $0.spec.providerID = "other" }
        expectError(provider, field: "spec.providerID", type: .forbidden)
        let (_, allowed) = StrategyHarness.update(NodeStrategy(), node, namespace: nil) { $0.spec.unschedulable = true }
        #expect(allowed.isEmpty)
    }

    @Test func eventNamespaces() {
        let event: CoreV1.Event = StrategyHarness.decode(
            #"{"metadata":{"name":"web.1"},"involvedObject":{"kind":"Pod","name":"web","namespace":"other"},"reason":"Started"}"#)
        expectError(StrategyHarness.create(EventStrategy(), event).errors, field: "involvedObject.namespace", type: .invalid,
                    detail: "does not match event.namespace")
        let modern: CoreV1.Event = StrategyHarness.decode(
            #"{"metadata":{"name":"web.2"},"eventTime":"2024-05-01T10:00:00.000000Z","involvedObject":{"kind":"Pod","name":"web","namespace":"default"}}"#)
        let errors = StrategyHarness.create(EventStrategy(), modern).errors
        expectError(errors, field: "reportingComponent", type: .required)
        expectError(errors, field: "action", type: .required)
        expectError(errors, field: "reason", type: .required)
    }

    static let volumeCases: [InvalidCase<CoreV1.PersistentVolume>] = [
        .init("access modes required", "spec.accessModes", .required) { $0.spec.accessModes = nil },
        .init("access modes supported", "spec.accessModes", .notSupported) { $0.spec.accessModes = ["ReadWriteSometimes"] },
        .init("capacity required", "spec.capacity", .required) { $0.spec.capacity = nil },
        .init("capacity positive", "spec.capacity[storage]", .invalid) { $0.spec.capacity = ["storage": "0"] },
        .init("a volume source", "spec", .required, detail: "must specify a volume type") { $0.spec.hostPath = nil },
        .init("one volume source", "spec.nfs", .forbidden) { $0.spec.nfs = CoreV1.NFSVolumeSource(path: "/export", server: "nfs") },
        .init("reclaim policy supported", "spec.persistentVolumeReclaimPolicy", .notSupported) { $0.spec.persistentVolumeReclaimPolicy = "Keep" },
        .init("local volumes need node affinity", "spec.nodeAffinity", .required) {
            $0.spec.hostPath = nil
            $0.spec.local = CoreV1.LocalVolumeSource(path: "/mnt/disk")
        },
    ]

    static func volume() -> CoreV1.PersistentVolume {
        StrategyHarness.decode(#"{"metadata":{"name":"pv"},"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/data"}}}"#)
    }

    @Test(arguments: volumeCases)
    func invalidPersistentVolume(_ testCase: InvalidCase<CoreV1.PersistentVolume>) {
        var volume = Self.volume()
        testCase.change(&volume)
        expectError(StrategyHarness.create(PersistentVolumeStrategy(), volume, namespace: nil).errors, field: testCase.field, type: testCase.type,
                    detail: testCase.detail)
    }

    @Test func persistentVolumeSourceImmutable() {
        let (_, errors) = StrategyHarness.update(PersistentVolumeStrategy(), Self.volume(), namespace: nil) { $0.spec.hostPath?.path = "/other" }
        expectError(errors, field: "spec.persistentvolumesource", type: .forbidden)
        let (_, allowed) = StrategyHarness.update(PersistentVolumeStrategy(), Self.volume(), namespace: nil) {
            $0.spec.persistentVolumeReclaimPolicy = "Delete"
            $0.spec.claimRef = CoreV1.ObjectReference(name: "data", namespace: "default")
        }
        #expect(allowed.isEmpty)
    }

    static func claim() -> CoreV1.PersistentVolumeClaim {
        StrategyHarness.decode(#"{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}"#)
    }

    @Test func persistentVolumeClaims() {
        var noModes = Self.claim()
        noModes.spec.accessModes = []
        expectError(StrategyHarness.create(PersistentVolumeClaimStrategy(), noModes).errors, field: "spec.accessModes", type: .required)
        var noStorage = Self.claim()
        noStorage.spec.resources = nil
        expectError(StrategyHarness.create(PersistentVolumeClaimStrategy(), noStorage).errors, field: "spec.resources[storage]", type: .required)
        var mixed = Self.claim()
        mixed.spec.accessModes = ["ReadWriteOncePod", "ReadOnlyMany"]
        expectError(StrategyHarness.create(PersistentVolumeClaimStrategy(), mixed).errors, field: "spec.accessModes", type: .forbidden)
        let (created, _) = StrategyHarness.create(PersistentVolumeClaimStrategy(), Self.claim())
        #expect(created.spec.volumeMode == "Filesystem" && created.status.phase == "Pending")
        let (_, changed) = StrategyHarness.update(PersistentVolumeClaimStrategy(), Self.claim()) { $0.spec.accessModes = ["ReadWriteMany"] }
        expectError(changed, field: "spec", type: .forbidden, detail: PersistentVolumeClaimStrategy.immutableMessage)
        let (_, bound) = StrategyHarness.update(PersistentVolumeClaimStrategy(), Self.claim()) { $0.spec.volumeName = "pv-1" }
        #expect(bound.isEmpty)
    }

    @Test func storageClasses() {
        let storageClass: StorageV1.StorageClass = StrategyHarness.decode(#"{"metadata":{"name":"local"},"provisioner":"rancher.io/local-path"}"#)
        var noProvisioner = storageClass
        noProvisioner.provisioner = ""
        expectError(StrategyHarness.create(StorageClassStrategy(), noProvisioner, namespace: nil).errors, field: "provisioner", type: .required)
        var badMode = storageClass
        badMode.volumeBindingMode = "Later"
        expectError(StrategyHarness.create(StorageClassStrategy(), badMode, namespace: nil).errors, field: "volumeBindingMode", type: .notSupported)
        let (_, errors) = StrategyHarness.update(StorageClassStrategy(), storageClass, namespace: nil) { $0.parameters = ["a": "b"]; $0.reclaimPolicy = "Retain" }
        expectError(errors, field: "parameters", type: .forbidden, detail: "updates to parameters are forbidden.")
        expectError(errors, field: "reclaimPolicy", type: .forbidden)
    }

    @Test func leasesPriorityClassesAndBudgets() {
        var lease: CoordinationV1.Lease = StrategyHarness.decode(#"{"metadata":{"name":"node-a"},"spec":{"leaseDurationSeconds":0}}"#)
        expectError(StrategyHarness.create(LeaseStrategy(), lease).errors, field: "spec.leaseDurationSeconds", type: .invalid)
        lease.spec.leaseDurationSeconds = 40
        lease.spec.preferredHolder = "node-b"
        expectError(StrategyHarness.create(LeaseStrategy(), lease).errors, field: "spec.preferredHolder", type: .forbidden)

        let huge: SchedulingV1.PriorityClass = StrategyHarness.decode(#"{"metadata":{"name":"huge"},"value":2000000000}"#)
        expectError(StrategyHarness.create(PriorityClassStrategy(), huge, namespace: nil).errors, field: "value", type: .forbidden)
        let system: SchedulingV1.PriorityClass = StrategyHarness.decode(#"{"metadata":{"name":"system-mine"},"value":5}"#)
        expectError(StrategyHarness.create(PriorityClassStrategy(), system, namespace: nil).errors, field: "metadata.name", type: .forbidden)
        let builtin: SchedulingV1.PriorityClass = StrategyHarness.decode(#"{"metadata":{"name":"system-node-critical"},"value":2000001000}"#)
        #expect(StrategyHarness.create(PriorityClassStrategy(), builtin, namespace: nil).errors.isEmpty)
        let (_, changed) = StrategyHarness.update(PriorityClassStrategy(), StrategyHarness.decode(#"{"metadata":{"name":"high"},"value":10}"#),
                                                  namespace: nil) { $0.value = 11 }
        expectError(changed, field: "value", type: .forbidden, detail: "may not be changed in an update.")

        let both: PolicyV1.PodDisruptionBudget = StrategyHarness.decode(#"{"metadata":{"name":"pdb"},"spec":{"minAvailable":1,"maxUnavailable":1}}"#)
        expectError(StrategyHarness.create(PodDisruptionBudgetStrategy(), both).errors, field: "spec", type: .invalid,
                    detail: "minAvailable and maxUnavailable cannot be both set")
        let percent: PolicyV1.PodDisruptionBudget = StrategyHarness.decode(#"{"metadata":{"name":"pdb"},"spec":{"minAvailable":"150%"}}"#)
        expectError(StrategyHarness.create(PodDisruptionBudgetStrategy(), percent).errors, field: "spec.minAvailable", type: .invalid,
                    detail: "must not be greater than 100%")
    }

    static let autoscalerCases: [InvalidCase<AutoscalingV2.HorizontalPodAutoscaler>] = [
        .init("minReplicas at least 1", "spec.minReplicas", .invalid) { $0.spec.minReplicas = 0 },
        .init("maxReplicas positive", "spec.maxReplicas", .invalid, detail: "must be greater than 0") { $0.spec.maxReplicas = 0 },
        .init("max at least min", "spec.maxReplicas", .invalid, detail: "must be greater than or equal to `minReplicas`") { $0.spec.minReplicas = 8 },
        .init("target kind required", "spec.scaleTargetRef.kind", .required) { $0.spec.scaleTargetRef.kind = "" },
        .init("metric source matches type", "spec.metrics[0].pods", .required) {
            $0.spec.metrics = [AutoscalingV2.MetricSpec(type: "Pods")]
        },
        .init("scaling policies present", "spec.behavior.scaleUp.policies", .required) {
            $0.spec.behavior = AutoscalingV2.HorizontalPodAutoscalerBehavior(scaleUp: AutoscalingV2.HPAScalingRules(policies: []))
        },
    ]

    @Test(arguments: autoscalerCases)
    func invalidAutoscaler(_ testCase: InvalidCase<AutoscalingV2.HorizontalPodAutoscaler>) {
        var autoscaler: AutoscalingV2.HorizontalPodAutoscaler = StrategyHarness.decode(
            #"{"metadata":{"name":"web"},"spec":{"maxReplicas":5,"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"}}}"#)
        testCase.change(&autoscaler)
        expectError(StrategyHarness.create(HorizontalPodAutoscalerStrategy(), autoscaler).errors, field: testCase.field, type: testCase.type,
                    detail: testCase.detail)
    }

    @Test func rbac() {
        let role: RbacV1.Role = StrategyHarness.decode(#"{"metadata":{"name":"reader"},"rules":[{"apiGroups":[""],"resources":["pods"]}]}"#)
        expectError(StrategyHarness.create(RoleStrategy(), role).errors, field: "rules[0].verbs", type: .required)
        let urls: RbacV1.Role = StrategyHarness.decode(#"{"metadata":{"name":"reader"},"rules":[{"verbs":["get"],"nonResourceURLs":["/healthz"]}]}"#)
        expectError(StrategyHarness.create(RoleStrategy(), urls).errors, field: "rules[0].nonResourceURLs", type: .invalid,
                    detail: "namespaced rules cannot apply to non-resource URLs")
        let clusterRole: RbacV1.ClusterRole = StrategyHarness.decode(#"{"metadata":{"name":"system:reader"},"rules":[{"verbs":["get"],"nonResourceURLs":["/healthz"]}]}"#)
        #expect(StrategyHarness.create(ClusterRoleStrategy(), clusterRole, namespace: nil).errors.isEmpty)

        let binding: RbacV1.ClusterRoleBinding = StrategyHarness.decode(
            #"{"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"r"},"subjects":[{"kind":"ServiceAccount","name":"default"},{"kind":"Robot","name":"x"}]}"#)
        let errors = StrategyHarness.create(ClusterRoleBindingStrategy(), binding, namespace: nil).errors
        expectError(errors, field: "roleRef.kind", type: .notSupported)
        expectError(errors, field: "subjects[0].namespace", type: .required)
        expectError(errors, field: "subjects[1].kind", type: .notSupported)

        let roleBinding: RbacV1.RoleBinding = StrategyHarness.decode(#"{"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"r"}}"#)
        let (_, changed) = StrategyHarness.update(RoleBindingStrategy(), roleBinding) { $0.roleRef.name = "other" }
        expectError(changed, field: "roleRef", type: .invalid, detail: "cannot change roleRef")
    }

    @Test func customResourceDefinitions() {
        let definition: ApiextensionsV1.CustomResourceDefinition = StrategyHarness.decode(#"""
            {"metadata":{"name":"widgets.example.com"},"spec":{"group":"example.com","scope":"Namespaced",
             "names":{"plural":"widgets","kind":"Widget"},
             "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}}]}}
            """#)
        let (created, errors) = StrategyHarness.create(CustomResourceDefinitionStrategy(), definition, namespace: nil)
        #expect(errors.isEmpty)
        #expect(created.spec.names.singular == "widget" && created.spec.names.listKind == "WidgetList")
        #expect(created.status.storedVersions == ["v1"])
        var misnamed = definition
        misnamed.metadata.name = "widget.example.com"
        expectError(StrategyHarness.create(CustomResourceDefinitionStrategy(), misnamed, namespace: nil).errors, field: "metadata.name", type: .invalid)
        var noStorage = definition
        noStorage.spec.versions[0].storage = false
        expectError(StrategyHarness.create(CustomResourceDefinitionStrategy(), noStorage, namespace: nil).errors, field: "spec.versions", type: .invalid,
                    detail: "must have exactly one version marked as storage version")
        var noSchema = definition
        noSchema.spec.versions[0].schema = nil
        expectError(StrategyHarness.create(CustomResourceDefinitionStrategy(), noSchema, namespace: nil).errors,
                    field: "spec.versions[0].schema.openAPIV3Schema", type: .required)
        let (_, scope) = StrategyHarness.update(CustomResourceDefinitionStrategy(), definition, namespace: nil) { $0.spec.scope = "Cluster" }
        expectError(scope, field: "spec.scope", type: .invalid, detail: "field is immutable")
    }
}
