"""Cluster housekeeping with upstream kubectl and the Python client: cascading deletion by the
garbage collector (background and orphan), namespace deletion, the default ServiceAccount and
root CA in every namespace, Endpoints and EndpointSlices following pod readiness, a node whose
Lease stops being renewed turning Unknown, tainted, its pods evicted, and a hollow node that dies
having its Deployment's pods replaced on the other nodes.

The Endpoints and Lease tests keep hand-made Nodes and pod statuses on purpose: they are about
what the control plane does with exactly the readiness and heartbeats the test reports."""
import datetime
import time
from collections import Counter
from pathlib import Path

from kubernetes import client
from kubernetes.client.rest import ApiException

from conftest import Kubectl, is_ready, python_client, wait_until


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


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_dead_node_has_its_pods_replaced_on_other_nodes_after_the_toleration(private_server, hollow_nodes):
    """Upstream's sequence when a kubelet dies: after the node monitor grace period its node turns
    Unknown (kubectl: NotReady) and is tainted unreachable; its pods are marked not ready, and
    deleted by the taint eviction controller once their tolerationSeconds (the server's default,
    shortened here) run out; the ReplicaSet replaces them on the nodes that are left. The
    deleted pods stay Terminating, as nobody confirms their containers stopped, until the admin
    declares the node out of service and the pod garbage collector force-deletes them."""
    toleration = 3
    server = private_server("--node-monitor-grace-period", "6s", "--node-monitor-period", "500ms",
                            "--default-not-ready-toleration-seconds", str(toleration),
                            "--default-unreachable-toleration-seconds", str(toleration))
    kubectl = Kubectl(server)
    core = client.CoreV1Api(python_client(server))
    # Leases renewed every second, well within the 6 s grace period (a busy machine may delay some).
    nodes = hollow_nodes(server, "worker-", 3, "--node-lease-duration-seconds", "4")
    nodes.wait_ready()

    kubectl("create", "deployment", "web", "--image=busybox", "--replicas=6")
    kubectl("rollout", "status", "deploy/web", "--timeout=60s")
    pods = kubectl.json("get", "pods", "-l", "app=web")["items"]
    victim, _ = Counter(p["spec"]["nodeName"] for p in pods).most_common(1)[0]
    stranded = sorted(p["metadata"]["name"] for p in pods if p["spec"]["nodeName"] == victim)
    survivors = sorted(set(nodes.names) - {victim})
    for pod in pods:
        tolerations = {t["key"]: t for t in pod["spec"]["tolerations"]}
        assert tolerations["node.kubernetes.io/unreachable"]["tolerationSeconds"] == toleration

    nodes.stop_nodes(victim)

    def ready_condition():
        return next(c for c in kubectl.json("get", "node", victim)["status"]["conditions"] if c["type"] == "Ready")

    ready = wait_until("the dead node Unknown", lambda: (c := ready_condition())["status"] == "Unknown" and c, timeout=30)
    assert (ready["reason"], ready["message"]) == ("NodeStatusUnknown", "Kubelet stopped posting node status.")
    rows = {line.split()[0]: line.split()[1] for line in kubectl("get", "nodes", "--no-headers").splitlines()}
    assert rows == {victim: "NotReady", **{name: "Ready" for name in survivors}}

    def taints():
        return {(t["key"], t["effect"]): t for t in kubectl.json("get", "node", victim)["spec"].get("taints") or []}
    wait_until("the dead node tainted unreachable", lambda: {("node.kubernetes.io/unreachable", "NoExecute"),
                                                              ("node.kubernetes.io/unreachable", "NoSchedule")} <= set(taints()))
    tainted_at = parse_time(taints()[("node.kubernetes.io/unreachable", "NoExecute")]["timeAdded"])

    # Its pods are deleted once the toleration runs out (gracefully: they stay, Terminating).
    def evicted():
        current = {p.metadata.name: p for p in core.list_namespaced_pod("default", label_selector="app=web").items}
        return all(current[name].metadata.deletion_timestamp for name in stranded) and current
    current = wait_until("the dead node's pods evicted", evicted, timeout=30)
    for name in stranded:
        pod = current[name]
        conditions = {c.type: c for c in pod.status.conditions}
        assert conditions["Ready"].status == "False", "the node lifecycle controller marks them not ready"
        disruption = conditions["DisruptionTarget"]
        assert (disruption.status, disruption.reason) == ("True", "DeletionByTaintManager")
        waited = (disruption.last_transition_time - tainted_at).total_seconds()
        assert waited >= toleration - 1, f"{name} evicted {waited} s after the taint (whole-second times)"
    events = core.list_namespaced_event("default", field_selector="reason=TaintManagerEviction").items
    assert sorted(e.involved_object.name for e in events) == stranded
    assert {e.message for e in events} == {f"Marking for deletion Pod default/{name}" for name in stranded}

    # The Deployment is whole again, on the nodes that are left.
    kubectl("rollout", "status", "deploy/web", "--timeout=60s")
    status = kubectl.json("get", "deploy", "web")["status"]
    assert (status["replicas"], status["readyReplicas"], status["availableReplicas"]) == (6, 6, 6)
    pods = kubectl.json("get", "pods", "-l", "app=web")["items"]
    live = [p for p in pods if not p["metadata"].get("deletionTimestamp")]
    assert len(live) == 6
    assert all(p["spec"]["nodeName"] in survivors and p["status"]["phase"] == "Running" and is_ready(p) for p in live)
    assert sorted(p["metadata"]["name"] for p in pods if p["metadata"].get("deletionTimestamp")) == stranded

    # Declared out of service, the dead node's terminating pods are force-deleted by pod GC.
    kubectl("taint", "node", victim, "node.kubernetes.io/out-of-service=nodeshutdown:NoExecute")
    wait_until("the terminating pods garbage collected", lambda: not {p["metadata"]["name"] for p in
               kubectl.json("get", "pods", "-l", "app=web")["items"]} & set(stranded), timeout=60)
    assert len(kubectl.json("get", "pods", "-l", "app=web")["items"]) == 6
