"""Engine cost per frame for every motion, against the budget (median over repeated runs).

Usage: python scripts/bench_engine.py [--repeats N]
Budget (issue 2): idle-breathe on the 55-bone default avatar, median <= 0.25 ms per frame at 60 fps.
Exit status 1 if a budget is exceeded.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from posers_blender.cli.bench_cmd import bench_motion  # noqa: E402
from posers_blender.registry import discover  # noqa: E402

BUDGET_MS = {"idle-breathe": 0.25}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeats", type=int, default=9)
    args = ap.parse_args()
    failed = False
    print(f"{'motion':<22} {'median ms/frame':>16} {'min':>8} {'max':>8}  budget")
    for mid in sorted(discover()):
        r = bench_motion(mid, seconds=10.0, fps=60.0, repeats=args.repeats)
        budget = BUDGET_MS.get(mid)
        verdict = "" if budget is None else ("PASS" if r["median_ms"] <= budget else "FAIL")
        failed |= verdict == "FAIL"
        b = f"<= {budget} ms {verdict}" if budget else "-"
        print(f"{mid:<22} {r['median_ms']:>16.4f} {r['min_ms']:>8.4f} {r['max_ms']:>8.4f}  {b}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
