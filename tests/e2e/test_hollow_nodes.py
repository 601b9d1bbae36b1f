"""Hollow nodes (`skiff hollow-nodes`): simulated kubelets that register Nodes, renew Leases and
run pods bound to them, checked with upstream kubectl and the Python client."""
import ipaddress
import json
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import SKIFF, Kubectl, make_server


class HollowNodes:
    """One `skiff hollow-nodes` process against a server."""

    def __init__(self, server, prefix: str, count: int, *extra_args):
        self.server = server
        self.prefix = prefix
        self.count = count
        self.stop_file = server.data_dir / f"{prefix}stop.txt"
        self.log = open(server.data_dir / f"{prefix}hollow.log", "ab")
        self.process = subprocess.Popen(
            [SKIFF, "hollow-nodes", "--kubeconfig", server.kubeconfig, "--count", str(count),
             "--name-prefix", prefix, "--pod-cidr-fallback", "--pod-cidr-fallback-delay", "1",
             "--stop-file", str(self.stop_file), *extra_args],
            stdout=self.log, stderr=subprocess.STDOUT)

    @property
    def names(self):
        return [f"{self.prefix}{index}" for index in range(self.count)]

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=15)

    def tail(self) -> str:
        self.log.flush()
        return (self.server.data_dir / f"{self.prefix}hollow.log").read_text(errors="replace")[-3000:]


def wait_for(condition, timeout=30.0, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def lease_renew_times(kubectl, names):
    leases = kubectl.json("get", "leases", "-n", "kube-node-lease")["items"]
    times = {lease["metadata"]["name"]: lease["spec"].get("renewTime") for lease in leases}
    return {name: times.get(name) for name in names}


@pytest.fixture(scope="module")
def cluster():
    server = make_server()
    server.start()
    kubectl = Kubectl(server)
    nodes = HollowNodes(server, "hollow-", 3)
    try:
        def ready_nodes():
            items = kubectl.json("get", "nodes")["items"]
            return [n for n in items if n["metadata"]["name"].startswith("hollow-")
                    and n["spec"].get("podCIDR")
                    and any(c["type"] == "Ready" and c["status"] == "True" for c in n["status"]["conditions"])]
        wait_for(lambda: len(ready_nodes()) == 3, what="3 ready hollow nodes: " + nodes.tail())
        yield server, kubectl, nodes
    finally:
        nodes.stop()
        server.stop()
        shutil.rmtree(server.data_dir, ignore_errors=True)


@pytest.fixture
def namespace(cluster, request):
    _, kubectl, _ = cluster
    name = "hn-" + request.node.name.lower().replace("_", "-")[5:40].strip("-")
    kubectl("create", "namespace", name)
    return name


def test_nodes_register_ready_with_upstream_columns(cluster):
    _, kubectl, nodes = cluster
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


def test_bound_pod_becomes_running_and_ready(cluster, namespace):
    _, kubectl, nodes = cluster
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


def test_exit_code_pod_with_restart_policy_never_fails(cluster, namespace):
    _, kubectl, nodes = cluster
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


def test_deleted_pod_goes_away(cluster, namespace):
    _, kubectl, nodes = cluster
    kubectl("apply", "-f", "-", input=json.dumps({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "gone", "namespace": namespace},
        "spec": {"nodeName": nodes.names[0], "containers": [{"name": "main", "image": "busybox", "command": ["sleep", "3600"]}]}}))
    kubectl("wait", "--for=condition=Ready", "pod/gone", "-n", namespace, "--timeout=30s")
    started = time.time()
    kubectl("delete", "pod", "gone", "-n", namespace, "--wait=true", "--timeout=30s")
    assert time.time() - started < 10


def test_stopping_nodes_stops_lease_renewal(cluster):
    server, kubectl, _ = cluster
    # Leases renewed every 2 s (a quarter of the duration, as the kubelet does).
    nodes = HollowNodes(server, "beat-", 3, "--node-lease-duration-seconds", "8")
    try:
        wait_for(lambda: all(lease_renew_times(kubectl, nodes.names).values()), what="leases: " + nodes.tail())
        first = lease_renew_times(kubectl, nodes.names)
        wait_for(lambda: all(lease_renew_times(kubectl, nodes.names)[n] != first[n] for n in nodes.names),
                 timeout=10, what="leases renewed")

        # One node stopped through the stop file and SIGUSR1; the others go on.
        nodes.stop_file.write_text("# stopped by the test\nbeat-0\n")
        nodes.process.send_signal(signal.SIGUSR1)
        time.sleep(1)
        stopped = lease_renew_times(kubectl, nodes.names)
        wait_for(lambda: all(lease_renew_times(kubectl, nodes.names)[n] != stopped[n] for n in ["beat-1", "beat-2"]),
                 timeout=10, what="other leases renewed")
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
