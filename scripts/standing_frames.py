"""Stick-figure snapshots (front and side view) of a standing motion at chosen times, into a PNG.

Usage: python scripts/standing_frames.py MOTION T1 T2 ... [--seconds S] [--seed N] [--set k=v] [--out file.png]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posers_blender import humanoid as hm  # noqa: E402
from posers_blender.engine.sampler import sample  # noqa: E402
from posers_blender.registry import get  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("motion")
    ap.add_argument("times", nargs="+", type=float)
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--out", type=Path, default=Path("/tmp/standing/frames.png"))
    a = ap.parse_args()
    params = get(a.motion).schema.parse_assignments(a.set)
    dur = a.seconds or max(a.times) + 1.0
    clip = sample(get(a.motion), params, seed=a.seed, fps=30, duration=dur)
    grot, gpos = clip.fk()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, len(a.times), figsize=(3.2 * len(a.times), 9))
    axes = np.atleast_2d(axes).reshape(2, -1)
    par = clip.skeleton.parents
    chin = clip.skeleton.landmark_positions("chin", grot, gpos)
    for c, tm in enumerate(a.times):
        f = min(int(round(tm * clip.fps)), clip.n_frames - 1)
        for r, (u, v, name) in enumerate(((0, 1, "front (x,y)"), (2, 1, "side (z,y)"))):
            ax = axes[r, c]
            for j in range(len(hm.BONES)):
                p = par[j]
                if p < 0 or not clip.skeleton.has(hm.BONES[j]):
                    continue
                xs = [-gpos[f, p, u] if u == 0 else gpos[f, p, u], -gpos[f, j, u] if u == 0 else gpos[f, j, u]]
                col = "C0" if "left" in hm.BONES[j] else ("C3" if "right" in hm.BONES[j] else "k")
                ax.plot(xs, [gpos[f, p, v], gpos[f, j, v]], color=col, lw=1.2)
            cx = -chin[f, u] if u == 0 else chin[f, u]
            ax.plot([cx], [chin[f, v]], "g.", ms=6)
            ax.set_aspect("equal")
            ax.set_ylim(-0.02, 1.75)
            ax.set_xlim(-0.5, 0.5)
            ax.set_title(f"t={tm:.1f}s {name}", fontsize=8)
    fig.tight_layout()
    a.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(a.out, dpi=60)


if __name__ == "__main__":
    main()
