"""Deployments and ReplicaSets converge through the controller manager, as kubectl expects:
rollout status, image changes, undo, scale, pause/resume, restart and Recreate. Pods are
reported ready by a simulated kubelet (tests/e2e/kubelet_simulator.py)."""
import json
import time

from conftest import python_client
from kubelet_simulator import KubeletSimulator

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


def test_rollout_status_update_undo_and_history(server, kubectl, namespace):
    with KubeletSimulator(python_client(server), namespace):
        deploy(kubectl, namespace, replicas=4)
        out = kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
        assert 'deployment "web" successfully rolled out' in out

        kubectl("set", "image", "deploy/web", "app=busybox:2", "-n", namespace)
        kubectl("annotate", "deploy/web", "kubernetes.io/change-cause=to busybox 2", "-n", namespace)
        out = kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
        assert "successfully rolled out" in out
        revisions = replica_sets(kubectl, namespace)
        assert set(revisions) == {"1", "2"}
        assert revisions["1"]["spec"]["replicas"] == 0 and revisions["2"]["spec"]["replicas"] == 4
        pod_hash = revisions["2"]["metadata"]["labels"]["pod-template-hash"]
        assert revisions["2"]["metadata"]["name"] == f"web-{pod_hash}"
        pods = kubectl.json("get", "pods", "-n", namespace, "-l", f"pod-template-hash={pod_hash}")["items"]
        assert len(pods) == 4 and all(p["metadata"]["ownerReferences"][0]["kind"] == "ReplicaSet" for p in pods)

        history = kubectl("rollout", "history", "deploy/web", "-n", namespace)
        assert "to busybox 2" in history

        kubectl("rollout", "undo", "deploy/web", "-n", namespace)
        kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
        image = kubectl("get", "deploy/web", "-n", namespace, "-o", "jsonpath={.spec.template.spec.containers[0].image}")
        assert image == "busybox:1"
        revisions = replica_sets(kubectl, namespace)
        assert set(revisions) == {"2", "3"}, "the old ReplicaSet comes back as revision 3"
        assert revisions["3"]["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "1"

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
    with KubeletSimulator(python_client(server), namespace):
        deploy(kubectl, namespace, replicas=2)
        kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")

        kubectl("scale", "deploy/web", "--replicas=5", "-n", namespace)
        kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
        assert len(kubectl.json("get", "pods", "-n", namespace, "-l", "app=web")["items"]) == 5
        kubectl("scale", "deploy/web", "--replicas=1", "-n", namespace)
        kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
        kubectl("wait", "--for=jsonpath={.status.replicas}=1", "deploy/web", "-n", namespace, "--timeout=30s")

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
    with KubeletSimulator(python_client(server), namespace):
        deploy(kubectl, namespace, replicas=3, strategy="Recreate")
        kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
        kubectl("set", "image", "deploy/web", "app=busybox:2", "-n", namespace)
        kubectl("rollout", "status", "deploy/web", "-n", namespace, "--timeout=60s")
        events = kubectl.json("get", "events", "-n", namespace, "--field-selector", "reason=ScalingReplicaSet")["items"]
        messages = [e["message"] for e in sorted(events, key=lambda e: e["metadata"]["creationTimestamp"])]
        down = next(i for i, m in enumerate(messages) if "from 3 to 0" in m)
        up = next(i for i, m in enumerate(messages) if m.startswith("Scaled up") and "from 0 to 3" in m and i > 0)
        assert down < up, messages


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
    kubectl("wait", "--for=jsonpath={.status.replicas}=3", "rs/rs", "-n", namespace, "--timeout=30s")
    core = client.CoreV1Api(api)
    victim = core.list_namespaced_pod(namespace, label_selector="app=rs").items[0].metadata.name
    core.delete_namespaced_pod(victim, namespace, grace_period_seconds=0)
    kubectl("wait", "--for=delete", f"pod/{victim}", "-n", namespace, "--timeout=30s")
    kubectl("wait", "--for=jsonpath={.status.replicas}=3", "rs/rs", "-n", namespace, "--timeout=30s")
    names = {p.metadata.name for p in core.list_namespaced_pod(namespace, label_selector="app=rs").items}
    assert victim not in names and len(names) == 3
    # An orphan with matching labels is adopted; the ReplicaSet then has one pod too many and
    # deletes the least valuable one, which is the new, unready orphan (creation times have
    # one-second resolution, so make it strictly the newest).
    time.sleep(1.1)
    core.create_namespaced_pod(namespace, {"metadata": {"name": "orphan", "labels": {"app": "rs"}},
                                           "spec": {"containers": [{"name": "app", "image": "busybox"}]}})
    kubectl("wait", "--for=delete", "pod/orphan", "-n", namespace, "--timeout=30s")
    events = kubectl.json("get", "events", "-n", namespace, "--field-selector", "reason=SuccessfulDelete")["items"]
    assert any(e["message"] == "Deleted pod: orphan" for e in events)
    assert len(core.list_namespaced_pod(namespace, label_selector="app=rs").items) == 3
