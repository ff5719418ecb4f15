#!/usr/bin/env bash
# Set up .venv-test (idempotent) and run lint, type checks and every test layer; then the Blender layer
# (tests/blender) again on Blender 4.5 LTS (.venv-bpy45, the pip bpy 4.5 wheel), the add-on's other
# supported version. POSERS_SKIP_BPY45=1 skips that second run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_python.sh
ensure_venv .venv-test
.venv-test/bin/python -m pip install -q --disable-pip-version-check -r requirements/test.txt
.venv-test/bin/ruff check .
.venv-test/bin/ruff format --check .
.venv-test/bin/python scripts/typecheck.py
.venv-test/bin/python -m pytest "$@"
if [ "${POSERS_SKIP_BPY45:-0}" != "1" ]; then
  ensure_venv .venv-bpy45
  .venv-bpy45/bin/python -m pip install -q --disable-pip-version-check -r requirements/test-bpy45.txt
  quiet=()  # only verbosity flags carry over: the second run is always the whole Blender layer
  for a in "$@"; do case "$a" in -q | -qq | -v | -vv | -x) quiet+=("$a") ;; esac; done
  echo "Blender layer on bpy $(.venv-bpy45/bin/python -c 'import bpy; print(bpy.app.version_string)'):"
  .venv-bpy45/bin/python -m pytest tests/blender "${quiet[@]}"
fi
