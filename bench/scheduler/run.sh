#!/usr/bin/env bash
# Scheduler benchmark: 5,000 hollow nodes and 10,000 pods in one process with the API server
# (SQLite store) and the scheduler. Measures first the ceiling (clients create and bind each
# pod themselves), then the same pods bound by the scheduler; see SchedulerBench.swift.
# Usage: bench/scheduler/run.sh [--large]   (--large: 50,000 pods; env NODES, PODS override)
set -euo pipefail
cd "$(dirname "$0")/../.."
nodes="${NODES:-5000}"
pods="${PODS:-10000}"
if [ "${1:-}" = "--large" ]; then pods="${PODS:-50000}"; fi

scripts/install-deps.sh >/dev/null
swift build -c release --product skiff-bench 2>&1 | tail -1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.build/release/skiff-bench scheduler "$work" "$nodes" "$pods"
