"""StatefulSets and DaemonSets end to end: upstream kubectl drives them, the official Python client
plays the scheduler and the kubelets (binding pods to Node objects the test creates, reporting them
Running and Ready through the status subresource, finishing graceful deletions)."""
import datetime
import threading
import time

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

from conftest import wait_until

STATEFULSET = """\
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector: {app: web}
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
"""

DAEMONSET = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      nodeSelector:
        e2e-pool: "%(pool)s"
      tolerations:
      - operator: Exists
      containers:
      - name: agent
        image: agent:1
"""


def read_pod(core, namespace, name):
    try:
        return core.read_namespaced_pod(name, namespace)
    except ApiException as error:
        if error.status == 404:
            return None
        raise


def make_node(core, name, labels=None):
    core.create_node(client.V1Node(metadata=client.V1ObjectMeta(name=name, labels=labels or {})))
    return name


def pinned_node(pod):
    """The node a pod is bound to, or the one a DaemonSet pinned it to through node affinity."""
    if pod.spec.node_name:
        return pod.spec.node_name
    affinity = pod.spec.affinity
    if affinity and affinity.node_affinity and affinity.node_affinity.required_during_scheduling_ignored_during_execution:
        for term in affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_terms:
            for field in term.match_fields or []:
                if field.key == "metadata.name" and field.operator == "In":
                    return field.values[0]
    return None


class FakeKubelet:
    """Schedules and runs the pods of one namespace: binds each pod (to the node it is pinned to,
    or to `node`), reports it Running and Ready, and finishes graceful deletions."""

    def __init__(self, core, namespace, node=None):
        self.core = core
        self.namespace = namespace
        self.node = node
        self.stop = threading.Event()
        self.thread = None
        self.errors = []

    def start_pod(self, pod):
        name = pod.metadata.name
        if not pod.spec.node_name:
            target = pinned_node(pod) or self.node
            binding = client.V1Binding(metadata=client.V1ObjectMeta(name=name),
                                       target=client.V1ObjectReference(api_version="v1", kind="Node", name=target))
            try:
                self.core.create_namespaced_pod_binding(name, self.namespace, binding, _preload_content=False)
            except ApiException as error:
                if error.status not in (404, 409):  # gone, or bound meanwhile by a scheduler
                    raise
        ready = any(c.type == "Ready" and c.status == "True" for c in (pod.status.conditions or []))
        if pod.status.phase != "Running" or not ready:
            now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            body = {"status": {"phase": "Running", "podIP": "10.42.0.10",
                               "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": now}]}}
            try:
                self.core.patch_namespaced_pod_status(name, self.namespace, body)
            except ApiException as error:
                if error.status != 404:
                    raise

    def settle(self):
        for pod in self.core.list_namespaced_pod(self.namespace).items:
            if pod.metadata.deletion_timestamp:
                try:
                    self.core.delete_namespaced_pod(pod.metadata.name, self.namespace, grace_period_seconds=0)
                except ApiException as error:
                    if error.status != 404:
                        raise
            else:
                self.start_pod(pod)

    def _loop(self):
        while not self.stop.is_set():
            try:
                self.settle()
            except Exception as error:  # noqa: BLE001 - reported by the test
                self.errors.append(error)
            self.stop.wait(0.2)

    def __enter__(self):
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=10)
        assert not self.errors, self.errors


@pytest.fixture
def core(api):
    return client.CoreV1Api(api)


@pytest.fixture
def apps(api):
    return client.AppsV1Api(api)


def test_statefulset_comes_up_in_order_and_rolls_out(kubectl, namespace, core, apps):
    node = make_node(core, f"sts-{namespace}")
    kubelet = FakeKubelet(core, namespace, node)
    kubectl("apply", "-n", namespace, "-f", "-", input=STATEFULSET)

    for ordinal in range(3):
        name = f"web-{ordinal}"
        pod = wait_until(f"{name} created", lambda: read_pod(core, namespace, name))
        assert pod.metadata.labels["statefulset.kubernetes.io/pod-name"] == name
        assert pod.metadata.labels["apps.kubernetes.io/pod-index"] == str(ordinal)
        assert pod.spec.hostname == name and pod.spec.subdomain == "nginx"
        claim = core.read_namespaced_persistent_volume_claim(f"www-{name}", namespace)
        assert claim.spec.access_modes == ["ReadWriteOnce"]
        volumes = {v.name: v for v in pod.spec.volumes}
        assert volumes["www"].persistent_volume_claim.claim_name == f"www-{name}"
        # The next pod does not exist until this one is Running and Ready.
        time.sleep(0.5)
        assert read_pod(core, namespace, f"web-{ordinal + 1}") is None
        kubelet.start_pod(read_pod(core, namespace, name))

    out = kubectl("rollout", "status", "statefulset/web", "-n", namespace, "--timeout=60s")
    assert "roll out complete" in out or "rolling update complete" in out
    claims = sorted(c.metadata.name for c in core.list_namespaced_persistent_volume_claim(namespace).items)
    assert claims == ["www-web-0", "www-web-1", "www-web-2"]
    status = apps.read_namespaced_stateful_set("web", namespace).status
    assert status.ready_replicas == 3 and status.current_revision == status.update_revision
    assert [r.metadata.name for r in apps.list_namespaced_controller_revision(namespace).items] == [status.update_revision]

    kubectl("set", "image", "statefulset/web", "nginx=nginx:1.26", "-n", namespace)
    with kubelet:
        out = kubectl("rollout", "status", "statefulset/web", "-n", namespace, "--timeout=90s", timeout=120)
    assert "3 new pods have been updated" in out or "rolling update complete" in out
    pods = core.list_namespaced_pod(namespace).items
    assert sorted(p.metadata.name for p in pods) == ["web-0", "web-1", "web-2"]
    assert {p.spec.containers[0].image for p in pods} == {"nginx:1.26"}
    status = wait_until("current revision moved", lambda: (
        (s := apps.read_namespaced_stateful_set("web", namespace).status).current_revision == s.update_revision and s))
    assert status.updated_replicas == 3
    assert len(apps.list_namespaced_controller_revision(namespace).items) == 2
    history = kubectl("rollout", "history", "statefulset/web", "-n", namespace)
    assert "REVISION" in history


def test_daemonset_follows_nodes_and_rolls_out(kubectl, namespace, core, apps):
    pool = namespace
    labels = {"e2e-pool": pool}
    first = make_node(core, f"{pool}-a", labels)
    second = make_node(core, f"{pool}-b", labels)
    make_node(core, f"{pool}-other")  # not in the pool: no pod there
    kubectl("apply", "-n", namespace, "-f", "-", input=DAEMONSET % {"pool": pool})

    def nodes_with_pods():
        pods = core.list_namespaced_pod(namespace).items
        return sorted(pinned_node(p) for p in pods if not p.metadata.deletion_timestamp)

    wait_until("a pod per pool node", lambda: nodes_with_pods() == sorted([first, second]))
    pod = core.list_namespaced_pod(namespace).items[0]
    keys = {t.key for t in pod.spec.tolerations if t.key}
    assert {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "node.kubernetes.io/unschedulable"} <= keys
    assert pod.metadata.labels.get("controller-revision-hash")

    third = make_node(core, f"{pool}-c", labels)
    wait_until("a pod on the added node", lambda: nodes_with_pods() == sorted([first, second, third]))
    core.delete_node(first)
    wait_until("the removed node's pod gone", lambda: nodes_with_pods() == sorted([second, third]))

    kubelet = FakeKubelet(core, namespace)
    with kubelet:
        out = kubectl("rollout", "status", "daemonset/agent", "-n", namespace, "--timeout=60s")
        assert "successfully rolled out" in out
        status = apps.read_namespaced_daemon_set("agent", namespace).status
        assert status.desired_number_scheduled == 2 and status.number_ready == 2 and status.number_available == 2

        kubectl("set", "image", "daemonset/agent", "agent=agent:2", "-n", namespace)
        out = kubectl("rollout", "status", "daemonset/agent", "-n", namespace, "--timeout=90s", timeout=120)
        assert "successfully rolled out" in out
    live = [p for p in core.list_namespaced_pod(namespace).items if not p.metadata.deletion_timestamp]
    assert sorted(pinned_node(p) for p in live) == sorted([second, third])
    assert {p.spec.containers[0].image for p in live} == {"agent:2"}
    status = apps.read_namespaced_daemon_set("agent", namespace).status
    assert status.updated_number_scheduled == 2 and status.number_misscheduled == 0
    assert len(apps.list_namespaced_controller_revision(namespace).items) == 2
    for name in (second, third, f"{pool}-other"):
        core.delete_node(name)
