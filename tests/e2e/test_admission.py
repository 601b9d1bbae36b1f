"""Admission and eviction with upstream kubectl and the Python client: priority from a
PriorityClass, the default tolerations and service account, PodDisruptionBudgets deciding
evictions of pods that run on hollow nodes, and a ResourceQuota refusing a pod it has no room for."""
import json
import time

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

from conftest import Kubectl, new_namespace, wait_until


def pod_manifest(name, namespace, extra_spec=""):
    return f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: {namespace}
  labels:
    app: web
spec:
  containers:
  - name: app
    image: busybox
{extra_spec}"""


def test_pod_gets_priority_from_its_class_and_the_default_tolerations(kubectl, namespace):
    class_name = namespace + "-high"
    kubectl("apply", "-f", "-", input=f"apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\n"
                                      f"metadata:\n  name: {class_name}\nvalue: 1000\npreemptionPolicy: Never\n")
    kubectl("apply", "-f", "-", input=pod_manifest("prioritized", namespace, f"  priorityClassName: {class_name}\n"))
    pod = kubectl.json("get", "pod", "prioritized", "-n", namespace)
    assert pod["spec"]["priority"] == 1000
    assert pod["spec"]["preemptionPolicy"] == "Never"
    assert pod["spec"]["serviceAccountName"] == "default"
    tolerations = {(t["key"], t["effect"]): t for t in pod["spec"]["tolerations"]}
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]:
        assert tolerations[(key, "NoExecute")]["operator"] == "Exists"
        assert tolerations[(key, "NoExecute")]["tolerationSeconds"] == 300

    system = kubectl.json("get", "priorityclass", "system-node-critical")
    assert system["value"] == 2000001000

    unknown = kubectl.run("apply", "-f", "-", input=pod_manifest("unknown", namespace, "  priorityClassName: nowhere\n"),
                          check=False)
    assert unknown.returncode != 0
    assert 'pods "unknown" is forbidden: no PriorityClass with name nowhere was found' in unknown.stderr


def test_toleration_seconds_follow_the_server_flags(private_server):
    server = private_server("--default-not-ready-toleration-seconds", "60",
                            "--default-unreachable-toleration-seconds", "90")
    kubectl = Kubectl(server)
    kubectl("apply", "-f", "-", input=pod_manifest("tolerant", "default"))
    pod = kubectl.json("get", "pod", "tolerant", "-n", "default")
    seconds = {t["key"]: t["tolerationSeconds"] for t in pod["spec"]["tolerations"]}
    assert seconds == {"node.kubernetes.io/not-ready": 60, "node.kubernetes.io/unreachable": 90}


def make_running_pod(kubectl, namespace, name):
    """A pod that a hollow node runs, Running and Ready."""
    kubectl("apply", "-f", "-", input=pod_manifest(name, namespace))
    kubectl("wait", "--for=condition=Ready", f"pod/{name}", "-n", namespace, "--timeout=30s")


def evict(core, namespace, name):
    return core.create_namespaced_pod_eviction(
        name, namespace, client.V1Eviction(metadata=client.V1ObjectMeta(name=name, namespace=namespace)))


def wait_for_budget(policy, namespace, name, **expected):
    """The disruption controller keeps the budget's status; waits until it shows `expected`."""
    deadline = time.time() + 20
    status = None
    while time.time() < deadline:
        status = policy.read_namespaced_pod_disruption_budget(name, namespace).status
        if status and all(getattr(status, key) == value for key, value in expected.items()):
            return status
        time.sleep(0.1)
    raise AssertionError(f"budget status never reached {expected}: {status}")


def test_eviction_is_refused_while_the_budget_allows_no_disruption(cluster, request):
    # On the cluster with hollow nodes: a budget counts pods that run and are ready.
    kubectl = cluster.kubectl
    namespace = new_namespace(kubectl, request)
    api = cluster.api()
    core = client.CoreV1Api(api)
    policy = client.PolicyV1Api(api)
    make_running_pod(kubectl, namespace, "web-1")
    policy.create_namespaced_pod_disruption_budget(namespace, client.V1PodDisruptionBudget(
        metadata=client.V1ObjectMeta(name="web"),
        spec=client.V1PodDisruptionBudgetSpec(min_available=1, selector=client.V1LabelSelector(match_labels={"app": "web"}))))

    # One healthy pod and one needed: the controller allows no disruption.
    wait_for_budget(policy, namespace, "web", current_healthy=1, desired_healthy=1, expected_pods=1, disruptions_allowed=0)
    with pytest.raises(ApiException) as refused:
        evict(core, namespace, "web-1")
    assert refused.value.status == 429
    body = json.loads(refused.value.body)
    assert body["reason"] == "TooManyRequests"
    assert body["message"] == "Cannot evict pod as it would violate the pod's disruption budget."
    assert body["details"]["causes"] == [{"reason": "DisruptionBudget",
                                          "message": "The disruption budget web needs 1 healthy pods and has 1 currently"}]
    pod = core.read_namespaced_pod("web-1", namespace)
    assert pod.metadata.deletion_timestamp is None and pod.status.phase == "Running"

    # A lower budget lets the eviction through: a graceful deletion, which the pod's kubelet
    # finishes by stopping it.
    policy.patch_namespaced_pod_disruption_budget("web", namespace, {"spec": {"minAvailable": 0}})
    wait_for_budget(policy, namespace, "web", desired_healthy=0, disruptions_allowed=1)
    evict(core, namespace, "web-1")
    kubectl("wait", "--for=delete", "pod/web-1", "-n", namespace, "--timeout=30s")
    with pytest.raises(ApiException) as gone:
        core.read_namespaced_pod("web-1", namespace)
    assert gone.value.status == 404
    wait_for_budget(policy, namespace, "web", expected_pods=0, disruptions_allowed=0)


def test_a_full_quota_refuses_the_next_pod(kubectl, api, namespace):
    kubectl("create", "quota", "pods", "-n", namespace, "--hard=pods=1")
    core = client.CoreV1Api(api)
    # The quota controller fills the status that admission reads (upstream admits nothing
    # against a quota whose status has not been calculated yet).
    def calculated():
        status = core.read_namespaced_resource_quota("pods", namespace).status
        return status and status.hard == {"pods": "1"} and status.used == {"pods": "0"}
    wait_until("the quota's status calculated", calculated)

    kubectl("run", "first", "-n", namespace, "--image=busybox", "--restart=Never")
    assert core.read_namespaced_resource_quota("pods", namespace).status.used == {"pods": "1"}
    second = kubectl.run("run", "second", "-n", namespace, "--image=busybox", "--restart=Never", check=False)
    assert second.returncode != 0
    assert ('Error from server (Forbidden): pods "second" is forbidden: exceeded quota: pods, '
            'requested: pods=1, used: pods=1, limited: pods=1') in second.stderr
