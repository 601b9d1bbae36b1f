"""Hollow nodes (`skiff hollow-nodes`): simulated kubelets that register Nodes, renew Leases and
run pods bound to them, checked with upstream kubectl and the Python client."""
import ipaddress
import json
import time

import pytest

from conftest import HollowNodes, wait_until


def lease_renew_times(kubectl, names):
    leases = kubectl.json("get", "leases", "-n", "kube-node-lease")["items"]
    times = {lease["metadata"]["name"]: lease["spec"].get("renewTime") for lease in leases}
    return {name: times.get(name) for name in names}


@pytest.fixture(scope="module")
def server(cluster):
    """The tests of this module run on the session's cluster of hollow nodes."""
    return cluster.server


def test_nodes_register_ready_with_upstream_columns(cluster, kubectl):
    nodes = cluster.nodes
    lines = kubectl("get", "nodes").strip().splitlines()
    assert lines[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    for name in nodes.names:
        assert rows[name][1] == "Ready"
        assert rows[name][2] == "<none>"
        assert rows[name][4].startswith("v1.36.0-skiff-hollow")
    wide = kubectl("get", "nodes", "-o", "wide").strip().splitlines()
    assert wide[0].split()[:6] == ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP"]
    node = kubectl.json("get", "node", nodes.names[0])
    assert node["metadata"]["labels"]["kubernetes.io/hostname"] == nodes.names[0]
    assert node["metadata"]["labels"]["node.kubernetes.io/instance-type"] == "hollow"
    assert node["status"]["allocatable"]["pods"] == "110"
    assert node["status"]["capacity"]["cpu"] == "4"
    assert {a["type"] for a in node["status"]["addresses"]} == {"InternalIP", "Hostname"}


def test_bound_pod_becomes_running_and_ready(cluster, kubectl, namespace):
    nodes = cluster.nodes
    node_name = nodes.names[1]
    kubectl("apply", "-f", "-", input=json.dumps({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": namespace},
        "spec": {"nodeName": node_name, "containers": [{"name": "nginx", "image": "nginx:1.27"}]}}))
    kubectl("wait", "--for=condition=Ready", "pod/web", "-n", namespace, "--timeout=30s")
    pod = kubectl.json("get", "pod", "web", "-n", namespace)
    assert pod["status"]["phase"] == "Running"
    cidr = kubectl.json("get", "node", node_name)["spec"]["podCIDR"]
    assert ipaddress.ip_address(pod["status"]["podIP"]) in ipaddress.ip_network(cidr)
    status = pod["status"]["containerStatuses"][0]
    assert status["ready"] and status["started"] and status["restartCount"] == 0
    assert status["containerID"].startswith("hollow://")
    assert "running" in status["state"]
    row = kubectl("get", "pod", "web", "-n", namespace, "--no-headers").split()
    assert row[1:3] == ["1/1", "Running"]


def test_exit_code_pod_with_restart_policy_never_fails(cluster, kubectl, namespace):
    nodes = cluster.nodes
    kubectl("apply", "-f", "-", input=json.dumps({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "fails", "namespace": namespace},
        "spec": {"nodeName": nodes.names[2], "restartPolicy": "Never",
                 "containers": [{"name": "main", "image": "busybox", "command": ["sh", "-c", "exit 3"]}]}}))
    kubectl("wait", "--for=jsonpath={.status.phase}=Failed", "pod/fails", "-n", namespace, "--timeout=30s")
    pod = kubectl.json("get", "pod", "fails", "-n", namespace)
    terminated = pod["status"]["containerStatuses"][0]["state"]["terminated"]
    assert terminated["exitCode"] == 3 and terminated["reason"] == "Error"
    row = kubectl("get", "pod", "fails", "-n", namespace, "--no-headers").split()
    assert row[2] == "Error"


def test_deleted_pod_goes_away(cluster, kubectl, namespace):
    nodes = cluster.nodes
    kubectl("apply", "-f", "-", input=json.dumps({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "gone", "namespace": namespace},
        "spec": {"nodeName": nodes.names[0], "containers": [{"name": "main", "image": "busybox", "command": ["sleep", "3600"]}]}}))
    kubectl("wait", "--for=condition=Ready", "pod/gone", "-n", namespace, "--timeout=30s")
    started = time.time()
    kubectl("delete", "pod", "gone", "-n", namespace, "--wait=true", "--timeout=30s")
    assert time.time() - started < 10


def test_stopping_nodes_stops_lease_renewal(server, kubectl):
    # Leases renewed every 2 s (a quarter of the duration, as the kubelet does).
    nodes = HollowNodes(server, "beat-", 3, "--node-lease-duration-seconds", "8")
    try:
        wait_until(lambda: "leases: " + nodes.tail(), lambda: all(lease_renew_times(kubectl, nodes.names).values()))
        first = lease_renew_times(kubectl, nodes.names)
        wait_until("leases renewed", lambda: all(lease_renew_times(kubectl, nodes.names)[n] != first[n] for n in nodes.names),
                   timeout=10)

        # One node stopped through the stop file and SIGUSR1; the others go on.
        nodes.stop_nodes("beat-0")
        time.sleep(1)
        stopped = lease_renew_times(kubectl, nodes.names)
        wait_until("other leases renewed",
                   lambda: all(lease_renew_times(kubectl, nodes.names)[n] != stopped[n] for n in ["beat-1", "beat-2"]),
                   timeout=10)
        time.sleep(2.5)
        assert lease_renew_times(kubectl, nodes.names)["beat-0"] == stopped["beat-0"]

        # Stopping the process stops every heartbeat.
        nodes.stop()
        assert nodes.process.returncode == 0, nodes.tail()
        final = lease_renew_times(kubectl, nodes.names)
        time.sleep(5)
        assert lease_renew_times(kubectl, nodes.names) == final
    finally:
        nodes.stop()
        # Dead nodes would otherwise take pods of later tests on this shared server.
        kubectl("delete", "nodes", *nodes.names, "--ignore-not-found")
