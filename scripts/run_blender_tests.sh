#!/usr/bin/env bash
# Run the Blender integration suite (tests/blender) inside a real Blender binary through pytest-blender.
# usage: BLENDER=/path/to/blender scripts/run_blender_tests.sh [pytest args]
# Without BLENDER (no binary of 4.5+ on this machine) the suite runs on the pip bpy module instead:
#   .venv-test/bin/python -m pytest tests/blender
# Blender's own Python must have pytest and numpy importable (pytest-blender's docs: install them with
# "$BLENDER" -b --python-expr "import ensurepip; ensurepip.bootstrap()" and pip).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BLENDER:-}" ]; then
  echo "skipped: set BLENDER to a Blender 4.5+ executable to run tests/blender inside it" >&2
  exit 0
fi
PY=${PYTHON:-.venv-test/bin/python}
exec "$PY" -m pytest -p pytest_blender --blender-executable "$BLENDER" tests/blender "$@"
