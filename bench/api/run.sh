#!/usr/bin/env bash
# API benchmark: raw Store creates (the ceiling), then HTTP creates, gets and lists with
# concurrent clients (wrk), watch fan-out to 100 watchers, and the server's idle RSS.
# Usage: bench/api/run.sh   (env: CLIENTS=16 DURATION=10; SERVER_ARGS: extra `skiff server` flags)
set -euo pipefail
cd "$(dirname "$0")/../.."
clients="${CLIENTS:-16}"
duration="${DURATION:-10}"

command -v wrk >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
scripts/install-deps.sh >/dev/null
swift build -c release --product skiff 2>&1 | tail -1
swift build -c release --product skiff-bench 2>&1 | tail -1

work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo "== raw store: $clients concurrent writers, SQLite group commit"
store_line="$(.build/release/skiff-bench store "$work/store" "$clients" 20000)"
store_creates="${store_line#*=}"
echo "store creates/s: $store_creates"

port=$((20000 + RANDOM % 20000))
token="bench-$RANDOM$RANDOM"
echo "$token,bench,1000,\"system:masters\"" > "$work/tokens.csv"
.build/release/skiff server --data-dir "$work/server" --https-port "$port" --bind-address 127.0.0.1 \
  --disable-agent --token-auth-file "$work/tokens.csv" --log-level warning ${SERVER_ARGS:-} >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -sfk "https://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
sleep 2
idle_rss_kib="$(awk '/VmRSS/ {print $2}' /proc/$server_pid/status)"
idle_rss_mib="$(awk -v k="$idle_rss_kib" 'BEGIN {printf "%.1f", k/1024}')"
echo "idle server RSS: $idle_rss_mib MiB"

api="https://127.0.0.1:$port"
auth="Authorization: Bearer $token"
curl -sfk -H "$auth" -H 'Content-Type: application/json' -X POST "$api/api/v1/namespaces" \
  -d '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench"}}' >/dev/null

# wrk prints "Requests/sec:" and, with --latency, the 50% and 99% lines; non-2xx must be zero.
run_wrk() {
  local output
  output="$(wrk --latency -t 2 -c "$1" -d "${duration}s" -H "$auth" -H 'Content-Type: application/json' "${@:2}")"
  if grep -q "Non-2xx" <<<"$output"; then echo "$output" >&2; echo "FAILED: non-2xx responses" >&2; exit 1; fi
  echo "$output" >"$work/wrk.out"
}
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; printf "%.2f", v}'; }
rate() { awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/wrk.out"; }
percentile() { awk -v p="$1" '$1 == p {print $2}' "$work/wrk.out" | to_ms; }

echo "== API creates: $clients clients"
run_wrk "$clients" -s bench/api/create.lua "$api/api/v1/namespaces/bench/configmaps"
api_creates="$(rate)"; create_p50="$(percentile 50%)"; create_p99="$(percentile 99%)"
echo "creates/s: $api_creates  p50: ${create_p50} ms  p99: ${create_p99} ms"

echo "== API gets: 32 clients"
curl -sfk -H "$auth" -H 'Content-Type: application/json' -X POST "$api/api/v1/namespaces/bench/configmaps" \
  -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"target"},"data":{"key":"value"}}' >/dev/null
run_wrk 32 "$api/api/v1/namespaces/bench/configmaps/target"
gets="$(rate)"; get_p50="$(percentile 50%)"; get_p99="$(percentile 99%)"
echo "gets/s: $gets  p50: ${get_p50} ms  p99: ${get_p99} ms"

echo "== API lists of 100 objects: $clients clients"
curl -sfk -H "$auth" -H 'Content-Type: application/json' -X POST "$api/api/v1/namespaces" \
  -d '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench-list"}}' >/dev/null
for i in $(seq 1 100); do
  curl -sfk -H "$auth" -H 'Content-Type: application/json' -X POST "$api/api/v1/namespaces/bench-list/configmaps" \
    -d "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"l-$i\"},\"data\":{\"key\":\"value\"}}" >/dev/null
done
run_wrk "$clients" "$api/api/v1/namespaces/bench-list/configmaps"
lists="$(rate)"; list_p99="$(percentile 99%)"
echo "lists/s: $lists  p99: ${list_p99} ms"

echo "== watch fan-out: 100 watchers, 200 events at 20/s"
watch_line="$(.venv/bin/python bench/api/watch_fanout.py 127.0.0.1 "$port" "$token" 100 200 20)"
echo "$watch_line"
watch_p99="$(sed -n 's/.*watch_p99_ms=\([0-9.]*\).*/\1/p' <<<"$watch_line")"

if grep -qi "database is locked" "$work/server.log"; then echo "FAILED: database is locked" >&2; exit 1; fi
ratio="$(awk -v a="$api_creates" -v s="$store_creates" 'BEGIN {printf "%.2f", a/s}')"
echo "baseline: raw store $store_creates creates/s; API/store ratio $ratio (target >= 0.5)"
echo "targets: creates >= 3000/s, gets >= 20000/s, create p99 < 10 ms, watch p99 < 50 ms, idle RSS < 60 MiB"
echo "RESULT api_creates_per_s=$api_creates store_creates_per_s=$store_creates gets_per_s=$gets create_p99_ms=$create_p99 watch_p99_ms=$watch_p99 idle_rss_mib=$idle_rss_mib"
