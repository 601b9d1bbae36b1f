"""Cluster housekeeping with upstream kubectl and the Python client: cascading deletion by the
garbage collector (background and orphan), namespace deletion, the default ServiceAccount and
root CA in every namespace, Endpoints and EndpointSlices following pod readiness, and a node
whose Lease stops being renewed turning Unknown, tainted, its pods evicted."""
import datetime
import time
from pathlib import Path

from kubernetes import client
from kubernetes.client.rest import ApiException

from conftest import Kubectl, python_client


def eventually(check, timeout=20.0, interval=0.1, message="condition never held"):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"{message} (last: {last!r})")


def replicaset_manifest(namespace, replicas=2):
    return f"""apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
  namespace: {namespace}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: busybox
"""


def pods_of(kubectl, namespace, selector="app=web"):
    return kubectl.json("get", "pods", "-n", namespace, "-l", selector)["items"]


def now_rfc3339(micro=False):
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if micro else "%Y-%m-%dT%H:%M:%SZ")


def test_deleting_a_replicaset_deletes_its_pods(kubectl, namespace):
    kubectl("apply", "-f", "-", input=replicaset_manifest(namespace))
    eventually(lambda: len(pods_of(kubectl, namespace)) == 2, message="the ReplicaSet did not create its pods")
    kubectl("delete", "replicaset", "web", "-n", namespace)
    eventually(lambda: pods_of(kubectl, namespace) == [], message="the pods of a deleted ReplicaSet remain")


def test_orphan_cascade_keeps_the_pods(kubectl, namespace):
    kubectl("apply", "-f", "-", input=replicaset_manifest(namespace))
    eventually(lambda: len(pods_of(kubectl, namespace)) == 2, message="the ReplicaSet did not create its pods")
    kubectl("delete", "replicaset", "web", "-n", namespace, "--cascade=orphan")
    assert kubectl.run("get", "replicaset", "web", "-n", namespace, check=False).returncode != 0
    eventually(lambda: all(not p["metadata"].get("ownerReferences") for p in pods_of(kubectl, namespace)),
               message="orphaned pods keep their owner reference")
    time.sleep(1)
    assert len(pods_of(kubectl, namespace)) == 2


def test_foreground_deletion_through_the_api(kubectl, namespace, api):
    kubectl("apply", "-f", "-", input=replicaset_manifest(namespace, replicas=1))
    eventually(lambda: len(pods_of(kubectl, namespace)) == 1, message="the ReplicaSet did not create its pod")
    apps = client.AppsV1Api(api)
    apps.delete_namespaced_replica_set("web", namespace, propagation_policy="Foreground")
    eventually(lambda: kubectl.run("get", "replicaset", "web", "-n", namespace, check=False).returncode != 0,
               message="the ReplicaSet deleted in the foreground stays")
    assert pods_of(kubectl, namespace) == []


def test_deleting_a_namespace_deletes_what_is_inside(kubectl):
    name = "doomed-" + str(int(time.time() * 1000) % 100000)
    kubectl("create", "namespace", name)
    kubectl("create", "configmap", "settings", "-n", name, "--from-literal=a=b")
    kubectl("create", "secret", "generic", "token", "-n", name, "--from-literal=t=x")
    kubectl("apply", "-f", "-", input=replicaset_manifest(name))
    eventually(lambda: len(pods_of(kubectl, name)) == 2, message="the ReplicaSet did not create its pods")

    kubectl("delete", "namespace", name, timeout=60)
    result = kubectl.run("get", "namespace", name, check=False)
    assert result.returncode != 0 and "NotFound" in result.stderr
    assert kubectl.json("get", "pods", "-n", name)["items"] == []
    assert kubectl.json("get", "configmaps", "-n", name)["items"] == []


def test_every_namespace_gets_a_default_service_account_and_the_root_ca(kubectl, namespace, server):
    account = eventually(lambda: kubectl.run("get", "serviceaccount", "default", "-n", namespace, check=False).returncode == 0,
                         message="no default ServiceAccount")
    assert account
    configmap = eventually(lambda: kubectl.run("get", "configmap", "kube-root-ca.crt", "-n", namespace, "-o", "json",
                                               check=False).stdout, message="no kube-root-ca.crt")
    import json
    data = json.loads(configmap)["data"]["ca.crt"]
    assert data == Path(server.data_dir / "tls" / "ca.crt").read_text()
    kubectl("delete", "serviceaccount", "default", "-n", namespace)
    eventually(lambda: kubectl.run("get", "serviceaccount", "default", "-n", namespace, check=False).returncode == 0,
               message="the default ServiceAccount is not recreated")


def make_node(core, name):
    node = client.V1Node(metadata=client.V1ObjectMeta(name=name))
    core.create_node(node)


def set_pod_status(core, namespace, name, ip, ready):
    status = "True" if ready else "False"
    core.patch_namespaced_pod_status(name, namespace, {"status": {
        "phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}],
        "conditions": [{"type": "Ready", "status": status, "lastTransitionTime": now_rfc3339()},
                       {"type": "ContainersReady", "status": status, "lastTransitionTime": now_rfc3339()}]}})


