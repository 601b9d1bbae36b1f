import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

@Suite struct PrintingClusterTests {
    static func makeNode(labels: JSONObject = [:], conditions: [JSONValue], unschedulable: Bool = false,
                     addresses: [JSONValue] = [], nodeInfo: JSONValue? = nil) -> JSONValue {
        var status: JSONObject = ["conditions": .array(conditions), "addresses": .array(addresses)]
        if let nodeInfo { status["nodeInfo"] = nodeInfo }
        return ["metadata": printedMetadata("node-1", age: 86400 * 2 + 3600 * 5, ["labels": .object(labels)]),
                "spec": ["unschedulable": .bool(unschedulable)], "status": .object(status)]
    }

    static let nodeInfo: JSONValue = [
        "kubeletVersion": "v1.36.0-skiff", "osImage": "Debian GNU/Linux 13", "kernelVersion": "6.12.0",
        "containerRuntimeVersion": "runc://1.2.5", "architecture": "amd64", "bootID": "", "kubeProxyVersion": "",
        "machineID": "", "operatingSystem": "linux", "systemUUID": "",
    ]

    static let nodes: [PrintCase] = [
        PrintCase("ready control plane",
                  makeNode(labels: ["node-role.kubernetes.io/control-plane": "", "node-role.kubernetes.io/master": "",
                                "kubernetes.io/role": "etcd", "kubernetes.io/hostname": "node-1"],
                       conditions: [["type": "MemoryPressure", "status": "False"], ["type": "Ready", "status": "True"]],
                       addresses: [["type": "Hostname", "address": "node-1"], ["type": "InternalIP", "address": "192.168.1.10"]],
                       nodeInfo: nodeInfo),
                  ["node-1", "Ready", "control-plane,etcd,master", "2d5h", "v1.36.0-skiff", "192.168.1.10", "<none>",
                   "Debian GNU/Linux 13", "6.12.0", "runc://1.2.5"]),
        PrintCase("cordoned and not ready",
                  makeNode(conditions: [["type": "Ready", "status": "Unknown"]], unschedulable: true,
                       addresses: [["type": "ExternalIP", "address": "203.0.113.4"]]),
                  ["node-1", "NotReady,SchedulingDisabled", "<none>", "2d5h", "", "<none>", "203.0.113.4",
                   "<unknown>", "<unknown>", "<unknown>"]),
        PrintCase("never reported",
                  makeNode(labels: ["node-role.kubernetes.io/": "", "kubernetes.io/role": ""], conditions: []),
                  ["node-1", "Unknown", "<none>", "2d5h", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"]),
    ]

    @Test(arguments: nodes)
    func nodeCells(_ testCase: PrintCase) { expectCells(NodePrinter(), testCase) }

    static func makeEvent(_ members: JSONObject) -> JSONValue {
        var event: JSONObject = [
            "metadata": printedMetadata("web.17a2"), "type": "Warning", "reason": "BackOff",
            "involvedObject": ["kind": "Pod", "name": "web", "namespace": "default", "fieldPath": "spec.containers{app}"],
            "message": "Back-off restarting failed container\n", "source": ["component": "kubelet", "host": "node-1"],
        ]
        for (key, value) in members { event[key] = value }
        return .object(event)
    }

    static let events: [PrintCase] = [
        PrintCase("repeated core event",
                  makeEvent(["firstTimestamp": printedAgo(3600), "lastTimestamp": printedAgo(30), "count": 12]),
                  ["30s", "Warning", "BackOff", "pod/web", "spec.containers{app}", "kubelet, node-1",
                   "Back-off restarting failed container", "60m", 12, "web.17a2"]),
        PrintCase("events.k8s.io event with a series",
                  makeEvent(["eventTime": "2023-11-14T22:12:20.000000Z", "series": ["count": 4, "lastObservedTime": printedAgo(5)],
                         "source": [:], "reportingComponent": "default-scheduler", "reportingInstance": "master-1",
                         "involvedObject": ["kind": "Node"]]),
                  ["5s", "Warning", "BackOff", "node", "", "default-scheduler, master-1",
                   "Back-off restarting failed container", "60s", 4, "web.17a2"]),
        PrintCase("singleton without timestamps",
                  makeEvent(["source": ["component": "kubelet"]]),
                  ["<unknown>", "Warning", "BackOff", "pod/web", "spec.containers{app}", "kubelet",
                   "Back-off restarting failed container", "<unknown>", 1, "web.17a2"]),
    ]

    @Test(arguments: events)
    func eventCells(_ testCase: PrintCase) { expectCells(EventPrinter(), testCase) }

    @Test func eventColumns() {
        let columns = EventPrinter().columns
        #expect(columns.map(\.name) == ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message",
                                        "First Seen", "Count", "Name"])
        #expect(columns.map(\.priority) == [0, 0, 0, 0, 1, 1, 0, 1, 1, 1])
    }

