"""Jobs, CronJobs and TTL-after-finished through upstream kubectl and the Python client.
There are no nodes yet: a simulated kubelet (a thread that watches the namespace's pods)
binds each new pod to a fake Node, marks it Running and, shortly after, Succeeded or Failed
through the status subresource, as a kubelet would."""
import datetime
import threading
import time

from kubernetes import client, watch

from conftest import Kubectl, python_client, wait_until

NODE = "e2e-batch-node"


def ensure_node(kubectl):
    kubectl("apply", "-f", "-", input=f"apiVersion: v1\nkind: Node\nmetadata:\n  name: {NODE}\n")


class FakeKubelet:
    """Runs every pod of a namespace for `run_seconds`, then ends it with `exit_code(pod)`.
    Records the most pods it saw active (not finished, not being deleted) at once."""

    def __init__(self, api, namespace, exit_code=lambda pod: 0, run_seconds=0.3):
        self.core = client.CoreV1Api(api)
        self.namespace = namespace
        self.exit_code = exit_code
        self.run_seconds = run_seconds
        self.active = {}
        self.max_active = 0
        self.started = {}
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.watch_pods, daemon=True),
                        threading.Thread(target=self.finish_pods, daemon=True)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=10)

    def watch_pods(self):
        while not self.stop.is_set():
            stream = watch.Watch()
            for event in stream.stream(self.core.list_namespaced_pod, self.namespace, timeout_seconds=2):
                pod = event["object"]
                name = pod.metadata.name
                running = event["type"] != "DELETED" and pod.status.phase not in ("Succeeded", "Failed") \
                    and pod.metadata.deletion_timestamp is None
                with self.lock:
                    if running:
                        self.active[name] = True
                    else:
                        self.active.pop(name, None)
                    self.max_active = max(self.max_active, len(self.active))
                if running and not pod.spec.node_name:
                    self.bind(pod)
                if self.stop.is_set():
                    stream.stop()
                    break

    def bind(self, pod):
        name = pod.metadata.name
        body = client.V1Binding(metadata=client.V1ObjectMeta(name=name),
                                target=client.V1ObjectReference(kind="Node", name=NODE))
        try:
            self.core.create_namespaced_pod_binding(name, self.namespace, body, _preload_content=False)
        except client.ApiException as error:
            if error.status in (404, 409):
                return
            raise
        now = datetime.datetime.now(datetime.timezone.utc)
        self.patch_status(name, {"phase": "Running", "startTime": now.isoformat(),
                                 "conditions": [{"type": "Ready", "status": "True"}],
                                 "containerStatuses": [self.container(pod, {"running": {"startedAt": now.isoformat()}})]})
        with self.lock:
            self.started[name] = (time.monotonic(), pod)

    def finish_pods(self):
        while not self.stop.is_set():
            time.sleep(0.05)
            with self.lock:
                due = [(name, pod) for name, (at, pod) in self.started.items() if time.monotonic() - at >= self.run_seconds]
                for name, _ in due:
                    del self.started[name]
            for name, pod in due:
                code = self.exit_code(pod)
                now = datetime.datetime.now(datetime.timezone.utc).isoformat()
                terminated = {"terminated": {"exitCode": code, "reason": "Completed" if code == 0 else "Error",
                                             "startedAt": now, "finishedAt": now}}
                self.patch_status(name, {"phase": "Succeeded" if code == 0 else "Failed",
                                         "conditions": [{"type": "Ready", "status": "False"}],
                                         "containerStatuses": [self.container(pod, terminated)]})

    @staticmethod
    def container(pod, state):
        spec = pod.spec.containers[0]
        return {"name": spec.name, "image": spec.image, "imageID": "", "ready": False, "restartCount": 0, "state": state}

    def patch_status(self, name, status):
        try:
            self.core.patch_namespaced_pod_status(name, self.namespace, {"status": status})
        except client.ApiException as error:
            if error.status != 404:
                raise


def job_manifest(name, namespace, completions, parallelism, backoff_limit=6, extra=""):
    return f"""apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
  namespace: {namespace}
spec:
  completions: {completions}
  parallelism: {parallelism}
  backoffLimit: {backoff_limit}
{extra}  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox
        command: ["sh", "-c", "exit 0"]
"""


def test_job_with_five_completions_two_at_a_time_completes(kubectl, namespace, api):
    ensure_node(kubectl)
    with FakeKubelet(api, namespace) as kubelet:
        kubectl("apply", "-f", "-", input=job_manifest("five", namespace, completions=5, parallelism=2))
        kubectl("wait", "--for=condition=complete", "job/five", "-n", namespace, "--timeout=60s", timeout=90)
        assert kubelet.max_active <= 2
        assert kubelet.max_active == 2
    job = kubectl.json("get", "job", "five", "-n", namespace)
    status = job["status"]
    assert status["succeeded"] == 5
    assert "failed" not in status and "active" not in status
    assert status["ready"] == 0 and status["terminating"] == 0
    assert status["uncountedTerminatedPods"] == {}
    assert [c["type"] for c in status["conditions"]] == ["SuccessCriteriaMet", "Complete"]
    assert status["conditions"][1]["reason"] == "CompletionsReached"
    assert status["completionTime"] >= status["startTime"]

    uid = job["metadata"]["uid"]
    assert job["spec"]["selector"]["matchLabels"] == {"batch.kubernetes.io/controller-uid": uid}
    pods = kubectl.json("get", "pods", "-n", namespace, "-l", "job-name=five")["items"]
    assert len(pods) == 5
    for pod in pods:
        assert pod["status"]["phase"] == "Succeeded"
        assert pod["metadata"]["labels"]["batch.kubernetes.io/controller-uid"] == uid
        assert pod["metadata"]["labels"]["batch.kubernetes.io/job-name"] == "five"
        assert pod["metadata"]["labels"]["controller-uid"] == uid
        assert "finalizers" not in pod["metadata"]

    table = kubectl("get", "jobs", "five", "-n", namespace)
    header, row = table.splitlines()
    assert header.split() == ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]
    assert row.split()[:3] == ["five", "Complete", "5/5"]
    assert row.split()[3].endswith("s")
    events = kubectl("get", "events", "-n", namespace, "--field-selector", "involvedObject.name=five")
    assert "SuccessfulCreate" in events and "Completed" in events


