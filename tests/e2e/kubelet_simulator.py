"""A stand-in for kubelets while a test has no nodes: every pod in one namespace is reported
Running and Ready shortly after it appears, and pods being deleted are removed, as a kubelet
would after stopping their containers. Runs in a thread for the duration of a `with` block."""
import datetime
import threading

from kubernetes import client


class KubeletSimulator:
    def __init__(self, api_client, namespace: str, period: float = 0.2):
        self.core = client.CoreV1Api(api_client)
        self.namespace = namespace
        self.period = period
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=5)

    def _run(self):
        while not self.stopped.wait(self.period):
            try:
                self._step()
            except client.ApiException:
                pass  # a pod changed under us: the next step sees the new state

    def _step(self):
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        for pod in self.core.list_namespaced_pod(self.namespace).items:
            name = pod.metadata.name
            if pod.metadata.deletion_timestamp:
                self.core.delete_namespaced_pod(name, self.namespace, grace_period_seconds=0)
            elif pod.status.phase != "Running":
                ready = {"status": "True", "lastTransitionTime": now}
                self.core.patch_namespaced_pod_status(name, self.namespace, {"status": {
                    "phase": "Running", "podIP": "10.42.0.10", "startTime": now,
                    "conditions": [dict(ready, type="Initialized"), dict(ready, type="ContainersReady"),
                                   dict(ready, type="Ready")]}})
