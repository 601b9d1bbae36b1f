"""First contact: discovery, namespaces and a ConfigMap through upstream kubectl."""
import json


def test_version_and_default_namespaces(kubectl):
    version = json.loads(kubectl("version", "-o", "json"))
    assert version["serverVersion"]["major"] == "1"
    names = kubectl("get", "namespaces", "-o", "name").split()
    for expected in ["namespace/default", "namespace/kube-system", "namespace/kube-public", "namespace/kube-node-lease"]:
        assert expected in names


def test_configmap_create_get_delete(kubectl, namespace):
    kubectl("create", "configmap", "settings", "-n", namespace, "--from-literal=color=blue")
    cm = kubectl.json("get", "configmap", "settings", "-n", namespace)
    assert cm["data"] == {"color": "blue"}
    assert cm["metadata"]["uid"]
    assert int(cm["metadata"]["resourceVersion"]) > 0
    kubectl("delete", "configmap", "settings", "-n", namespace, "--wait")
    result = kubectl.run("get", "configmap", "settings", "-n", namespace, check=False)
    assert result.returncode != 0
    assert "NotFound" in result.stderr or "not found" in result.stderr


def test_kubernetes_service_exists(kubectl):
    service = kubectl.json("get", "service", "kubernetes", "-n", "default")
    assert service["spec"]["clusterIP"] == "10.43.0.1"
