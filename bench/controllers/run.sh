#!/usr/bin/env bash
# Controller benchmark on a release `skiff server`:
# 1. the RSS the scheduler and controller manager add to an idle server (a server started with
#    --disable-controller-manager --disable-scheduler is the baseline, measured in the same run);
# 2. a 100-replica Deployment on 100 hollow nodes (`skiff hollow-nodes`) rolled to a new image,
#    timed from `kubectl set image` until `kubectl rollout status` returns.
# Usage: bench/controllers/run.sh   (env: REPLICAS=100 NODES=100)
set -euo pipefail
cd "$(dirname "$0")/../.."
replicas="${REPLICAS:-100}"
nodes="${NODES:-100}"

scripts/install-deps.sh >/dev/null
swift build -c release --product skiff 2>&1 | tail -1
skiff=.build/release/skiff
kubectl=.venv/bin/kubectl

work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# Starts a server on a free port in $work/$1 with the remaining arguments; sets server_pid, port.
start_server() {
  local dir="$work/$1"; shift
  port=$((20000 + RANDOM % 20000))
  "$skiff" server --data-dir "$dir" --https-port "$port" --bind-address 127.0.0.1 --disable-agent \
    --log-level warning "$@" >"$work/$(basename "$dir").log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 1 150); do curl -sfk "https://127.0.0.1:$port/readyz" >/dev/null && [ -f "$dir/kubeconfig.yaml" ] && return; sleep 0.2; done
  echo "server did not become ready" >&2; cat "$work/$(basename "$dir").log" >&2; exit 1
}
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

echo "== idle RSS: API server alone, then with scheduler and controller manager"
start_server bare --disable-controller-manager --disable-scheduler
sleep 5
bare_rss="$(rss_mib "$server_pid")"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
start_server full
sleep 5
full_rss="$(rss_mib "$server_pid")"
added_rss="$(awk -v a="$full_rss" -v b="$bare_rss" 'BEGIN {printf "%.1f", a-b}')"
echo "API server alone: $bare_rss MiB; with scheduler and controllers: $full_rss MiB; added: $added_rss MiB (target < 40)"

export KUBECONFIG="$work/full/kubeconfig.yaml"
echo "== rollout: $replicas replicas on $nodes hollow nodes"
"$skiff" hollow-nodes --kubeconfig "$KUBECONFIG" --count "$nodes" --pod-cidr-fallback >"$work/hollow.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 300); do
  ready="$("$kubectl" get nodes --no-headers 2>/dev/null | grep -c ' Ready ' || true)"
  [ "$ready" -ge "$nodes" ] && break; sleep 0.2
done
echo "ready nodes: $ready"
"$kubectl" create deployment bench --image=busybox:1.36 --replicas="$replicas" >/dev/null
"$kubectl" rollout status deployment/bench --timeout=300s >/dev/null
start=$(date +%s.%N)
"$kubectl" set image deployment/bench busybox=busybox:1.37 >/dev/null
"$kubectl" rollout status deployment/bench --timeout=300s >/dev/null
end=$(date +%s.%N)
rollout_s="$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.2f", e-s}')"
updated="$("$kubectl" get deployment bench -o jsonpath='{.status.updatedReplicas}/{.status.availableReplicas}')"
echo "rolled to the new image in $rollout_s s (updated/available: $updated; target < 5 s)"
echo "RESULT rollout_s=$rollout_s added_rss_mib=$added_rss idle_rss_mib=$bare_rss"
