"""Durability and concurrency: acknowledged writes survive kill -9, and concurrent
read-modify-write with retry on 409 loses no increment."""
import threading
import time

from kubernetes import client
from kubernetes.client.rest import ApiException

from conftest import python_client


def configmap(name, data, resource_version=None):
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, resource_version=resource_version), data=data)


def test_acknowledged_writes_survive_kill_minus_nine(private_server):
    server = private_server()
    acknowledged_creates = {}
    acknowledged_counters = {}
    highest_revision = 0
    lock = threading.Lock()
    for name in ["shared-0", "shared-1"]:
        client.CoreV1Api(python_client(server)).create_namespaced_config_map("default", configmap(name, {"n": "0"}))
        acknowledged_counters[name] = 0

    def burst(worker, round_number, stop):
        nonlocal highest_revision
        core = client.CoreV1Api(python_client(server))
        sequence = 0
        while not stop.is_set():
            sequence += 1
            try:
                name = f"w{worker}-r{round_number}-{sequence}"
                created = core.create_namespaced_config_map("default", configmap(name, {"seq": str(sequence)}))
                shared = f"shared-{worker % 2}"
                current = core.read_namespaced_config_map(shared, "default")
                value = int(current.data["n"]) + 1
                current.data["n"] = str(value)
                updated = core.replace_namespaced_config_map(shared, "default", current)
                with lock:
                    acknowledged_creates[name] = str(sequence)
                    acknowledged_counters[shared] = max(acknowledged_counters[shared], value)
                    highest_revision = max(highest_revision, int(created.metadata.resource_version),
                                           int(updated.metadata.resource_version))
            except ApiException as error:
                if error.status == 409:
                    continue
                return
            except Exception:
                return

    for round_number in range(10):
        stop = threading.Event()
        workers = [threading.Thread(target=burst, args=(worker, round_number, stop)) for worker in range(4)]
        for worker in workers:
            worker.start()
        time.sleep(0.8)
        server.kill()
        stop.set()
        for worker in workers:
            worker.join(timeout=30)
        server.start()

    core = client.CoreV1Api(python_client(server))
    stored = {item.metadata.name: item for item in core.list_namespaced_config_map("default").items}
    assert len(acknowledged_creates) > 20, "the burst produced too few writes to mean anything"
    missing = [name for name in acknowledged_creates if name not in stored]
    assert not missing, f"acknowledged creates lost after kill -9: {missing[:5]}"
    for name, value in acknowledged_creates.items():
        assert stored[name].data["seq"] == value
    for name, value in acknowledged_counters.items():
        assert int(stored[name].data["n"]) >= value, f"{name} went back from {value} to {stored[name].data['n']}"
    listed_revision = int(core.list_namespaced_config_map("default").metadata.resource_version)
    assert listed_revision >= highest_revision


def test_concurrent_read_modify_write_increments_are_exact(server, namespace):
    core = client.CoreV1Api(python_client(server))
    core.create_namespaced_config_map(namespace, configmap("counter", {"n": "0"}))
    errors = []

    def increment_many():
        api = client.CoreV1Api(python_client(server))
        for _ in range(250):
            while True:
                current = api.read_namespaced_config_map("counter", namespace)
                current.data["n"] = str(int(current.data["n"]) + 1)
                try:
                    api.replace_namespaced_config_map("counter", namespace, current)
                    break
                except ApiException as error:
                    if error.status != 409:
                        errors.append(error)
                        return

    threads = [threading.Thread(target=increment_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert core.read_namespaced_config_map("counter", namespace).data["n"] == "2000"
