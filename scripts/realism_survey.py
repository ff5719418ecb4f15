"""Measure every shipped motion's realism AUC against the dev mocap of its kind (issue 13 item 4).

Run from the repository root: python scripts/realism_survey.py [--json OUT.json]
Standing motions vs ReActIdle (30-s clips, seeds 0-2, leave-one-person-out); basic-walk vs the CMU walks and
the plain BNR walk; seductive-walk vs the styled walks. Each motion also gets its AUC without the posture
features (``texture``: how it moves, not the pose it holds). Needs ../shared/data.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posers_blender.quality.realism import compare, file_take, motion_takes  # noqa: E402
from posers_blender.registry import get  # noqa: E402

BVH = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "bvh"
IDLE = sorted((BVH / "idle").glob("*.bvh"))
WALK = sorted((BVH / "walk").glob("*.bvh")) + [BVH / "bnr1_walk_normal_001.bvh", BVH / "cmu_02_01_walk.bvh"]
STYLED = [BVH / "bnr1_walk_feminine_002.bvh", BVH / "xia_sexy_01_001.bvh", BVH / "bnr1_walk_not-confident_002.bvh"]
PLAN = {
    "idle-breathe": IDLE,
    "confident-stance": IDLE,
    "contemplative-lean": IDLE,
    "nervous-fidget": IDLE,
    "smoking-cigarette": IDLE,
    "basic-walk": WALK,
    "seductive-walk": STYLED,
}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", help="write all results here")
    ap.add_argument("--seconds", type=float, default=30.0)
    args = ap.parse_args()
    out = {}
    for motion, files in PLAN.items():
        refs = [file_take(f) for f in files]
        gen = motion_takes(get(motion), (0, 1, 2), args.seconds)
        res = compare(gen, refs, f"{motion} (seeds 0-2, {args.seconds:g} s)", top=10)
        print(res.table(), flush=True)
        tex = compare(gen, refs, motion, top=3, texture=True)
        print(f"  without the posture features (posers realism --texture): AUC {tex.auc:.3f}", flush=True)
        print()
        out[motion] = {**res.to_dict(), "texture_auc": tex.auc}
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
