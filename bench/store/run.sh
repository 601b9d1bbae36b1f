#!/usr/bin/env bash
# Raw KubeStore throughput: SQLiteStore creates with 1/16/64 concurrent writers (and their group-commit
# batch size and bytes written per write), single-caller gets and lists, and creates with 4 watchers.
# The figures come from the StoreBenchmarks suite in Tests/KubeStoreTests, which is skipped unless
# SKIFF_STORE_BENCH is set. Release build; numbers vary with the disk's fsync latency and machine load.
set -euo pipefail
cd "$(dirname "$0")/../.."
SKIFF_STORE_BENCH=1 swift test -c release --enable-testable-imports --scratch-path .build-store-release \
    --filter StoreBenchmarks 2>&1 | grep -E '^BENCH|error|failed'
