"""Deployments and ReplicaSets converge through the controller manager, as kubectl expects:
rollout status, image changes, undo, scale, pause/resume, restart, Recreate and cascading
deletion. The pods run on the session's hollow nodes (`skiff hollow-nodes`)."""
import time

import pytest

from conftest import PodEvents, is_ready, wait_until


@pytest.fixture(scope="module")
def server(cluster):
    """The tests of this module run on the session's cluster of hollow nodes."""
    return cluster.server

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: {replicas}
  strategy: {{type: {strategy}}}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers: [{{name: app, image: "busybox:1"}}]
"""


def deploy(kubectl, namespace, replicas=3, strategy="RollingUpdate"):
    kubectl("apply", "-n", namespace, "-f", "-", input=DEPLOYMENT.format(replicas=replicas, strategy=strategy))


def replica_sets(kubectl, namespace):
    items = kubectl.json("get", "rs", "-n", namespace)["items"]
    return {rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]: rs for rs in items}


def pods(kubectl, namespace, selector="app=web"):
    return kubectl.json("get", "pods", "-n", namespace, "-l", selector)["items"]


def assert_running_on_hollow_nodes(kubectl, namespace, pod_hash, count):
    """Once the old pods are gone, the namespace holds `count` pods of the ReplicaSet with this
    pod-template-hash, each Running and Ready on a hollow node."""
    def settled():
        current = pods(kubectl, namespace)
        return len(current) == count and all(p["metadata"]["labels"]["pod-template-hash"] == pod_hash for p in current) \
            and current
    current = wait_until(lambda: f"only the {count} pods of {pod_hash}: {pods(kubectl, namespace)}", settled)
    for pod in current:
        assert pod["spec"]["nodeName"].startswith("hollow-")
        assert pod["status"]["phase"] == "Running" and is_ready(pod)
        assert not pod["metadata"].get("deletionTimestamp")


def test_rollout_status_update_undo_and_history(server, kubectl, namespace):
    deploy(kubectl, namespace, replicas=4)
    out = kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
    assert 'deployment "web" successfully rolled out' in out
    assert_running_on_hollow_nodes(kubectl, namespace, replica_sets(kubectl, namespace)["1"]["metadata"]["labels"]["pod-template-hash"], 4)

    kubectl("set", "image", "deploy/web", "app=busybox:2", "-n", namespace)
    kubectl("annotate", "deploy/web", "kubernetes.io/change-cause=to busybox 2", "-n", namespace)
    out = kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
    assert "successfully rolled out" in out
    revisions = replica_sets(kubectl, namespace)
    assert set(revisions) == {"1", "2"}
    assert revisions["1"]["spec"]["replicas"] == 0 and revisions["2"]["spec"]["replicas"] == 4
    pod_hash = revisions["2"]["metadata"]["labels"]["pod-template-hash"]
    assert revisions["2"]["metadata"]["name"] == f"web-{pod_hash}"
    new_pods = pods(kubectl, namespace, f"pod-template-hash={pod_hash}")
    assert len(new_pods) == 4 and all(p["metadata"]["ownerReferences"][0]["kind"] == "ReplicaSet" for p in new_pods)
    assert all(p["spec"]["containers"][0]["image"] == "busybox:2" for p in new_pods)
    assert_running_on_hollow_nodes(kubectl, namespace, pod_hash, 4)

    history = kubectl("rollout", "history", "deploy/web", "-n", namespace)
    assert "to busybox 2" in history

    kubectl("rollout", "undo", "deploy/web", "-n", namespace)
    kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
    image = kubectl("get", "deploy/web", "-n", namespace, "-o", "jsonpath={.spec.template.spec.containers[0].image}")
    assert image == "busybox:1"
    revisions = replica_sets(kubectl, namespace)
    assert set(revisions) == {"2", "3"}, "the old ReplicaSet comes back as revision 3"
    assert revisions["3"]["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "1"
    assert_running_on_hollow_nodes(kubectl, namespace, revisions["3"]["metadata"]["labels"]["pod-template-hash"], 4)

    kubectl("rollout", "undo", "deploy/web", "-n", namespace, "--to-revision=2")
    kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
    assert kubectl("get", "deploy/web", "-n", namespace, "-o",
                   "jsonpath={.spec.template.spec.containers[0].image}") == "busybox:2"

    deployment = kubectl.json("get", "deploy/web", "-n", namespace)
    status = deployment["status"]
    assert (status["replicas"], status["updatedReplicas"], status["readyReplicas"], status["availableReplicas"]) == (4, 4, 4, 4)
    conditions = {c["type"]: c for c in status["conditions"]}
    assert conditions["Available"]["status"] == "True"
    assert conditions["Progressing"]["reason"] == "NewReplicaSetAvailable"
    assert status["observedGeneration"] == deployment["metadata"]["generation"]


def test_scale_pause_resume_restart(server, kubectl, namespace):
    deploy(kubectl, namespace, replicas=2)
    kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")

    kubectl("scale", "deploy/web", "--replicas=5", "-n", namespace)
    kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
    pod_hash = replica_sets(kubectl, namespace)["1"]["metadata"]["labels"]["pod-template-hash"]
    assert_running_on_hollow_nodes(kubectl, namespace, pod_hash, 5)
    kubectl("scale", "deploy/web", "--replicas=1", "-n", namespace)
    kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
    kubectl("wait", "--for=jsonpath={.status.replicas}=1", "deploy/web", "-n", namespace, "--timeout=30s")
    assert_running_on_hollow_nodes(kubectl, namespace, pod_hash, 1)

    kubectl("rollout", "pause", "deploy/web", "-n", namespace)
    kubectl("set", "image", "deploy/web", "app=busybox:3", "-n", namespace)
    kubectl("wait", "--for=jsonpath={.status.conditions[?(@.type=='Progressing')].reason}=DeploymentPaused",
            "deploy/web", "-n", namespace, "--timeout=30s")
    assert len(replica_sets(kubectl, namespace)) == 1, "a paused Deployment does not roll out"

    kubectl("rollout", "resume", "deploy/web", "-n", namespace)
    kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
    assert len(replica_sets(kubectl, namespace)) == 2

    kubectl("rollout", "restart", "deploy/web", "-n", namespace)
    kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
    revisions = replica_sets(kubectl, namespace)
    assert "kubectl.kubernetes.io/restartedAt" in revisions["3"]["spec"]["template"]["metadata"]["annotations"]


def test_recreate_replaces_all_pods_at_once(server, kubectl, namespace):
    with PodEvents(server, namespace) as recorded:
        deploy(kubectl, namespace, replicas=3, strategy="Recreate")
        kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
        kubectl("set", "image", "deploy/web", "app=busybox:2", "-n", namespace)
        kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
        new_hash = replica_sets(kubectl, namespace)["2"]["metadata"]["labels"]["pod-template-hash"]
        assert_running_on_hollow_nodes(kubectl, namespace, new_hash, 3)
    events = kubectl.json("get", "events", "-n", namespace, "--field-selector", "reason=ScalingReplicaSet")["items"]
    messages = [e["message"] for e in sorted(events, key=lambda e: e["metadata"]["creationTimestamp"])]
    down = next(i for i, m in enumerate(messages) if "from 3 to 0" in m)
    up = next(i for i, m in enumerate(messages) if m.startswith("Scaled up") and "from 0 to 3" in m and i > 0)
    assert down < up, messages

    # The new pods were created only once every old pod was gone (upstream waits for old pods
    # to stop running, not just for their deletion to start).
    events = recorded.wait_for("the new pods in the pod events", lambda events: sum(
        kind == "ADDED" and pod["metadata"]["labels"]["pod-template-hash"] == new_hash for kind, pod in events) == 3)
    old_alive, first_new = set(), None
    for index, (kind, pod) in enumerate(events):
        name = pod["metadata"]["name"]
        if pod["metadata"]["labels"]["pod-template-hash"] == new_hash:
            first_new = index if first_new is None else first_new
            assert not old_alive, f"{name} created while {old_alive} still ran"
        elif kind == "DELETED" or pod["status"].get("phase") in ("Succeeded", "Failed"):
            old_alive.discard(name)
        else:
            old_alive.add(name)
    assert first_new is not None

    # Foreground deletion: the Deployment goes only after its ReplicaSets and their pods.
    kubectl("delete", "deploy/web", "-n", namespace, "--cascade=foreground", "--timeout=60s")
    assert kubectl.json("get", "rs", "-n", namespace)["items"] == []
    assert pods(kubectl, namespace) == []


def test_deleting_a_deployment_removes_its_replicasets_and_pods(server, kubectl, namespace):
    deploy(kubectl, namespace, replicas=3)
    kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
    kubectl("set", "image", "deploy/web", "app=busybox:2", "-n", namespace)
    kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
    assert len(replica_sets(kubectl, namespace)) == 2
    kubectl("delete", "deploy/web", "-n", namespace)
    wait_until("the ReplicaSets deleted", lambda: kubectl.json("get", "rs", "-n", namespace)["items"] == [])
    wait_until("the pods stopped and deleted", lambda: pods(kubectl, namespace) == [])


def test_replicaset_keeps_its_pod_count(server, kubectl, namespace, api):
    from kubernetes import client
    kubectl("apply", "-n", namespace, "-f", "-", input="""\
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec:
  replicas: 3
  selector: {matchLabels: {app: rs}}
  template:
    metadata: {labels: {app: rs}}
    spec: {containers: [{name: app, image: busybox}]}
