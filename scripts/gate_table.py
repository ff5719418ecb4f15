"""Print the per-motion gate/band table that tests/quality/test_every_motion.py asserts (same clips and seeds).

Usage: python scripts/gate_table.py   (from the repository root; ~30 s)
One Markdown row per (motion, seed): gates passed, bands passed, and every failing line.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "quality"))

import test_every_motion as every  # noqa: E402

from posers_blender.engine import sample  # noqa: E402
from posers_blender.quality import evaluate  # noqa: E402
from posers_blender.registry import gated_motions  # noqa: E402


def main() -> None:
    print(f"| motion | seed | gates | bands | failing lines ({every.DURATION:g} s at {every.FPS:g} fps) |")
    print("|---|---|---|---|---|")
    for motion in every.MOTIONS:
        program = gated_motions()[motion]
        for seed in every.SEEDS:
            r = evaluate(sample(program, {}, seed=seed, fps=every.FPS, duration=every.DURATION), program.meta)
            g = [x for x in r.results if x.kind == "gate"]
            b = [x for x in r.results if x.kind == "band"]
            fails = "; ".join(f"{x.name}={x.value:.4g} ({x.bound}) {x.detail}" for x in r.failed())
            ok_g, ok_b = sum(bool(x.passed) for x in g), sum(bool(x.passed) for x in b)
            print(f"| {motion} | {seed} | {ok_g}/{len(g)} | {ok_b}/{len(b)} | {fails or '-'} |", flush=True)


if __name__ == "__main__":
    main()
