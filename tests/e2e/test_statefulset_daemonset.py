"""StatefulSets and DaemonSets end to end: upstream kubectl drives them, the official Python client
checks them, and hollow nodes (`skiff hollow-nodes`) run their pods: the session's cluster for
the StatefulSet, nodes of the test's own for the DaemonSet to follow as they come and go."""
import pytest
from kubernetes import client

from conftest import HollowNodes, PodEvents, is_ready, wait_until
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
        readinessProbe:
          httpGet: {path: /, port: 80}
          initialDelaySeconds: 1
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


@pytest.fixture(scope="module")
def server(cluster):
    """The tests of this module run on the session's cluster of hollow nodes."""
    return cluster.server


@pytest.fixture
def core(api):
    return client.CoreV1Api(api)


@pytest.fixture
def apps(api):
    return client.AppsV1Api(api)


def first_index(events, predicate):
    return next((i for i, (kind, pod) in enumerate(events) if predicate(kind, pod)), None)


def test_statefulset_comes_up_in_order_and_rolls_out(server, kubectl, namespace, core, apps):
    with PodEvents(server, namespace) as recorded:
        kubectl("apply", "-n", namespace, "-f", "-", input=STATEFULSET)
        out = kubectl("rollout", "status", "statefulset/web", "-n", namespace, "--timeout=60s", timeout=90)
        assert "roll out complete" in out or "rolling update complete" in out
        created = recorded.wait_for("web-2 ready in the pod events", lambda events: any(
            pod["metadata"]["name"] == "web-2" and is_ready(pod) for _, pod in events))

    # Each pod appears only after the one before it is Running and Ready (it turns Ready a second
    # after it starts running, when its readiness probe's initial delay is over).
    def added(name):
        return first_index(created, lambda kind, pod: kind == "ADDED" and pod["metadata"]["name"] == name)

    def ready(name):
        return first_index(created, lambda kind, pod: pod["metadata"]["name"] == name and is_ready(pod))

    def running_unready(name):
        return first_index(created, lambda kind, pod: pod["metadata"]["name"] == name
                           and pod["status"].get("phase") == "Running" and not is_ready(pod))

    for ordinal in range(3):
        name = f"web-{ordinal}"
        assert added(name) is not None and ready(name) is not None, created
        assert running_unready(name) is not None and running_unready(name) < ready(name)
        if ordinal:
            assert added(name) > ready(f"web-{ordinal - 1}"), f"{name} created before web-{ordinal - 1} was ready"

    for ordinal in range(3):
        name = f"web-{ordinal}"
        pod = core.read_namespaced_pod(name, namespace)
        assert pod.metadata.labels["statefulset.kubernetes.io/pod-name"] == name
        assert pod.metadata.labels["apps.kubernetes.io/pod-index"] == str(ordinal)
        assert pod.spec.hostname == name and pod.spec.subdomain == "nginx"
        assert pod.spec.node_name.startswith("hollow-") and pod.status.phase == "Running"
        claim = core.read_namespaced_persistent_volume_claim(f"www-{name}", namespace)
        assert claim.spec.access_modes == ["ReadWriteOnce"]
        assert claim.metadata.creation_timestamp <= pod.metadata.creation_timestamp
        volumes = {v.name: v for v in pod.spec.volumes}
        assert volumes["www"].persistent_volume_claim.claim_name == f"www-{name}"
    # One claim per pod. Skiff binds no volumes yet and schedules the pods anyway (the claims stay
    # Pending); upstream's scheduler would keep the pods Pending until a volume is bound.
    claims = sorted(c.metadata.name for c in core.list_namespaced_persistent_volume_claim(namespace).items)
    assert claims == ["www-web-0", "www-web-1", "www-web-2"]
    status = apps.read_namespaced_stateful_set("web", namespace).status
    assert status.ready_replicas == 3 and status.current_revision == status.update_revision
    assert [r.metadata.name for r in apps.list_namespaced_controller_revision(namespace).items] == [status.update_revision]

    # A rolling update replaces the pods one at a time from the highest ordinal down.
    first_pods = {p.metadata.name: p.metadata.uid for p in core.list_namespaced_pod(namespace).items}
    with PodEvents(server, namespace) as recorded:
        kubectl("set", "image", "statefulset/web", "nginx=nginx:1.26", "-n", namespace)
        out = kubectl("rollout", "status", "statefulset/web", "-n", namespace, "--timeout=90s", timeout=120)
        assert "3 new pods have been updated" in out or "rolling update complete" in out
        def replacements(events):
            return [pod["metadata"]["name"] for kind, pod in events
                    if kind == "ADDED" and pod["metadata"]["uid"] not in first_pods.values()]
        events = recorded.wait_for("three replacement pods in the pod events", lambda events: len(replacements(events)) >= 3)
    assert replacements(events) == ["web-2", "web-1", "web-0"]

    def replacement(name, predicate):
        return first_index(events, lambda kind, pod: pod["metadata"]["name"] == name
                           and pod["metadata"]["uid"] != first_pods[name] and predicate(kind, pod))
    for higher, lower in [("web-2", "web-1"), ("web-1", "web-0")]:
        assert replacement(lower, lambda kind, pod: kind == "ADDED") > replacement(higher, lambda kind, pod: is_ready(pod)), \
            f"{lower} replaced before the new {higher} was ready"
    pods = core.list_namespaced_pod(namespace).items
    assert sorted(p.metadata.name for p in pods) == ["web-0", "web-1", "web-2"]
    assert {p.spec.containers[0].image for p in pods} == {"nginx:1.26"}
    assert all(p.metadata.uid != first_pods[p.metadata.name] and p.status.phase == "Running" for p in pods)
    assert all({v.name: v for v in p.spec.volumes}["www"].persistent_volume_claim.claim_name == f"www-{p.metadata.name}"
               for p in pods), "a replacement pod keeps its predecessor's claim"
    status = wait_until("current revision moved", lambda: (
        (s := apps.read_namespaced_stateful_set("web", namespace).status).current_revision == s.update_revision and s))
    assert status.updated_replicas == 3
    assert len(apps.list_namespaced_controller_revision(namespace).items) == 2
    history = kubectl("rollout", "history", "statefulset/web", "-n", namespace)
    assert "REVISION" in history
    # The claims outlive the pods that were replaced.
    claims = sorted(c.metadata.name for c in core.list_namespaced_persistent_volume_claim(namespace).items)
    assert claims == ["www-web-0", "www-web-1", "www-web-2"]


