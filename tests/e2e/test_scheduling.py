"""The scheduler inside `skiff server` places pods on Nodes by their resources and taints, tells
why a pod fits nowhere as upstream words it, and places it as soon as a fitting node appears."""
import time

from kubernetes import client

from conftest import Kubectl, python_client, wait_until


def make_node(core, name, cpu="2", taints=None):
    core.create_node({"metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
                      "spec": {"taints": taints or []}})
    capacity = {"cpu": cpu, "memory": "4Gi", "pods": "110"}
    core.patch_node_status(name, {"status": {"capacity": capacity, "allocatable": capacity,
                                             "conditions": [{"type": "Ready", "status": "True"}]}})


def test_unschedulable_pod_waits_for_a_fitting_node(private_server):
    # A server of its own: the Nodes created here must not take pods of other tests.
    server = private_server()
    kubectl = Kubectl(server)
    core = client.CoreV1Api(python_client(server))
    make_node(core, "small-1")
    make_node(core, "small-2")
    make_node(core, "infra", cpu="16", taints=[{"key": "dedicated", "value": "infra", "effect": "NoSchedule"}])

    kubectl("create", "deployment", "web", "--image=busybox", "--replicas=4")
    def bound_web_pods():
        pods = core.list_namespaced_pod("default", label_selector="app=web").items
        bound = [p for p in pods if p.spec.node_name]
        return bound if len(bound) == 4 else None
    pods = wait_until("the web pods bound", bound_web_pods)
    assert {p.spec.node_name for p in pods} == {"small-1", "small-2"}, "the tainted node is left alone"

    core.create_namespaced_pod("default", {"metadata": {"name": "big"}, "spec": {"containers": [
        {"name": "big", "image": "busybox", "resources": {"requests": {"cpu": "3"}}}]}})
    event = wait_until("a FailedScheduling event", lambda: next((e for e in core.list_namespaced_event("default").items
                                   if e.reason == "FailedScheduling" and e.involved_object.name == "big"), None))
    assert event.message == ("0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, "
                             "2 Insufficient cpu. preemption: 0/3 nodes are available: "
                             "3 Preemption is not helpful for scheduling.")
    pod = core.read_namespaced_pod("big", "default")
    scheduled = next(c for c in pod.status.conditions if c.type == "PodScheduled")
    assert (scheduled.status, scheduled.reason) == ("False", "Unschedulable")

    make_node(core, "large", cpu="8")
    wait_until("big bound to large", lambda: core.read_namespaced_pod("big", "default").spec.node_name == "large")
    assert any(e.reason == "Scheduled" and e.involved_object.name == "big" and e.message == "Successfully assigned default/big to large"
               for e in core.list_namespaced_event("default").items)

    # A pod for another scheduler is left alone.
    core.create_namespaced_pod("default", {"metadata": {"name": "other"}, "spec": {
        "schedulerName": "someone-else", "containers": [{"name": "c", "image": "busybox"}]}})
    time.sleep(2)
    assert core.read_namespaced_pod("other", "default").spec.node_name is None