def test_failing_job_fails_with_backoff_limit_exceeded(kubectl, namespace, api):
    ensure_node(kubectl)
    with FakeKubelet(api, namespace, exit_code=lambda pod: 1):
        kubectl("apply", "-f", "-", input=job_manifest("doomed", namespace, completions=2, parallelism=2, backoff_limit=1))
        kubectl("wait", "--for=condition=failed", "job/doomed", "-n", namespace, "--timeout=60s", timeout=90)
    status = kubectl.json("get", "job", "doomed", "-n", namespace)["status"]
    failed = [c for c in status["conditions"] if c["type"] == "Failed"][0]
    assert failed["reason"] == "BackoffLimitExceeded"
    assert failed["message"] == "Job has reached the specified backoff limit"
    assert status["failed"] == 2
    assert "completionTime" not in status
    row = kubectl("get", "jobs", "doomed", "-n", namespace).splitlines()[1].split()
    assert row[:3] == ["doomed", "Failed", "0/2"]


def test_indexed_job_completes_every_index(kubectl, namespace, api):
    ensure_node(kubectl)
    with FakeKubelet(api, namespace):
        kubectl("apply", "-f", "-", input=job_manifest("indexed", namespace, completions=3, parallelism=3,
                                                       extra="  completionMode: Indexed\n"))
        kubectl("wait", "--for=condition=complete", "job/indexed", "-n", namespace, "--timeout=60s", timeout=90)
    assert kubectl.json("get", "job", "indexed", "-n", namespace)["status"]["completedIndexes"] == "0-2"
    pods = kubectl.json("get", "pods", "-n", namespace, "-l", "job-name=indexed")["items"]
    indexes = sorted(int(p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]) for p in pods)
    assert indexes == [0, 1, 2]
    for pod in pods:
        index = pod["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"]
        assert pod["spec"]["hostname"] == f"indexed-{index}"


def test_finished_job_is_deleted_after_its_ttl(kubectl, namespace, api):
    ensure_node(kubectl)
    with FakeKubelet(api, namespace):
        kubectl("apply", "-f", "-", input=job_manifest("brief", namespace, completions=1, parallelism=1,
                                                       extra="  ttlSecondsAfterFinished: 1\n"))
        wait_until("the job to be deleted", lambda: kubectl.run("get", "job", "brief", "-n", namespace, check=False).returncode != 0)


def test_cronjob_creates_jobs_every_minute_and_keeps_its_history_limits(private_server):
    # The controllers' clock runs 60 times faster: a scheduled minute passes every second.
    server = private_server("--controller-time-scale", "60")
    kubectl = Kubectl(server)
    api = python_client(server)
    ensure_node(kubectl)
    namespace = "default"
    batch = client.BatchV1Api(api)

    def minute(job_name):
        return int(job_name.rsplit("-", 1)[1])

    # Jobs of every third minute fail; the others succeed.
    with FakeKubelet(api, namespace, exit_code=lambda pod: 1 if minute(pod.metadata.labels["job-name"]) % 3 == 0 else 0,
                     run_seconds=0.1):
        kubectl("apply", "-f", "-", input="""apiVersion: batch/v1
kind: CronJob
metadata:
  name: every-minute
spec:
  schedule: "* * * * *"
  successfulJobsHistoryLimit: 2
  failedJobsHistoryLimit: 1
  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: tick
            image: busybox
            command: ["sh", "-c", "exit 0"]
""")
        seen = set()

        def enough_jobs():
            for job in batch.list_namespaced_job(namespace).items:
                seen.add(job.metadata.name)
                scheduled = job.metadata.annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"]
                at = datetime.datetime.fromisoformat(scheduled.replace("Z", "+00:00"))
                assert int(at.timestamp()) // 60 == minute(job.metadata.name)
            return len(seen) >= 8

        wait_until("eight jobs", enough_jobs, timeout=60)

        def within_limits():
            jobs = batch.list_namespaced_job(namespace).items
            finished = {"Complete": [], "Failed": []}
            for job in jobs:
                for condition in job.status.conditions or []:
                    if condition.type in finished and condition.status == "True":
                        finished[condition.type].append(job.metadata.name)
            return len(finished["Complete"]) <= 2 and len(finished["Failed"]) <= 1 and finished["Complete"] and finished["Failed"]

        wait_until("history within limits", within_limits, timeout=30)
        kubectl("patch", "cronjob", "every-minute", "--type=merge", "-p", '{"spec":{"suspend":true}}')
        wait_until("active jobs to finish", lambda: not batch.read_namespaced_cron_job("every-minute", namespace).status.active)

    minutes = sorted(minute(name) for name in seen)
    # One Job per scheduled minute, minutes in a row (a slow sync may skip one, never repeat one).
    assert len(minutes) == len(set(minutes))
    assert minutes[-1] - minutes[0] <= len(minutes) + 2
    wait_until("history within limits after the last syncs", within_limits, timeout=30)
    cron = batch.read_namespaced_cron_job("every-minute", namespace)
    assert cron.status.last_schedule_time is not None
    assert cron.status.last_successful_time is not None
    table = kubectl("get", "cronjobs", "every-minute")
    assert table.splitlines()[0].split()[:5] == ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE"]
