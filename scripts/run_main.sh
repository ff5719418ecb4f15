#!/usr/bin/env bash
# Set up .venv (idempotent) and run the main job on the built-in avatar:
# every motion sampled to BVH (and NPZ) in out/, then all motions baked in Blender (pip bpy module)
# into out/posers_all.blend with one NLA track per motion, plus Blender BVH and VRMA exports.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_python.sh
ensure_venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements/blender.txt ".[report]"
mkdir -p out
for motion in $(.venv/bin/posers list --ids); do
  .venv/bin/posers sample "$motion" --seconds 10 --fps 30 --seed 1 --out "out/$motion.bvh" --force
done
.venv/bin/posers bake --all --seconds 10 --fps 30 --seed 1 --nla --force \
  --out out/posers_all.blend --bvh out/posers_all_blender.bvh --vrma out/posers_all.vrma
echo "done: BVH files in out/ (metres, Y up; File > Import > Motion Capture (.bvh) in Blender),"
echo "      out/posers_all.blend (NLA track per motion), out/posers_all.vrma, out/posers_all_blender.bvh"