""")
    kubectl("wait", "--for=jsonpath={.status.readyReplicas}=3", "rs/rs", "-n", namespace, "--timeout=30s")
    core = client.CoreV1Api(api)
    victim = core.list_namespaced_pod(namespace, label_selector="app=rs").items[0].metadata.name
    # A graceful deletion: the pod's kubelet stops it, then it is gone, and replaced.
    core.delete_namespaced_pod(victim, namespace)
    kubectl("wait", "--for=delete", f"pod/{victim}", "-n", namespace, "--timeout=30s")
    kubectl("wait", "--for=jsonpath={.status.readyReplicas}=3", "rs/rs", "-n", namespace, "--timeout=30s")
    names = {p.metadata.name for p in core.list_namespaced_pod(namespace, label_selector="app=rs").items}
    assert victim not in names and len(names) == 3
    # An orphan with matching labels is adopted; the ReplicaSet then has one pod too many and
    # deletes the least valuable one, which is the new orphan (not yet scheduled, or ready for
    # the shortest time; creation times have one-second resolution, so make it strictly the newest).
    time.sleep(1.1)
    core.create_namespaced_pod(namespace, {"metadata": {"name": "orphan", "labels": {"app": "rs"}},
                                           "spec": {"containers": [{"name": "app", "image": "busybox"}]}})
    kubectl("wait", "--for=delete", "pod/orphan", "-n", namespace, "--timeout=30s")
    events = kubectl.json("get", "events", "-n", namespace, "--field-selector", "reason=SuccessfulDelete")["items"]
    assert any(e["message"] == "Deleted pod: orphan" for e in events)
    remaining = core.list_namespaced_pod(namespace, label_selector="app=rs").items
    assert {p.metadata.name for p in remaining} == names
