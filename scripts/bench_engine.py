"""Engine cost per frame for every motion, against the budgets of issue 12 (medians over repeated runs).

Usage: python scripts/bench_engine.py [--repeats N] [--motion ID ...]

Budgets (55-bone default avatar, 60 fps):
- every motion costs at most 0.1 ms per frame for a 10 s clip;
- the cost per frame of a 120 s clip is within 1.3x of the 10 s clip's (no cost that grows with length).

Prints one line per motion with both medians, their ratio and PASS/FAIL per budget; exit status 1 if any
budget fails. Timings are wall-clock medians: run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from posers_blender.cli.bench_cmd import bench_motion  # noqa: E402
from posers_blender.registry import discover  # noqa: E402

FPS = 60.0
SHORT_S, LONG_S = 10.0, 120.0
BUDGET_MS = 0.1  # per frame, 10 s clip
GROWTH = 1.3  # 120 s per-frame cost over 10 s per-frame cost


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5, help="timed runs per motion and length (default 5)")
    ap.add_argument("--motion", action="append", help="only these motions (repeatable)")
    args = ap.parse_args()
    ids = args.motion or sorted(discover())
    unknown = sorted(set(ids) - set(discover()))
    if unknown:
        print(f"unknown motion(s) {', '.join(unknown)}: see `python -m posers_blender list`")
        return 2
    failed = False
    print(f"engine cost per frame at {FPS:g} fps, median of {args.repeats} runs (ms/frame)")
    print(f"{'motion':<22} {'10 s':>8} {'120 s':>8} {'ratio':>6}  <= {BUDGET_MS} ms @10 s  120 s <= {GROWTH}x")
    for mid in ids:
        short = bench_motion(mid, seconds=SHORT_S, fps=FPS, repeats=args.repeats)["median_ms"]
        long = bench_motion(mid, seconds=LONG_S, fps=FPS, repeats=args.repeats)["median_ms"]
        ratio = long / short
        ok_budget, ok_growth = short <= BUDGET_MS, ratio <= GROWTH
        failed |= not (ok_budget and ok_growth)
        print(
            f"{mid:<22} {short:>8.4f} {long:>8.4f} {ratio:>6.2f}  {verdict(ok_budget):>16}  {verdict(ok_growth):>15}",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
