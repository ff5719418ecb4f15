#!/usr/bin/env bash
# Type-check the Blender adapter against fake-bpy-module in its own venv (never beside the real bpy).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_python.sh
ensure_venv .venv-typecheck
.venv-typecheck/bin/python -m pip install -q --disable-pip-version-check -r requirements/typecheck-blender.txt
# Its own settings: the main config excludes the adapter (the test venv has the real bpy, without stubs).
# union-attr is off: fake-bpy-module marks nearly every RNA pointer Optional (context.active_object, layout,
# obj.data...), which would need an assert on every line; everything else is checked.
.venv-typecheck/bin/mypy --config-file /dev/null --python-version 3.11 --check-untyped-defs --ignore-missing-imports \
  --follow-imports=silent --explicit-package-bases --disable-error-code union-attr -p posers_blender.blender