    @Test func simpleCoreResources() {
        expectCells(NamespacePrinter(), PrintCase(
            "active", ["metadata": printedMetadata("kube-system"), "spec": [:], "status": ["phase": "Active"]],
            ["kube-system", "Active", "10m"]))
        expectCells(ConfigMapPrinter(), PrintCase(
            "text and binary", ["metadata": printedMetadata("cfg"), "data": ["a": "1", "b": "2"], "binaryData": ["c": "AA=="]],
            ["cfg", 3, "10m"]))
        expectCells(SecretPrinter(), PrintCase(
            "tls", ["metadata": printedMetadata("tls"), "type": "kubernetes.io/tls", "data": ["tls.crt": "AA==", "tls.key": "AA=="]],
            ["tls", "kubernetes.io/tls", 2, "10m"]))
        expectCells(ServiceAccountPrinter(), PrintCase(
            "default", ["metadata": printedMetadata("default")], ["default", 0, "10m"]))
        expectCells(LeasePrinter(), PrintCase(
            "held", ["metadata": printedMetadata("node-1"), "spec": ["holderIdentity": "node-1"]], ["node-1", "node-1", "10m"]))
    }

    static let persistentVolumes: [PrintCase] = [
        PrintCase("bound",
                  ["metadata": printedMetadata("pv-1"),
                   "spec": ["capacity": ["storage": "10Gi"], "accessModes": ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
                            "persistentVolumeReclaimPolicy": "Delete", "storageClassName": "local-path",
                            "claimRef": ["namespace": "default", "name": "data"], "volumeMode": "Filesystem"],
                   "status": ["phase": "Bound"]],
                  ["pv-1", "10Gi", "RWO,RWX", "Delete", "Bound", "default/data", "local-path", "<unset>", "", "10m", "Filesystem"]),
        PrintCase("released, class from the beta annotation, being deleted",
                  ["metadata": printedMetadata("pv-2", age: 600, ["annotations": ["volume.beta.kubernetes.io/storage-class": "slow"],
                                                                   "deletionTimestamp": printedAgo(1)]),
                   "spec": ["accessModes": ["ReadWriteOncePod"], "persistentVolumeReclaimPolicy": "Retain",
                            "storageClassName": "fast", "volumeAttributesClassName": "gold"],
                   "status": ["phase": "Released", "reason": "ClaimDeleted"]],
                  ["pv-2", "0", "RWOP", "Retain", "Terminating", "", "slow", "gold", "ClaimDeleted", "10m", "<unset>"]),
    ]

    @Test(arguments: persistentVolumes)
    func persistentVolumeCells(_ testCase: PrintCase) { expectCells(PersistentVolumePrinter(), testCase) }

