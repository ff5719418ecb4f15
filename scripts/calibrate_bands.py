#!/usr/bin/env python3
"""Recompute the mocap-calibrated quality bands (issue 3) from reference clips.

Usage (from the repository root; the dev mocap sits next to the checkout in ../shared/data):

    python scripts/calibrate_bands.py [../shared/data/bvh ...]

Prints the per-clip periodicity purity of the in-place clips (categories stance, fidget, hand_to_mouth,
from the folder's SOURCES.md) and their 95th percentile, which is what
``posers_blender.quality.bands.PERIODICITY_PURITY_MAX`` pins, and says whether the pinned value still matches.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from posers_blender.calibration import periodicity_purity_calibration  # noqa: E402
from posers_blender.quality import bands  # noqa: E402


def main(argv: list[str]) -> int:
    paths = argv or [str(p) for p in (REPO.parent / "shared" / "data" / "bvh",) if p.is_dir()][:1]
    if not paths:
        print("no reference folder given and ../shared/data/bvh not found", file=sys.stderr)
        return 2
    cal = periodicity_purity_calibration(paths)
    print(cal.text())
    pinned = bands.PERIODICITY_PURITY_MAX.hi
    same = pinned is not None and abs(pinned - round(cal.value, 2)) < 1e-9
    print(f"pinned PERIODICITY_PURITY_MAX = {pinned}  ({'matches' if same else 'DIFFERS: update quality/bands.py'})")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
