#!/usr/bin/env bash
# Runs the whole test suite: Swift unit and integration tests, then the end-to-end tests that
# drive a real server with upstream kubectl and the official Python client.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
swift build --product skiff
swift test
SKIFF_BINARY="$PWD/.build/debug/skiff" .venv/bin/python -m pytest -q tests/e2e
