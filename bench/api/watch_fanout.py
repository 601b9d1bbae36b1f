"""Watch fan-out: WATCHERS clients watch one namespace while a writer creates EVENTS
ConfigMaps at RATE per second; prints the p99 delay from the create call to each delivery."""
import http.client
import json
import ssl
import sys
import threading
import time

host, port, token, watchers, events, rate = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
namespace = "bench-watch"
context = ssl._create_unverified_context()
headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def request(method, path, body=None):
    connection = http.client.HTTPSConnection(host, port, context=context, timeout=30)
    connection.request(method, path, body=json.dumps(body) if body else None, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, json.loads(data)


request("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
status, listed = request("GET", f"/api/v1/namespaces/{namespace}/configmaps")
start_version = listed["metadata"]["resourceVersion"]

delays = []
delays_lock = threading.Lock()
ready = threading.Barrier(watchers + 1)


def watch():
    connection = http.client.HTTPSConnection(host, port, context=context, timeout=120)
    connection.request("GET", f"/api/v1/namespaces/{namespace}/configmaps?watch=1&resourceVersion={start_version}", headers=headers)
    response = connection.getresponse()
    ready.wait()
    seen = 0
    local = []
    while seen < events:
        line = response.readline()
        if not line:
            break
        received = time.time()
        event = json.loads(line)
        if event["type"] != "ADDED":
            continue
        sent = float(event["object"]["metadata"]["annotations"]["sent"])
        local.append(received - sent)
        seen += 1
    connection.close()
    with delays_lock:
        delays.extend(local)


threads = [threading.Thread(target=watch) for _ in range(watchers)]
for thread in threads:
    thread.start()
ready.wait()
time.sleep(0.5)
writer = http.client.HTTPSConnection(host, port, context=context, timeout=30)
for index in range(events):
    body = {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": f"e-{index}", "annotations": {"sent": repr(time.time())}}, "data": {"k": "v"}}
    writer.request("POST", f"/api/v1/namespaces/{namespace}/configmaps", body=json.dumps(body), headers=headers)
    writer.getresponse().read()
    time.sleep(1.0 / rate)
for thread in threads:
    thread.join(timeout=60)
delays.sort()
expected = watchers * events
p50 = delays[len(delays) // 2] * 1000 if delays else float("nan")
p99 = delays[min(len(delays) - 1, int(len(delays) * 0.99))] * 1000 if delays else float("nan")
print(f"watch_deliveries={len(delays)}/{expected} watch_p50_ms={p50:.2f} watch_p99_ms={p99:.2f}")
