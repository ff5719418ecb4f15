"""Plot a standing motion beside ReActIdle people on the realism check's common body (issue 13: look at it).

Usage: python scripts/standing_vs_mocap.py [--motion idle-breathe] [--seconds 30] [--seed 0] [--out FILE.png]
Needs ../shared/data (the ReActIdle takes) and matplotlib. Each row is one take: the hips' travel in the world
(side, forward), the head and the left wrist relative to the hips (forward, sideways, up), all minus their
means, so the texture of the motion between the designed beats can be compared by eye.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posers_blender.quality.realism import file_take, motion_takes  # noqa: E402
from posers_blender.quality.realism.windows import CORE_JOINTS, Take  # noqa: E402
from posers_blender.registry import get  # noqa: E402

IDLE = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "bvh" / "idle"
PEOPLE = ("reactidle_002_genuine", "reactidle_010_genuine", "reactidle_012_acted")


def _curves(take: Take, seconds: float) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Times and the plotted curves (mm, minus their means) of the first ``seconds`` of a take."""
    n = min(take.n_frames, int(seconds * take.fps))
    p = take.pos[:n]
    j = {name: i for i, name in enumerate(CORE_JOINTS)}
    hips = p[:, j["hips"]]
    side = p[:, j["leftUpperLeg"]] - p[:, j["rightUpperLeg"]]
    side[:, 1] = 0.0
    side /= np.linalg.norm(side, axis=1, keepdims=True)
    fwd = np.cross(side, np.array([0.0, 1.0, 0.0]))

    def local(v: np.ndarray) -> np.ndarray:
        return np.stack([(v * side).sum(1), v[:, 1], (v * fwd).sum(1)], axis=1)

    out = {
        "hips side": hips[:, 0],
        "hips forward": hips[:, 2],
        "head forward": local(p[:, j["head"]] - hips)[:, 2],
        "head side": local(p[:, j["head"]] - hips)[:, 0],
        "left wrist forward": local(p[:, j["leftHand"]] - hips)[:, 2],
        "left wrist up": local(p[:, j["leftHand"]] - hips)[:, 1],
    }
    return np.arange(n) / take.fps, {k: 1000.0 * (v - v.mean()) for k, v in out.items()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--motion", default="idle-breathe")
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="docs/standing_vs_reactidle.png")
    args = ap.parse_args()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    takes = motion_takes(get(args.motion), (args.seed,), args.seconds)
    takes += [file_take(IDLE / f"{name}.bvh") for name in PEOPLE]
    names = list(_curves(takes[0], 1.0)[1])
    fig, axes = plt.subplots(len(names), 1, figsize=(11, 2.0 * len(names)), sharex=True)
    for take in takes:
        t, c = _curves(take, args.seconds)
        for ax, k in zip(axes, names):
            ax.plot(t, c[k], lw=1.4 if take is takes[0] else 0.9, label=take.name)
    for ax, k in zip(axes, names):
        ax.set_ylabel(f"{k}\n(mm)")
        ax.grid(alpha=0.3)
    axes[0].legend(loc="upper right", fontsize=7, ncol=4)
    axes[-1].set_xlabel("s")
    fig.suptitle(f"{args.motion} (seed {args.seed}) beside ReActIdle people, on one body, minus each mean")
    fig.tight_layout()
    fig.savefig(args.out, dpi=80)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
