#!/usr/bin/env python3
"""Regenerate the README's report pictures in docs/report/ from OUR motions only (no mocap: its licence
keeps it out of the repository and the README).

    python scripts/make_readme_report.py [MOTION] [--seconds 20] [--seed 0]

Writes docs/report/<motion>_{frames,joint_angles,trajectories,foot_heights}.png and <motion>_stick.gif
(small: under 1 MB together) and prints their sizes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from posers_blender.report import build_report  # noqa: E402

KEEP = ("frames.png", "joint_angles.png", "trajectories.png", "foot_heights.png", "stick.gif")
BUDGET = 1_000_000  # bytes for all README pictures


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("motion", nargs="?", default="idle-breathe")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    dest = REPO / "docs" / "report"
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        build_report([args.motion], Path(tmp), references=(), seconds=args.seconds, seed=args.seed)
        for name in KEEP:
            shutil.copyfile(Path(tmp) / args.motion / name, dest / f"{args.motion}_{name}")
    total = 0
    for name in KEEP:
        f = dest / f"{args.motion}_{name}"
        total += f.stat().st_size
        print(f"{f.relative_to(REPO)}  {f.stat().st_size / 1024:.0f} KB")
    print(f"total {total / 1024:.0f} KB (budget {BUDGET / 1024:.0f} KB)")
    return 0 if total <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
