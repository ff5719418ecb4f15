#!/usr/bin/env bash
# Set up .venv (idempotent) and run the main job on the built-in avatar:
# every motion sampled to BVH (and NPZ) in out/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_python.sh
ensure_venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check .
mkdir -p out
for motion in $(.venv/bin/posers list --ids); do
  .venv/bin/posers sample "$motion" --seconds 10 --fps 30 --seed 1 --out "out/$motion.bvh" --force
done
echo "done: BVH files in out/ (metres, Y up; open with File > Import > Motion Capture (.bvh) in Blender)"