def test_endpoints_and_slices_follow_pod_readiness(kubectl, namespace, api):
    core = client.CoreV1Api(api)
    node = "node-" + namespace[-20:].lstrip("-")
    make_node(core, node)
    kubectl("apply", "-f", "-", input=f"""apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: {namespace}
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: v1
kind: Pod
metadata:
  name: web-0
  namespace: {namespace}
  labels:
    app: web
spec:
  nodeName: {node}
  containers:
  - name: app
    image: busybox
    ports:
    - name: http
      containerPort: 8080
""")
    set_pod_status(core, namespace, "web-0", "10.42.0.7", ready=True)

    def endpoints():
        return kubectl.json("get", "endpoints", "web", "-n", namespace).get("subsets") or []

    subsets = eventually(lambda: [s for s in endpoints() if s.get("addresses")], message="no ready address")
    assert subsets[0]["addresses"][0]["ip"] == "10.42.0.7"
    assert subsets[0]["addresses"][0]["nodeName"] == node
    assert subsets[0]["addresses"][0]["targetRef"]["name"] == "web-0"
    assert subsets[0]["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]

    def slices():
        return kubectl.json("get", "endpointslices", "-n", namespace, "-l", "kubernetes.io/service-name=web")["items"]

    def slice_endpoints():
        return [e for s in slices() for e in (s.get("endpoints") or [])]

    eventually(lambda: slice_endpoints() and slice_endpoints()[0]["conditions"].get("ready") is True,
               message="the EndpointSlice never shows the ready pod")
    slice_ = slices()[0]
    assert slice_["addressType"] == "IPv4"
    assert slice_["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io"
    assert slice_["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]
    assert slice_endpoints()[0]["addresses"] == ["10.42.0.7"]

    set_pod_status(core, namespace, "web-0", "10.42.0.7", ready=False)
    eventually(lambda: any(s.get("notReadyAddresses") for s in endpoints()) and not any(s.get("addresses") for s in endpoints()),
               message="the not-ready pod stays among ready addresses")
    eventually(lambda: slice_endpoints() and slice_endpoints()[0]["conditions"] == {"ready": False, "serving": False, "terminating": False},
               message="the EndpointSlice still shows the pod ready")
    core.delete_node(node)


def test_a_node_whose_lease_stops_becomes_unknown_and_tainted(private_server):
    server = private_server("--node-monitor-grace-period", "3s", "--node-monitor-period", "500ms")
    kubectl = Kubectl(server)
    api = python_client(server)
    core = client.CoreV1Api(api)
    coordination = client.CoordinationV1Api(api)
    make_node(core, "silent")

    def heartbeat():
        core.patch_node_status("silent", {"status": {"conditions": [{
            "type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status",
            "lastHeartbeatTime": now_rfc3339(), "lastTransitionTime": now_rfc3339()}]}})

    def renew():
        body = {"metadata": {"name": "silent", "namespace": "kube-node-lease"},
                "spec": {"holderIdentity": "silent", "leaseDurationSeconds": 40, "renewTime": now_rfc3339(micro=True)}}
        try:
            coordination.replace_namespaced_lease("silent", "kube-node-lease", body)
        except ApiException as error:
            if error.status != 404:
                raise
            coordination.create_namespaced_lease("kube-node-lease", body)

    heartbeat()
    renew()
    kubectl("apply", "-f", "-", input="""apiVersion: v1
kind: Pod
metadata:
  name: stranded
  namespace: default
spec:
  nodeName: silent
  tolerations:
  - key: node.kubernetes.io/unreachable
    operator: Exists
    effect: NoExecute
    tolerationSeconds: 2
  containers:
  - name: app
    image: busybox
""")
    set_pod_status(core, "default", "stranded", "10.42.0.9", ready=True)
    # Renewed Leases keep the node Ready past the grace period.
    for _ in range(8):
        renew()
        time.sleep(0.5)
    node = kubectl.json("get", "node", "silent")
    ready = [c for c in node["status"]["conditions"] if c["type"] == "Ready"][0]
    assert ready["status"] == "True"

    # Then the heartbeats stop.
    def unknown():
        conditions = kubectl.json("get", "node", "silent")["status"]["conditions"]
        return [c for c in conditions if c["type"] == "Ready" and c["status"] == "Unknown"]
    ready = eventually(unknown, timeout=15, message="the silent node stays Ready")[0]
    assert ready["reason"] == "NodeStatusUnknown"
    assert ready["message"] == "Kubelet stopped posting node status."

    def taints():
        return {(t["key"], t["effect"]) for t in kubectl.json("get", "node", "silent")["spec"].get("taints") or []}
    eventually(lambda: {("node.kubernetes.io/unreachable", "NoExecute"),
                        ("node.kubernetes.io/unreachable", "NoSchedule")} <= taints(),
               message="the silent node is not tainted unreachable")

    # Its pod is marked not ready, then evicted once its toleration runs out.
    def evicted():
        try:
            pod = core.read_namespaced_pod("stranded", "default")
        except ApiException as error:
            return error.status == 404
        return pod.metadata.deletion_timestamp is not None
    eventually(evicted, timeout=15, message="the pod on the silent node is not evicted")
    pod = core.read_namespaced_pod("stranded", "default")
    conditions = {c.type: c for c in pod.status.conditions}
    assert conditions["Ready"].status == "False"
    assert conditions["DisruptionTarget"].reason == "DeletionByTaintManager"