def test_daemonset_follows_nodes_and_rolls_out(server, kubectl, namespace, core, apps):
    pool = namespace
    prefix = namespace + "-"
    # The pool's nodes; the session's hollow-* nodes are not in it and get no pod.
    nodes = HollowNodes(server, prefix, 3, "--node-label", f"e2e-pool={pool}")
    added = None
    try:
        nodes.wait_ready()
        first, second, third = nodes.names
        kubectl("apply", "-n", namespace, "-f", "-", input=DAEMONSET % {"pool": pool})

        def live_pods():
            return [p for p in core.list_namespaced_pod(namespace).items if not p.metadata.deletion_timestamp]

        def nodes_with_running_pods():
            return sorted(p.spec.node_name for p in live_pods() if p.status.phase == "Running")

        def rolled_out(desired):
            out = kubectl("rollout", "status", "daemonset/agent", "-n", namespace, "--timeout=60s", timeout=90)
            assert "successfully rolled out" in out
            status = apps.read_namespaced_daemon_set("agent", namespace).status
            assert (status.desired_number_scheduled, status.current_number_scheduled, status.number_ready,
                    status.number_available, status.number_misscheduled) == (desired, desired, desired, desired, 0)

        rolled_out(3)
        assert nodes_with_running_pods() == sorted([first, second, third])
        pod = live_pods()[0]
        keys = {t.key for t in pod.spec.tolerations if t.key}
        assert {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "node.kubernetes.io/unschedulable"} <= keys
        assert pod.metadata.labels.get("controller-revision-hash")
        affinity = pod.spec.affinity.node_affinity.required_during_scheduling_ignored_during_execution
        assert affinity.node_selector_terms[0].match_fields[0].key == "metadata.name"

        # A node joins the pool: it gets a pod.
        added = HollowNodes(server, prefix, 1, "--node-label", f"e2e-pool={pool}", first_index=3)
        added.wait_ready()
        fourth = added.names[0]
        wait_until("a running pod on the added node",
                   lambda: nodes_with_running_pods() == sorted([first, second, third, fourth]))
        rolled_out(4)

        # A node leaves the pool: its pod is deleted, and stopped by its kubelet.
        kubectl("label", "node", first, "e2e-pool-")
        wait_until("the pod of the node that left gone",
                   lambda: sorted(p.spec.node_name for p in core.list_namespaced_pod(namespace).items)
                   == sorted([second, third, fourth]))
        rolled_out(3)

        # A new template rolls out node by node.
        kubectl("set", "image", "daemonset/agent", "agent=agent:2", "-n", namespace)
        rolled_out(3)
        live = live_pods()
        assert sorted(p.spec.node_name for p in live) == sorted([second, third, fourth])
        assert {p.spec.containers[0].image for p in live} == {"agent:2"}
        assert all(p.status.phase == "Running" for p in live)
        assert apps.read_namespaced_daemon_set("agent", namespace).status.updated_number_scheduled == 3
        assert len(apps.list_namespaced_controller_revision(namespace).items) == 2

        # A node is removed (its kubelet dies, then the Node is deleted): it no longer counts,
        # and no pod replaces its pod. That pod, bound to a node that is gone, is the pod
        # garbage collector's (after a 40 s quarantine, as upstream), not the DaemonSet's; until
        # then it would hold up a rolling update, which is why the update came first.
        added.stop()
        kubectl("delete", "node", fourth)
        wait_until("the removed node no longer desired",
                   lambda: apps.read_namespaced_daemon_set("agent", namespace).status.desired_number_scheduled == 2)
        rolled_out(2)
        assert sorted(p.spec.node_name for p in live_pods() if p.spec.node_name != fourth) == sorted([second, third])
    finally:
        nodes.stop()
        if added:
            added.stop()
        # Nodes of a stopped process would otherwise take pods of later tests on this server.
        kubectl("delete", "nodes", *nodes.names, f"{prefix}3", "--ignore-not-found")
