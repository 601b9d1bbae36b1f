#!/usr/bin/env bash
# Installs the system packages and Python tools Skiff's build and tests need.
# Debian packages through apt-get; kubectl and the Python client into a venv (.venv).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libsqlite3-dev sqlite3 python3-venv curl ca-certificates)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r tests/e2e/requirements.txt
