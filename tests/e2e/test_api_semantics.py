"""API semantics through the Python client and raw HTTPS: conflicts, expiry, auth, limits."""
import json
import ssl
import time
import urllib.error
import urllib.request

import pytest
from kubernetes import client, watch
from kubernetes.client.rest import ApiException

from conftest import python_client


def raw_request(server, method, path, body=None, content_type="application/json", token=None):
    """HTTPS with the cluster CA but no client certificate (and an optional bearer token)."""
    context = ssl.create_default_context(cafile=str(server.data_dir / "tls" / "ca.crt"))
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(server.url + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, context=context, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def configmap(name, data):
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name), data=data)


def test_unauthenticated_request_gets_401(server):
    status, body = raw_request(server, "GET", "/api/v1/namespaces")
    assert status == 401
    assert body["kind"] == "Status" and body["reason"] == "Unauthorized" and body["code"] == 401


def test_bearer_token_authenticates(server):
    status, body = raw_request(server, "GET", "/api/v1/namespaces", token="e2e-token")
    assert status == 200 and body["kind"] == "NamespaceList"
    status, _ = raw_request(server, "GET", "/api/v1/namespaces", token="wrong-token")
    assert status == 401


def test_four_mebibyte_body_gets_413(server, namespace):
    payload = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "huge"},
                          "data": {"blob": "x" * (4 * 1024 * 1024)}}).encode()
    status, body = raw_request(server, "POST", f"/api/v1/namespaces/{namespace}/configmaps", payload, token="e2e-token")
    assert status == 413
    assert body["reason"] == "RequestEntityTooLarge"
    status, _ = raw_request(server, "GET", f"/api/v1/namespaces/{namespace}/configmaps/huge", token="e2e-token")
    assert status == 404


def test_malformed_json_gets_400(server, namespace):
    status, body = raw_request(server, "POST", f"/api/v1/namespaces/{namespace}/configmaps", b'{"apiVersion": "v1", "kind":',
                               token="e2e-token")
    assert status == 400 and body["kind"] == "Status" and body["reason"] == "BadRequest"


def test_stale_update_gets_409(api, namespace):
    core = client.CoreV1Api(api)
    created = core.create_namespaced_config_map(namespace, configmap("stale", {"n": "0"}))
    first = core.read_namespaced_config_map("stale", namespace)
    first.data["n"] = "1"
    core.replace_namespaced_config_map("stale", namespace, first)
    created.data["n"] = "2"  # still carries the original resourceVersion
    with pytest.raises(ApiException) as raised:
        core.replace_namespaced_config_map("stale", namespace, created)
    assert raised.value.status == 409
    body = json.loads(raised.value.body)
    assert body["reason"] == "Conflict"
    assert "the object has been modified" in body["message"]


def test_invalid_object_gets_422_with_causes(api, namespace):
    core = client.CoreV1Api(api)
    with pytest.raises(ApiException) as raised:
        core.create_namespaced_config_map(namespace, configmap("Not_Valid", {"a": "b"}))
    assert raised.value.status == 422
    body = json.loads(raised.value.body)
    assert body["reason"] == "Invalid"
    assert body["details"]["causes"][0]["field"] == "metadata.name"


def test_compacted_resource_version_gets_410(private_server):
    server = private_server("--compaction-retention", "1")
    api = python_client(server)
    core = client.CoreV1Api(api)
    core.create_namespaced_config_map("default", configmap("early", {"a": "b"}))
    old_version = core.list_namespaced_config_map("default").metadata.resource_version
    for index in range(5):
        core.create_namespaced_config_map("default", configmap(f"later-{index}", {"a": "b"}))
    time.sleep(3)
    core.create_namespaced_config_map("default", configmap("after-compaction", {"a": "b"}))
    time.sleep(1)
    response = core.list_namespaced_config_map("default", watch=True, resource_version=old_version,
                                              timeout_seconds=5, _preload_content=False)
    first_line = response.readline()
    event = json.loads(first_line)
    assert event["type"] == "ERROR"
    assert event["object"]["code"] == 410
    assert event["object"]["reason"] == "Expired"
    with pytest.raises(ApiException) as raised:
        core.list_namespaced_config_map("default", resource_version=old_version, resource_version_match="Exact")
    assert raised.value.status == 410


def test_python_watch_resumes_after_server_restart(private_server):
    server = private_server()
    api = python_client(server)
    core = client.CoreV1Api(api)
    core.create_namespaced_config_map("default", configmap("before", {"a": "b"}))
    listed = core.list_namespaced_config_map("default")
    resume_from = listed.metadata.resource_version
    server.restart()
    core = client.CoreV1Api(python_client(server))
    core.create_namespaced_config_map("default", configmap("after-restart", {"a": "b"}))
    seen = []
    for event in watch.Watch().stream(core.list_namespaced_config_map, "default",
                                      resource_version=resume_from, timeout_seconds=5):
        seen.append((event["type"], event["object"].metadata.name))
        if event["object"].metadata.name == "after-restart":
            break
    assert ("ADDED", "after-restart") in seen
    assert ("ADDED", "before") not in seen
