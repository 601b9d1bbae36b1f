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


def test_kubectl_create_commands_send_protobuf_and_work(kubectl, namespace):
    """kubectl's typed create commands send protobuf bodies; the stored objects match JSON ones."""
    kubectl("create", "secret", "generic", "creds", "-n", namespace, "--from-literal=password=hunter2")
    kubectl("create", "deployment", "api", "-n", namespace, "--image=nginx:1.25", "--replicas=3")
    kubectl("create", "service", "clusterip", "api", "-n", namespace, "--tcp=80:8080")
    kubectl("create", "job", "once", "-n", namespace, "--image=busybox")
    secret = kubectl.json("get", "secret", "creds", "-n", namespace)
    assert secret["type"] == "Opaque" and secret["data"]["password"] == "aHVudGVyMg=="
    deployment = kubectl.json("get", "deployment", "api", "-n", namespace)
    assert deployment["spec"]["replicas"] == 3
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"
    service = kubectl.json("get", "service", "api", "-n", namespace)
    assert service["spec"]["ports"][0]["port"] == 80 and service["spec"]["ports"][0]["targetPort"] == 8080
    created = kubectl("create", "namespace", namespace + "-extra")
    assert "created" in created
