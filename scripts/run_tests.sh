#!/usr/bin/env bash
# Set up .venv-test (idempotent) and run lint, type checks and every test layer.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_python.sh
ensure_venv .venv-test
.venv-test/bin/python -m pip install -q --disable-pip-version-check -r requirements/test.txt
.venv-test/bin/ruff check .
.venv-test/bin/ruff format --check .
.venv-test/bin/python scripts/typecheck.py
.venv-test/bin/python -m pytest "$@"