    static let claims: [PrintCase] = [
        PrintCase("bound",
                  ["metadata": printedMetadata("data"),
                   "spec": ["volumeName": "pv-1", "storageClassName": "local-path", "volumeMode": "Filesystem",
                            "accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]],
                   "status": ["phase": "Bound", "capacity": ["storage": "10Gi"], "accessModes": ["ReadWriteOnce"]]],
                  ["data", "Bound", "pv-1", "10Gi", "RWO", "local-path", "<unset>", "10m", "Filesystem"]),
        PrintCase("pending",
                  ["metadata": printedMetadata("data"), "spec": ["resources": ["requests": ["storage": "1Gi"]]],
                   "status": ["phase": "Pending"]],
                  ["data", "Pending", "", "", "", "", "<unset>", "10m", "<unset>"]),
    ]

    @Test(arguments: claims)
    func persistentVolumeClaimCells(_ testCase: PrintCase) { expectCells(PersistentVolumeClaimPrinter(), testCase) }

    @Test func storageClasses() {
        expectCells(StorageClassPrinter(), PrintCase(
            "default with defaults",
            ["metadata": printedMetadata("local-path", age: 600, ["annotations": ["storageclass.kubernetes.io/is-default-class": "true"]]),
             "provisioner": "skiff.dev/local-path"],
            ["local-path (default)", "skiff.dev/local-path", "Delete", "Immediate", false, "10m"]))
        expectCells(StorageClassPrinter(), PrintCase(
            "explicit",
            ["metadata": printedMetadata("slow"), "provisioner": "x", "reclaimPolicy": "Retain",
             "volumeBindingMode": "WaitForFirstConsumer", "allowVolumeExpansion": true],
            ["slow", "x", "Retain", "WaitForFirstConsumer", true, "10m"]))
    }

    static let autoscalers: [PrintCase] = [
        PrintCase("cpu utilization, measured",
                  ["metadata": printedMetadata("web"),
                   "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"],
                            "minReplicas": 2, "maxReplicas": 10,
                            "metrics": [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 80]]]]],
                   "status": ["currentReplicas": 3, "desiredReplicas": 3,
                              "currentMetrics": [["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": 45, "averageValue": "120m"]]]]]],
                  ["web", "Deployment/web", "cpu: 45%/80%", "2", 10, 3, "10m"]),
        PrintCase("several metrics, not yet measured",
                  ["metadata": printedMetadata("web"),
                   "spec": ["scaleTargetRef": ["kind": "Deployment", "name": "web"], "maxReplicas": 5,
                            "metrics": [
                                ["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "512Mi"]]],
                                ["type": "Pods", "pods": ["metric": ["name": "qps"], "target": ["type": "AverageValue", "averageValue": "1k"]]],
                                ["type": "External", "external": ["metric": ["name": "queue"], "target": ["type": "Value", "value": "30"]]],
                            ]],
                   "status": ["desiredReplicas": 0]],
                  ["web", "Deployment/web", "memory: <unknown>/512Mi, <unknown>/1k + 1 more...", "<unset>", 5, 0, "10m"]),
        PrintCase("object and external averages",
                  ["metadata": printedMetadata("web"),
                   "spec": ["scaleTargetRef": ["kind": "Deployment", "name": "web"], "maxReplicas": 5,
                            "metrics": [
                                ["type": "Object", "object": ["metric": ["name": "rps"], "describedObject": ["kind": "Service", "name": "web"],
                                                              "target": ["type": "AverageValue", "averageValue": "100"]]],
                                ["type": "External", "external": ["metric": ["name": "queue"], "target": ["type": "Value", "value": "30"]]],
                            ]],
                   "status": ["desiredReplicas": 1, "currentReplicas": 1,
                              "currentMetrics": [
                                ["type": "Object", "object": ["metric": ["name": "rps"], "describedObject": ["kind": "Service", "name": "web"],
                                                              "current": ["averageValue": "50"]]],
                                ["type": "External", "external": ["metric": ["name": "queue"], "current": ["value": "12"]]],
                              ]]],
                  ["web", "Deployment/web", "50/100 (avg), 12/30", "<unset>", 5, 1, "10m"]),
        PrintCase("no metrics", ["metadata": printedMetadata("web"),
                                 "spec": ["scaleTargetRef": ["kind": "StatefulSet", "name": "db"], "minReplicas": 1, "maxReplicas": 3],
                                 "status": ["desiredReplicas": 1]],
                  ["web", "StatefulSet/db", "<none>", "1", 3, 0, "10m"]),
    ]

    @Test(arguments: autoscalers)
    func horizontalPodAutoscalerCells(_ testCase: PrintCase) { expectCells(HorizontalPodAutoscalerPrinter(), testCase) }

    static let subjects: JSONValue = [
        ["kind": "User", "name": "alice"], ["kind": "Group", "name": "devs"], ["kind": "User", "name": "bob"],
        ["kind": "ServiceAccount", "name": "ci", "namespace": "tools"],
    ]

    @Test func roleBindings() {
        expectCells(RoleBindingPrinter<RbacV1.RoleBinding>(), PrintCase(
            "namespaced", ["metadata": printedMetadata("edit"), "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "edit"],
                           "subjects": Self.subjects],
            ["edit", "ClusterRole/edit", "10m", "alice, bob", "devs", "tools/ci"]))
        expectCells(RoleBindingPrinter<RbacV1.ClusterRoleBinding>(), PrintCase(
            "cluster", ["metadata": printedMetadata("admin"), "roleRef": ["kind": "ClusterRole", "name": "cluster-admin"]],
            ["admin", "ClusterRole/cluster-admin", "10m", "", "", ""]))
        #expect(RoleBindingPrinter<RbacV1.ClusterRoleBinding>().columns[3].description == "Users in the clusterRoleBinding")
        #expect(RoleBindingPrinter<RbacV1.RoleBinding>().columns[5].description == "ServiceAccounts in the roleBinding")
    }

    @Test func controllerRevisions() {
        let owner: JSONValue = [["apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": "1", "controller": true]]
        expectCells(ControllerRevisionPrinter(), PrintCase(
            "owned", ["metadata": printedMetadata("agent-5d8f", age: 600, ["ownerReferences": owner]), "revision": 3],
            ["agent-5d8f", "daemonset.apps/agent", 3, "10m"]))
        let coreOwner: JSONValue = [["apiVersion": "v1", "kind": "Pod", "name": "p", "uid": "2", "controller": true]]
        expectCells(ControllerRevisionPrinter(), PrintCase(
            "core owner", ["metadata": printedMetadata("r", age: 600, ["ownerReferences": coreOwner]), "revision": 1],
            ["r", "pod/p", 1, "10m"]))
        expectCells(ControllerRevisionPrinter(), PrintCase(
            "orphan", ["metadata": printedMetadata("r"), "revision": 1], ["r", "<none>", 1, "10m"]))
    }

    @Test func resourceQuota() {
        expectCells(ResourceQuotaPrinter(), PrintCase(
            "compute", ["metadata": printedMetadata("compute"), "spec": [:],
                        "status": ["hard": ["requests.cpu": "2", "limits.memory": "4Gi", "pods": "10", "limits.cpu": "4"],
                                   "used": ["requests.cpu": "500m", "pods": "3", "limits.cpu": "1"]]],
            ["compute", "pods: 3/10, requests.cpu: 500m/2", "limits.cpu: 1/4, limits.memory: 0/4Gi", "10m"]))
    }

    @Test func policyAndScheduling() {
        expectCells(PodDisruptionBudgetPrinter(), PrintCase(
            "min available", ["metadata": printedMetadata("web"), "spec": ["minAvailable": "50%"],
                              "status": ["disruptionsAllowed": 1, "currentHealthy": 3, "desiredHealthy": 2, "expectedPods": 3]],
            ["web", "50%", "N/A", 1, "10m"]))
        expectCells(PodDisruptionBudgetPrinter(), PrintCase(
            "max unavailable", ["metadata": printedMetadata("web"), "spec": ["maxUnavailable": 1], "status": [:]],
            ["web", "N/A", "1", 0, "10m"]))
        expectCells(PriorityClassPrinter(), PrintCase(
            "system", ["metadata": printedMetadata("system-node-critical"), "value": 2_000_001_000,
                       "preemptionPolicy": "PreemptLowerPriority"],
            ["system-node-critical", 2_000_001_000, false, "10m", "PreemptLowerPriority"]))
    }

    @Test func storageDrivers() {
        expectCells(CSIDriverPrinter(), PrintCase(
            "defaults", ["metadata": printedMetadata("hostpath.csi.k8s.io"), "spec": [:]],
            ["hostpath.csi.k8s.io", true, false, false, "<unset>", false, "<none>", "10m"]))
        expectCells(CSIDriverPrinter(), PrintCase(
            "set", ["metadata": printedMetadata("d"),
                    "spec": ["attachRequired": false, "tokenRequests": [["audience": "a"], ["audience": "b"]],
                             "volumeLifecycleModes": ["Persistent", "Ephemeral"]]],
            ["d", false, false, false, "a,b", false, "Persistent,Ephemeral", "10m"]))
        expectCells(CSINodePrinter(), PrintCase(
            "two drivers", ["metadata": printedMetadata("node-1"),
                            "spec": ["drivers": [["name": "a", "nodeID": "n"], ["name": "b", "nodeID": "n"]]]],
            ["node-1", 2, "10m"]))
        expectCells(CSIStorageCapacityPrinter(), PrintCase(
            "unknown capacity", ["metadata": printedMetadata("cap"), "storageClassName": "local"], ["cap", "local", "<unset>"]))
        expectCells(VolumeAttachmentPrinter(), PrintCase(
            "attached", ["metadata": printedMetadata("va"),
                         "spec": ["attacher": "csi.example.com", "nodeName": "node-1", "source": ["persistentVolumeName": "pv-1"]],
                         "status": ["attached": true]],
            ["va", "csi.example.com", "pv-1", "node-1", true, "10m"]))
    }
}
