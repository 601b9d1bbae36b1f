"""Jobs, CronJobs and TTL-after-finished through upstream kubectl and the Python client. The
pods run on hollow nodes (`skiff hollow-nodes`), which finish containers whose command is a
plain completion (`sh -c "sleep 1; exit 0"`) with its exit code, as a kubelet would."""
import datetime
import json

import pytest
from kubernetes import client

from conftest import Kubectl, PodEvents, python_client, wait_until


@pytest.fixture(scope="module")
def server(cluster):
    """The tests of this module run on the session's cluster of hollow nodes."""
    return cluster.server


def job_manifest(name, namespace, completions, parallelism, backoff_limit=6, extra="", script="sleep 1; exit 0"):
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
        command: ["sh", "-c", "{script}"]
"""


def test_job_with_five_completions_two_at_a_time_completes(server, kubectl, namespace):
    # Each pod runs for a second: two at a time, never more.
    with PodEvents(server, namespace) as recorded:
        kubectl("apply", "-f", "-", input=job_manifest("five", namespace, completions=5, parallelism=2))
        kubectl("wait", "--for=condition=complete", "job/five", "-n", namespace, "--timeout=60s", timeout=90)
        recorded.wait_for("five pods succeeded in the pod events", lambda events: len(
            {pod["metadata"]["name"] for _, pod in events if pod["status"].get("phase") == "Succeeded"}) == 5)
    assert recorded.most_active_at_once() == 2
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
        assert pod["spec"]["nodeName"].startswith("hollow-")
        terminated = pod["status"]["containerStatuses"][0]["state"]["terminated"]
        assert terminated["exitCode"] == 0 and terminated["reason"] == "Completed"
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


def test_failing_job_fails_with_backoff_limit_exceeded(kubectl, namespace):
    kubectl("apply", "-f", "-", input=job_manifest("doomed", namespace, completions=2, parallelism=2, backoff_limit=1,
                                                   script="exit 1"))
    kubectl("wait", "--for=condition=failed", "job/doomed", "-n", namespace, "--timeout=60s", timeout=90)
    status = kubectl.json("get", "job", "doomed", "-n", namespace)["status"]
    failed = [c for c in status["conditions"] if c["type"] == "Failed"][0]
    assert failed["reason"] == "BackoffLimitExceeded"
    assert failed["message"] == "Job has reached the specified backoff limit"
    assert status["failed"] == 2
    assert "completionTime" not in status
    row = kubectl("get", "jobs", "doomed", "-n", namespace).splitlines()[1].split()
    assert row[:3] == ["doomed", "Failed", "0/2"]
    pods = kubectl.json("get", "pods", "-n", namespace, "-l", "job-name=doomed")["items"]
    assert len(pods) == 2
    for pod in pods:
        assert pod["status"]["phase"] == "Failed"
        assert pod["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"] == 1


def test_indexed_job_completes_every_index(kubectl, namespace):
    kubectl("apply", "-f", "-", input=job_manifest("indexed", namespace, completions=3, parallelism=3,
                                                   extra="  completionMode: Indexed\n", script="exit 0"))
    kubectl("wait", "--for=condition=complete", "job/indexed", "-n", namespace, "--timeout=60s", timeout=90)
    assert kubectl.json("get", "job", "indexed", "-n", namespace)["status"]["completedIndexes"] == "0-2"
    pods = kubectl.json("get", "pods", "-n", namespace, "-l", "job-name=indexed")["items"]
    indexes = sorted(int(p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]) for p in pods)
    assert indexes == [0, 1, 2]
    for pod in pods:
        index = pod["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"]
        assert pod["spec"]["hostname"] == f"indexed-{index}"


def test_finished_job_is_deleted_after_its_ttl(server, kubectl, namespace):
    with PodEvents(server, namespace) as recorded:
        kubectl("apply", "-f", "-", input=job_manifest("brief", namespace, completions=1, parallelism=1,
                                                       extra="  ttlSecondsAfterFinished: 1\n", script="true"))
        wait_until("the job to be deleted",
                   lambda: kubectl.run("get", "job", "brief", "-n", namespace, check=False).returncode != 0)
        # Its pod, which had succeeded, goes with it (background cascade by the garbage collector).
        wait_until("the job's pod deleted", lambda: kubectl.json("get", "pods", "-n", namespace)["items"] == [])
        events = recorded.wait_for("the pod's deletion in the pod events", lambda events: events[-1][0] == "DELETED")
    assert "Succeeded" in [pod["status"].get("phase") for _, pod in events]


def test_cronjob_creates_jobs_every_minute_and_keeps_its_history_limits(private_server, hollow_nodes):
    # The controllers' clock runs 60 times faster: a scheduled minute passes every second. The
    # node monitor's grace period is measured on that clock too: an hour of it is a real
    # minute, longer than the 10 s between the hollow node's Lease renewals.
    server = private_server("--controller-time-scale", "60", "--node-monitor-grace-period", "3600s")
    hollow_nodes(server, "batch-", 1).wait_ready()
    kubectl = Kubectl(server)
    namespace = "default"
    batch = client.BatchV1Api(python_client(server))

    def minute(job_name):
        return int(job_name.rsplit("-", 1)[1])

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
    finished_seen = {"Complete": set(), "Failed": set()}

    def finished_now():
        """Job names by finished condition, remembering every job ever seen."""
        finished = {"Complete": [], "Failed": []}
        for job in batch.list_namespaced_job(namespace).items:
            seen.add(job.metadata.name)
            scheduled = job.metadata.annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"]
            at = datetime.datetime.fromisoformat(scheduled.replace("Z", "+00:00"))
            assert int(at.timestamp()) // 60 == minute(job.metadata.name)
            for condition in job.status.conditions or []:
                if condition.type in finished and condition.status == "True":
                    finished[condition.type].append(job.metadata.name)
                    finished_seen[condition.type].add(job.metadata.name)
        return finished

    def kept(complete, failed):
        return lambda: (lambda f: len(f["Complete"]) == complete and len(f["Failed"]) == failed and f)(finished_now())

    # Jobs that succeed: more than two finish, two are kept.
    wait_until("four succeeded jobs", lambda: finished_now() and len(finished_seen["Complete"]) >= 4, timeout=60)
    wait_until("two succeeded jobs kept", kept(2, 0), timeout=30)

    # Then jobs that fail: more than one fails, one is kept, the two succeeded ones stay.
    kubectl("patch", "cronjob", "every-minute", "--type=json", "-p", json.dumps([{
        "op": "replace", "path": "/spec/jobTemplate/spec/template/spec/containers/0/command", "value": ["sh", "-c", "exit 1"]}]))
    wait_until("three failed jobs", lambda: finished_now() and len(finished_seen["Failed"]) >= 3, timeout=60)
    kubectl("patch", "cronjob", "every-minute", "--type=merge", "-p", '{"spec":{"suspend":true}}')
    wait_until("active jobs to finish", lambda: not batch.read_namespaced_cron_job("every-minute", namespace).status.active)
    finished = wait_until("history within limits after the last syncs", kept(2, 1), timeout=30)
    assert set(finished["Failed"]) <= finished_seen["Failed"] and set(finished["Complete"]) <= finished_seen["Complete"]

    minutes = sorted(minute(name) for name in seen)
    # One Job per scheduled minute, minutes in a row (a slow sync may skip one, never repeat one).
    assert len(minutes) == len(set(minutes))
    assert minutes[-1] - minutes[0] <= len(minutes) + 2
    # The pods of the deleted Jobs went with them.
    wait_until("only the kept jobs' pods", lambda: sorted(p["metadata"]["labels"]["job-name"] for p in
                                                          kubectl.json("get", "pods", "-n", namespace)["items"])
               == sorted(finished["Complete"] + finished["Failed"]))
    cron = batch.read_namespaced_cron_job("every-minute", namespace)
    assert cron.status.last_schedule_time is not None
    assert cron.status.last_successful_time is not None
    table = kubectl("get", "cronjobs", "every-minute")
    assert table.splitlines()[0].split()[:5] == ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE"]
