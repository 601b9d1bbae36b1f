import Foundation
import Testing
import KubeModel
@testable import KubeAPIServer

/// The defaults of minimal objects equal what an upstream API server stores for them.
@Suite struct StrategyDefaultsTests {
    static let podSpec = #"""
        {"containers":[{"image":"nginx","imagePullPolicy":"Always","name":"web","resources":{},
           "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
         "dnsPolicy":"ClusterFirst","enableServiceLinks":true,
         "restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}
        """#

    static let templateSpec = #"""
        {"containers":[{"image":"nginx:1.25","imagePullPolicy":"IfNotPresent","name":"web","resources":{},
           "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
         "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},
         "terminationGracePeriodSeconds":30}
        """#

    @Test func minimalPod() {
        let (pod, errors) = StrategyHarness.create(PodStrategy(), Fixtures.pod())
        #expect(errors.isEmpty)
        let json = pod.toJSON()
        #expect(StrategyHarness.sorted(json["spec"]!) == StrategyHarness.json(Self.podSpec))
        #expect(StrategyHarness.sorted(json["status"]!) == StrategyHarness.json(#"{"phase":"Pending","qosClass":"BestEffort"}"#))
    }

    @Test func minimalDeployment() {
        let (deployment, errors) = StrategyHarness.create(DeploymentStrategy(), Fixtures.deployment())
        #expect(errors.isEmpty)
        let expected = #"""
            {"progressDeadlineSeconds":600,"replicas":1,"revisionHistoryLimit":10,"selector":{"matchLabels":{"app":"web"}},
             "strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"},"type":"RollingUpdate"},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":\#(Self.templateSpec)}}
            """#
        #expect(StrategyHarness.sorted(deployment.toJSON()["spec"]!) == StrategyHarness.json(expected))
    }

    @Test func minimalJob() {
        let (job, errors) = StrategyHarness.create(JobStrategy(), Fixtures.job())
        #expect(errors.isEmpty)
        let uid = StrategyHarness.uid
        let labels = #"{"batch.kubernetes.io/controller-uid":"\#(uid)","batch.kubernetes.io/job-name":"pi","controller-uid":"\#(uid)","job-name":"pi"}"#
        let templateSpec = Self.templateSpec.replacingOccurrences(of: #""restartPolicy":"Always""#, with: #""restartPolicy":"Never""#)
        let expected = #"""
            {"backoffLimit":6,"completionMode":"NonIndexed","completions":1,"manualSelector":false,"parallelism":1,
             "podReplacementPolicy":"TerminatingOrFailed","selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"\#(uid)"}},
             "suspend":false,"template":{"metadata":{"labels":\#(labels)},"spec":\#(templateSpec)}}
            """#
        #expect(StrategyHarness.sorted(job.toJSON()["spec"]!) == StrategyHarness.json(expected))
        // The job's own labels come from its template (generated ones included when it had none).
        #expect(StrategyHarness.sorted(job.toJSON()[path: ["metadata", "labels"]]!) == StrategyHarness.json(labels))
    }

    @Test func jobLabelsComeFromTheTemplateAsWritten() {
        var job = Fixtures.job()
        job.spec.template.metadata.labels = ["app": "pi"]
        let (created, errors) = StrategyHarness.create(JobStrategy(), job)
        #expect(errors.isEmpty)
        #expect(created.metadata.labels == ["app": "pi"])
        #expect(created.spec.template.metadata.labels?["job-name"] == "pi")
    }

    @Test func minimalService() {
        let (service, errors) = StrategyHarness.create(ServiceStrategy(), Fixtures.service())
        #expect(errors.isEmpty)
        let expected = #"""
            {"internalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
             "ports":[{"port":80,"protocol":"TCP","targetPort":80}],"selector":{"app":"web"},"sessionAffinity":"None","type":"ClusterIP"}
            """#
        #expect(StrategyHarness.sorted(service.toJSON()["spec"]!) == StrategyHarness.json(expected))
        #expect(StrategyHarness.sorted(service.toJSON()["status"]!) == StrategyHarness.json(#"{"loadBalancer":{}}"#))
    }

    @Test func nodePortServiceAndHeadlessService() {
        var nodePort = Fixtures.service()
        nodePort.spec.type = "LoadBalancer"
        let (balancer, _) = StrategyHarness.create(ServiceStrategy(), nodePort)
        #expect(balancer.spec.externalTrafficPolicy == "Cluster")
        #expect(balancer.spec.allocateLoadBalancerNodePorts == true)

        let headless: CoreV1.Service = StrategyHarness.decode(#"{"metadata":{"name":"db"},"spec":{"clusterIP":"None"}}"#)
        let (created, errors) = StrategyHarness.create(ServiceStrategy(), headless)
        #expect(errors.isEmpty)
        #expect(created.spec.clusterIPs == ["None"])
        #expect(created.spec.ipFamilyPolicy == "RequireDualStack")
    }

    @Test func statefulSetDaemonSetAndCronJob() {
        let (statefulSet, setErrors) = StrategyHarness.create(StatefulSetStrategy(), Fixtures.statefulSet())
        #expect(setErrors.isEmpty)
        let spec = statefulSet.toJSON()["spec"]!
        #expect(spec["podManagementPolicy"] == "OrderedReady")
        #expect(StrategyHarness.sorted(spec["updateStrategy"]!) == StrategyHarness.json(#"{"rollingUpdate":{"partition":0},"type":"RollingUpdate"}"#))
        #expect(StrategyHarness.sorted(spec["persistentVolumeClaimRetentionPolicy"]!)
                == StrategyHarness.json(#"{"whenDeleted":"Retain","whenScaled":"Retain"}"#))
        #expect(spec["replicas"] == 1 && spec["revisionHistoryLimit"] == 10)
        #expect(spec[path: ["volumeClaimTemplates"]]?.arrayValue?.first?[path: ["spec", "volumeMode"]] == "Filesystem")
        #expect(spec[path: ["volumeClaimTemplates"]]?.arrayValue?.first?[path: ["status", "phase"]] == "Pending")

        let (daemonSet, daemonErrors) = StrategyHarness.create(DaemonSetStrategy(), Fixtures.daemonSet())
        #expect(daemonErrors.isEmpty)
        #expect(StrategyHarness.sorted(daemonSet.toJSON()[path: ["spec", "updateStrategy"]]!)
                == StrategyHarness.json(#"{"rollingUpdate":{"maxSurge":0,"maxUnavailable":1},"type":"RollingUpdate"}"#))
        #expect(daemonSet.spec.revisionHistoryLimit == 10)

        let (cronJob, cronErrors) = StrategyHarness.create(CronJobStrategy(), Fixtures.cronJob())
        #expect(cronErrors.isEmpty)
        #expect(cronJob.spec.concurrencyPolicy == "Allow" && cronJob.spec.suspend == false)
        #expect(cronJob.spec.successfulJobsHistoryLimit == 3 && cronJob.spec.failedJobsHistoryLimit == 1)
        // The job spec inside is not defaulted (only its pod template is).
        #expect(cronJob.spec.jobTemplate.spec?.backoffLimit == nil)
        #expect(cronJob.spec.jobTemplate.spec?.template.spec?.dnsPolicy == "ClusterFirst")
    }

    @Test func podSpecDetails() {
        let pod: CoreV1.Pod = StrategyHarness.decode(#"""
            {"metadata":{"name":"p"},"spec":{"hostNetwork":true,"containers":[{"name":"a","image":"registry:5000/team/app@sha256:abc",
              "ports":[{"containerPort":8080}],
              "env":[{"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}],
              "livenessProbe":{"httpGet":{"port":8080}},"readinessProbe":{"grpc":{"port":9000}},
              "resources":{"limits":{"cpu":"1","memory":"1Gi"}},
              "volumeMounts":[{"name":"cfg","mountPath":"/etc/cfg"}]}],
             "volumes":[{"name":"cfg","configMap":{"name":"cfg"}},{"name":"scratch"},{"name":"host","hostPath":{"path":"/tmp"}},
               {"name":"proj","projected":{"sources":[{"serviceAccountToken":{"path":"token"}}]}}]}}
            """#)
        let (created, errors) = StrategyHarness.create(PodStrategy(), pod)
        #expect(errors.isEmpty)
        let container = created.spec.containers[0]
        #expect(container.imagePullPolicy == "IfNotPresent")
        #expect(container.ports?[0].protocol == "TCP" && container.ports?[0].hostPort == 8080)
        #expect(container.env?[0].valueFrom?.fieldRef?.apiVersion == "v1")
        let probe = container.livenessProbe!
        #expect(probe.timeoutSeconds == 1 && probe.periodSeconds == 10 && probe.successThreshold == 1 && probe.failureThreshold == 3)
        #expect(probe.httpGet?.scheme == "HTTP" && probe.httpGet?.path == "/")
        #expect(container.readinessProbe?.grpc?.service == "")
        #expect(container.resources?.requests == ["cpu": "1", "memory": "1Gi"])
        let volumes = created.spec.volumes!
        #expect(volumes[0].configMap?.defaultMode == 420)
        #expect(volumes[1].emptyDir == CoreV1.EmptyDirVolumeSource())
        #expect(volumes[2].hostPath?.type == "")
        #expect(volumes[3].projected?.defaultMode == 420)
        #expect(volumes[3].projected?.sources?[0].serviceAccountToken?.expirationSeconds == 3600)
        #expect(created.status.qosClass == "Guaranteed")
    }

    struct PullPolicyCase: Sendable, CustomTestStringConvertible {
        let image: String
        let policy: String
        var testDescription: String { image.isEmpty ? "(empty)" : image }
    }

    @Test(arguments: [
        PullPolicyCase(image: "nginx", policy: "Always"),
        PullPolicyCase(image: "nginx:latest", policy: "Always"),
        PullPolicyCase(image: "nginx:1.25", policy: "IfNotPresent"),
        PullPolicyCase(image: "localhost:5000/app", policy: "Always"),
        PullPolicyCase(image: "localhost:5000/app:v2", policy: "IfNotPresent"),
        PullPolicyCase(image: "busybox@sha256:0123", policy: "IfNotPresent"),
        PullPolicyCase(image: "busybox:latest@sha256:0123", policy: "Always"),
        PullPolicyCase(image: "", policy: "IfNotPresent"),
    ])
    func imagePullPolicy(_ testCase: PullPolicyCase) {
        #expect(ImageReference.defaultPullPolicy(for: testCase.image) == testCase.policy)
    }

    struct QOSCase: Sendable, CustomTestStringConvertible {
        let name: String
        let resources: [String]
        let expected: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        QOSCase(name: "nothing", resources: ["{}"], expected: "BestEffort"),
        QOSCase(name: "limits only", resources: [#"{"limits":{"cpu":"500m","memory":"128Mi"}}"#], expected: "Guaranteed"),
        QOSCase(name: "equal", resources: [#"{"requests":{"cpu":"1","memory":"1Gi"},"limits":{"cpu":"1","memory":"1Gi"}}"#], expected: "Guaranteed"),
        QOSCase(name: "requests below limits", resources: [#"{"requests":{"cpu":"1"},"limits":{"cpu":"2","memory":"1Gi"}}"#], expected: "Burstable"),
        QOSCase(name: "cpu only", resources: [#"{"limits":{"cpu":"1"}}"#], expected: "Burstable"),
        QOSCase(name: "one container unlimited", resources: [#"{"limits":{"cpu":"1","memory":"1Gi"}}"#, "{}"], expected: "Burstable"),
        QOSCase(name: "other resources ignored", resources: [#"{"requests":{"ephemeral-storage":"1Gi"}}"#], expected: "BestEffort"),
    ])
    func qosClass(_ testCase: QOSCase) {
        let containers = testCase.resources.enumerated().map { #"{"name":"c\#($0.offset)","image":"nginx","resources":\#($0.element)}"# }
        let pod: CoreV1.Pod = StrategyHarness.decode(#"{"metadata":{"name":"p"},"spec":{"containers":[\#(containers.joined(separator: ","))]}}"#)
        let (created, errors) = StrategyHarness.create(PodStrategy(), pod)
        #expect(errors.isEmpty)
        #expect(created.status.qosClass == testCase.expected)
    }

    @Test func otherKinds() {
        let (secret, _) = StrategyHarness.create(SecretStrategy(), StrategyHarness.decode(#"{"metadata":{"name":"s"},"stringData":{"user":"admin"}}"#))
        #expect(secret.type == "Opaque")
        #expect(secret.data?["user"] == Data("admin".utf8) && secret.stringData == nil)

        let (volume, _) = StrategyHarness.create(PersistentVolumeStrategy(), StrategyHarness.decode(
            #"{"metadata":{"name":"pv"},"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/data"}}}"#),
            namespace: nil)
        #expect(volume.spec.persistentVolumeReclaimPolicy == "Retain" && volume.spec.volumeMode == "Filesystem")
        #expect(volume.status.phase == "Pending" && volume.status.lastPhaseTransitionTime != nil)

        let (storageClass, _) = StrategyHarness.create(StorageClassStrategy(), StrategyHarness.decode(
            #"{"metadata":{"name":"local"},"provisioner":"rancher.io/local-path"}"#), namespace: nil)
        #expect(storageClass.reclaimPolicy == "Delete" && storageClass.volumeBindingMode == "Immediate")

        let (autoscaler, hpaErrors) = StrategyHarness.create(HorizontalPodAutoscalerStrategy(), StrategyHarness.decode(
            #"{"metadata":{"name":"web"},"spec":{"maxReplicas":5,"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"behavior":{"scaleDown":{"stabilizationWindowSeconds":60}}}}"#))
        #expect(hpaErrors.isEmpty)
        #expect(autoscaler.spec.minReplicas == 1)
        #expect(StrategyHarness.sorted(autoscaler.toJSON()[path: ["spec", "metrics"]]!)
                == StrategyHarness.json(#"[{"resource":{"name":"cpu","target":{"averageUtilization":80,"type":"Utilization"}},"type":"Resource"}]"#))
        #expect(autoscaler.spec.behavior?.scaleUp?.policies?.count == 2 && autoscaler.spec.behavior?.scaleUp?.stabilizationWindowSeconds == 0)
        #expect(autoscaler.spec.behavior?.scaleDown?.stabilizationWindowSeconds == 60 && autoscaler.spec.behavior?.scaleDown?.selectPolicy == "Max")

        let (binding, _) = StrategyHarness.create(RoleBindingStrategy(), StrategyHarness.decode(
            #"{"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"r"},"subjects":[{"kind":"User","name":"alice"},{"kind":"ServiceAccount","name":"default","namespace":"default"}]}"#))
        #expect(binding.roleRef.apiGroup == "rbac.authorization.k8s.io")
        #expect(binding.subjects?[0].apiGroup == "rbac.authorization.k8s.io" && binding.subjects?[1].apiGroup == nil)

        let (priorityClass, _) = StrategyHarness.create(PriorityClassStrategy(), StrategyHarness.decode(
            #"{"metadata":{"name":"high"},"value":1000}"#), namespace: nil)
        #expect(priorityClass.preemptionPolicy == "PreemptLowerPriority")

        let (controller, rcErrors) = StrategyHarness.create(ReplicationControllerStrategy(), Fixtures.replicationController())
        #expect(rcErrors.isEmpty)
        #expect(controller.spec.selector == ["app": "web"] && controller.metadata.labels == ["app": "web"] && controller.spec.replicas == 1)

        let (namespace, _) = StrategyHarness.create(NamespaceStrategy(), StrategyHarness.decode(#"{"metadata":{"name":"team"}}"#), namespace: nil)
        #expect(namespace.spec.finalizers == ["kubernetes"] && namespace.status.phase == "Active")
        #expect(namespace.metadata.labels == ["kubernetes.io/metadata.name": "team"])
    }
}
