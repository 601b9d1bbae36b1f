"""The scheduler inside `skiff server` places pods on Nodes by their resources and taints, tells
why a pod fits nowhere as upstream words it, and places it as soon as a fitting node appears.
The nodes are hollow nodes (`skiff hollow-nodes`) of different sizes, which then run the pods."""
import time

from kubernetes import client

from conftest import Kubectl, is_ready, python_client, wait_until


def test_unschedulable_pod_waits_for_a_fitting_node(private_server, hollow_nodes):
    # A server of its own: its nodes must not take pods of other tests, nor theirs these pods.
    server = private_server()
    kubectl = Kubectl(server)
    core = client.CoreV1Api(python_client(server))
    small = hollow_nodes(server, "small-", 2, "--cpu", "2")
    # Tainted from registration on (the kubelet's --register-with-taints), so no pod can land
    # there before the scheduler has seen the taint.
    infra = hollow_nodes(server, "infra-", 1, "--cpu", "16", "--register-with-taints", "dedicated=infra:NoSchedule")
    small.wait_ready()
    infra.wait_ready()

    kubectl("create", "deployment", "web", "--image=busybox", "--replicas=4")
    kubectl("rollout", "status", "deploy/web", "--timeout=60s")
    pods = core.list_namespaced_pod("default", label_selector="app=web").items
    assert len(pods) == 4
    assert {p.spec.node_name for p in pods} == {"small-0", "small-1"}, "the tainted node is left alone"
    assert all(p.status.phase == "Running" for p in pods)

    core.create_namespaced_pod("default", {"metadata": {"name": "big"}, "spec": {"containers": [
        {"name": "big", "image": "busybox", "resources": {"requests": {"cpu": "3"}}}]}})
    event = wait_until("a FailedScheduling event", lambda: next((e for e in core.list_namespaced_event("default").items
                                   if e.reason == "FailedScheduling" and e.involved_object.name == "big"), None))
    assert event.message == ("0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, "
                             "2 Insufficient cpu. preemption: 0/3 nodes are available: "
                             "3 Preemption is not helpful for scheduling.")
    def scheduled_condition():
        conditions = core.read_namespaced_pod("big", "default").status.conditions or []
        return next((c for c in conditions if c.type == "PodScheduled"), None)
    scheduled = wait_until("the PodScheduled condition", scheduled_condition)
    assert (scheduled.status, scheduled.reason) == ("False", "Unschedulable")

    # A node with room joins: the pod goes there and runs.
    hollow_nodes(server, "large-", 1, "--cpu", "8").wait_ready()
    wait_until("big bound to large-0", lambda: core.read_namespaced_pod("big", "default").spec.node_name == "large-0")
    assert any(e.reason == "Scheduled" and e.involved_object.name == "big"
               and e.message == "Successfully assigned default/big to large-0"
               for e in core.list_namespaced_event("default").items)
    kubectl("wait", "--for=condition=Ready", "pod/big", "--timeout=30s")
    assert is_ready(kubectl.json("get", "pod", "big"))

    # A pod for another scheduler is left alone.
    core.create_namespaced_pod("default", {"metadata": {"name": "other"}, "spec": {
        "schedulerName": "someone-else", "containers": [{"name": "c", "image": "busybox"}]}})
    time.sleep(2)
    other = core.read_namespaced_pod("other", "default")
    assert other.spec.node_name is None and other.status.phase == "Pending"


def test_pods_go_where_their_bound_volumes_are_reachable(private_server, hollow_nodes):
    server = private_server()
    kubectl = Kubectl(server)
    core = client.CoreV1Api(python_client(server))
    hollow_nodes(server, "zone-", 2).wait_ready()

    # A local volume on zone-1 only, bound to a claim (as a volume binder would leave them).
    kubectl("apply", "-f", "-", input="""
apiVersion: v1
kind: PersistentVolume
metadata: {name: local-data}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp/local-data}
  claimRef: {namespace: default, name: data}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: kubernetes.io/hostname, operator: In, values: [zone-1]}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
  volumeName: local-data
""")
    for name in ("a", "b", "c"):
        core.create_namespaced_pod("default", {"metadata": {"name": f"uses-data-{name}"}, "spec": {
            "containers": [{"name": "c", "image": "busybox"}],
            "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}]}})
    for name in ("a", "b", "c"):
        wait_until(f"uses-data-{name} bound",
                   lambda: core.read_namespaced_pod(f"uses-data-{name}", "default").spec.node_name)
        assert core.read_namespaced_pod(f"uses-data-{name}", "default").spec.node_name == "zone-1"

    # A claim that does not exist keeps the pod pending until it is created.
    core.create_namespaced_pod("default", {"metadata": {"name": "waits"}, "spec": {
        "containers": [{"name": "c", "image": "busybox"}],
        "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "later"}}]}})
    event = wait_until("a FailedScheduling event", lambda: next((e for e in core.list_namespaced_event("default").items
                                   if e.reason == "FailedScheduling" and e.involved_object.name == "waits"), None))
    assert 'persistentvolumeclaim "later" not found' in event.message
    assert core.read_namespaced_pod("waits", "default").spec.node_name is None
    kubectl("apply", "-f", "-", input="""
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: later}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
""")
    wait_until("waits bound once its claim exists", lambda: core.read_namespaced_pod("waits", "default").spec.node_name)
