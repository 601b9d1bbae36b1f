#!/usr/bin/env bash
# Installs what Skiff needs, builds it, and starts a one-node cluster (API server on an
# embedded SQLite store) in the background. Usage: sudo scripts/up.sh [data-dir] [port]
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir="${1:-/var/lib/skiff}"
port="${2:-6443}"

scripts/install-deps.sh
swift build -c release --product skiff
install -m 0755 .build/release/skiff /usr/local/bin/skiff

mkdir -p "$data_dir"
if [ -f "$data_dir/skiff.pid" ] && kill -0 "$(cat "$data_dir/skiff.pid")" 2>/dev/null; then
  echo "skiff is already running (pid $(cat "$data_dir/skiff.pid"))"
else
  nohup /usr/local/bin/skiff server --data-dir "$data_dir" --https-port "$port" >"$data_dir/skiff.log" 2>&1 &
  echo $! >"$data_dir/skiff.pid"
fi

for _ in $(seq 1 100); do
  if curl -sfk "https://127.0.0.1:$port/readyz" >/dev/null && [ -f "$data_dir/kubeconfig.yaml" ]; then
    echo "Skiff is up. Log: $data_dir/skiff.log"
    echo "  export KUBECONFIG=$data_dir/kubeconfig.yaml"
    echo "  .venv/bin/kubectl get namespaces"
    exit 0
  fi
  sleep 0.3
done
echo "skiff did not become ready; see $data_dir/skiff.log" >&2
exit 1
