"""Everyday kubectl workflows against a real server."""
import json
import subprocess
import time

import yaml

MULTI_DOC = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  mode: "fast"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
"""


def test_apply_multi_document_create_unchanged_configured(kubectl, namespace):
    first = kubectl("apply", "-n", namespace, "-f", "-", input=MULTI_DOC)
    assert "configmap/app-config created" in first
    assert "deployment.apps/web created" in first
    assert "service/web created" in first
    second = kubectl("apply", "-n", namespace, "-f", "-", input=MULTI_DOC)
    assert "configmap/app-config unchanged" in second
    assert "deployment.apps/web unchanged" in second
    assert "service/web unchanged" in second
    third = kubectl("apply", "-n", namespace, "-f", "-", input=MULTI_DOC.replace("replicas: 2", "replicas: 3"))
    assert "deployment.apps/web configured" in third
    assert "configmap/app-config unchanged" in third
    assert kubectl.json("get", "deployment", "web", "-n", namespace)["spec"]["replicas"] == 3
    service = kubectl.json("get", "service", "web", "-n", namespace)
    assert service["spec"]["clusterIP"].startswith("10.43.")


def test_get_output_formats(kubectl, namespace):
    kubectl("apply", "-n", namespace, "-f", "-", input=MULTI_DOC)
    wide = kubectl("get", "deployment", "web", "-n", namespace, "-o", "wide")
    header = wide.splitlines()[0].split()
    assert header[:5] == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert "CONTAINERS" in header and "IMAGES" in header and "SELECTOR" in header
    assert "nginx:1.25" in wide
    as_yaml = yaml.safe_load(kubectl("get", "configmap", "app-config", "-n", namespace, "-o", "yaml"))
    assert as_yaml["data"] == {"mode": "fast"}
    as_json = json.loads(kubectl("get", "service", "web", "-n", namespace, "-o", "json"))
    assert as_json["kind"] == "Service"
    assert kubectl("get", "configmap", "app-config", "-n", namespace, "-o", "jsonpath={.data.mode}") == "fast"
    names = kubectl("get", "deployments,services", "-n", namespace, "-o", "name").split()
    assert "deployment.apps/web" in names and "service/web" in names


def test_get_watch_sees_later_changes(kubectl, namespace, server):
    watcher = subprocess.Popen(
        [kubectl_path(), "--kubeconfig", server.kubeconfig, "get", "configmaps", "-n", namespace, "-w",
         "--request-timeout=8s"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.0)
        kubectl("apply", "-n", namespace, "-f", "-", input="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\ndata:\n  a: b\n")
        kubectl("label", "configmap", "watched", "-n", namespace, "stage=two")
        out, _ = watcher.communicate(timeout=15)
    finally:
        watcher.kill()
    lines = [line for line in out.splitlines() if line.startswith("watched")]
    assert len(lines) >= 2, out


def kubectl_path():
    from conftest import KUBECTL
    return KUBECTL


def test_label_annotate_patch_scale_replace_delete(kubectl, namespace):
    kubectl("apply", "-n", namespace, "-f", "-", input=MULTI_DOC)
    kubectl("label", "configmap", "app-config", "-n", namespace, "tier=backend")
    kubectl("annotate", "configmap", "app-config", "-n", namespace, "owner=team-a")
    cm = kubectl.json("get", "configmap", "app-config", "-n", namespace)
    assert cm["metadata"]["labels"]["tier"] == "backend"
    assert cm["metadata"]["annotations"]["owner"] == "team-a"
    assert kubectl("get", "configmaps", "-n", namespace, "-l", "tier=backend", "-o", "name").strip() == "configmap/app-config"

    # Strategic merge patch keeps the other containers and merges by name.
    kubectl("patch", "deployment", "web", "-n", namespace, "-p",
            '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}')
    containers = kubectl.json("get", "deployment", "web", "-n", namespace)["spec"]["template"]["spec"]["containers"]
    assert sorted(c["name"] for c in containers) == ["nginx", "sidecar"]
    kubectl("patch", "configmap", "app-config", "-n", namespace, "--type=merge", "-p", '{"data":{"extra":"1"}}')
    kubectl("patch", "configmap", "app-config", "-n", namespace, "--type=json",
            "-p", '[{"op":"replace","path":"/data/mode","value":"slow"}]')
    assert kubectl.json("get", "configmap", "app-config", "-n", namespace)["data"] == {"mode": "slow", "extra": "1"}

    kubectl("scale", "deployment", "web", "-n", namespace, "--replicas=4")
    assert kubectl.json("get", "deployment", "web", "-n", namespace)["spec"]["replicas"] == 4

    current = kubectl.json("get", "configmap", "app-config", "-n", namespace)
    current["data"]["mode"] = "replaced"
    kubectl("replace", "-f", "-", input=json.dumps(current))
    assert kubectl.json("get", "configmap", "app-config", "-n", namespace)["data"]["mode"] == "replaced"

    kubectl("delete", "configmap", "app-config", "-n", namespace, "--wait")
    result = kubectl.run("get", "configmap", "app-config", "-n", namespace, check=False)
    assert result.returncode != 0 and "not found" in result.stderr


def test_explain_and_api_resources(kubectl):
    explained = kubectl("explain", "deployment.spec.replicas")
    assert "KIND:       Deployment" in explained
    assert "replicas <integer>" in explained
    pod_containers = kubectl("explain", "pods.spec.containers")
    assert "FIELDS:" in pod_containers and "image" in pod_containers
    resources = kubectl("api-resources")
    lines = resources.splitlines()
    assert lines[0].split()[:2] == ["NAME", "SHORTNAMES"]
    assert any(line.split()[:2] == ["pods", "po"] for line in lines)
    assert any(line.split()[:2] == ["deployments", "deploy"] for line in lines)
    namespaced = kubectl("api-resources", "--namespaced=false", "-o", "name").split()
    assert "namespaces" in namespaced and "pods" not in namespaced


SSA_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ssa
spec:
  replicas: 2
  selector:
    matchLabels: {app: ssa}
  template:
    metadata:
      labels: {app: ssa}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
"""


def test_server_side_apply_conflict_and_force(kubectl, namespace):
    created = kubectl("apply", "--server-side", "-n", namespace, "-f", "-", input=SSA_DEPLOYMENT)
    assert "serverside-applied" in created
    managed = kubectl.json("get", "deployment", "ssa", "-n", namespace, "--show-managed-fields")["metadata"]["managedFields"]
    assert any(entry["operation"] == "Apply" and "f:replicas" in entry["fieldsV1"]["f:spec"] for entry in managed)

    # Another manager takes spec.replicas with an ordinary update.
    kubectl("patch", "deployment", "ssa", "-n", namespace, "--field-manager=scaler", "-p", '{"spec":{"replicas":5}}')
    conflicting = kubectl.run("apply", "--server-side", "-n", namespace, "-f", "-",
                              input=SSA_DEPLOYMENT.replace("replicas: 2", "replicas: 3"), check=False)
    assert conflicting.returncode != 0
    assert 'conflict with "scaler"' in conflicting.stderr and ".spec.replicas" in conflicting.stderr
    assert kubectl.json("get", "deployment", "ssa", "-n", namespace)["spec"]["replicas"] == 5

    forced = kubectl("apply", "--server-side", "--force-conflicts", "-n", namespace, "-f", "-",
                     input=SSA_DEPLOYMENT.replace("replicas: 2", "replicas: 3"))
    assert "serverside-applied" in forced
    assert kubectl.json("get", "deployment", "ssa", "-n", namespace)["spec"]["replicas"] == 3
