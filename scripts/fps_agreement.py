"""Does a motion look the same at every frame rate? Sample at 24/30/60/120 fps with one seed and compare.

Usage (from the repository root):

    python scripts/fps_agreement.py [--motions ID ...] [--seconds 20] [--seeds 0 1 2] [--joints] [--json OUT.json]

Every clip is compared with the 120 fps clip at the coarser clip's own frame times (all of them lie on
the 120 fps grid): the largest local-rotation angle difference per joint (degrees) and the largest
joint-position difference (mm, forward kinematics with the hips). Issue 15's goal is within 1° and 5 mm.
Exit status 1 when a motion misses it.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from posers_blender import humanoid as hm  # noqa: E402
from posers_blender.engine import quat, sample  # noqa: E402
from posers_blender.engine.clip import Clip  # noqa: E402
from posers_blender.registry import gated_motions  # noqa: E402

REFERENCE_FPS = 120.0
FPS = (24.0, 30.0, 60.0)
MAX_DEG = 1.0
MAX_MM = 5.0


@dataclass(frozen=True)
class Agreement:
    """How far one frame rate's clip is from the reference, per joint."""

    motion: str
    seed: int
    fps: float
    deg: np.ndarray  # [J] largest local-rotation difference
    mm: np.ndarray  # [J] largest joint-position difference

    @property
    def passed(self) -> bool:
        return float(self.deg.max()) <= MAX_DEG and float(self.mm.max()) <= MAX_MM

    def line(self) -> str:
        jd, jp = int(np.argmax(self.deg)), int(np.argmax(self.mm))
        flag = "ok  " if self.passed else "MISS"
        return (
            f"{flag} {self.motion:<20} seed {self.seed:<3d} {self.fps:>5g} vs {REFERENCE_FPS:g} fps: "
            f"max {self.deg[jd]:6.2f} deg ({hm.BONES[jd]}), {self.mm[jp]:6.1f} mm ({hm.BONES[jp]}); "
            f"joints over {MAX_DEG:g} deg: {int((self.deg > MAX_DEG).sum())}, over {MAX_MM:g} mm: "
            f"{int((self.mm > MAX_MM).sum())}"
        )


def compare(clip: Clip, ref: Clip) -> tuple[np.ndarray, np.ndarray]:
    """(deg [J], mm [J]): the largest differences of ``clip`` from ``ref`` at ``clip``'s frame times."""
    step = ref.fps / clip.fps
    idx = np.rint(np.arange(clip.n_frames) * step).astype(int)
    keep = idx < ref.n_frames
    idx = idx[keep]
    assert np.allclose(idx / ref.fps, clip.times[keep], atol=1e-9), "frame times do not lie on the reference grid"
    deg = np.degrees(quat.angle_between(clip.lrot[keep], ref.lrot[idx])).max(axis=0)
    mm = 1000.0 * np.linalg.norm(clip.fk()[1][keep] - ref.fk()[1][idx], axis=-1).max(axis=0)
    return deg, mm


def agreement(motion: str, seconds: float, seed: int) -> list[Agreement]:
    program = gated_motions()[motion]
    ref = sample(program, {}, seed=seed, fps=REFERENCE_FPS, duration=seconds)
    out = []
    for fps in FPS:
        deg, mm = compare(sample(program, {}, seed=seed, fps=fps, duration=seconds), ref)
        out.append(Agreement(motion, seed, fps, deg, mm))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--motions", nargs="*", help="motion ids (default: every gated motion)")
    ap.add_argument("--seconds", type=float, default=20.0, help="clip length (default 20 s)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0], help="seeds to compare, each in turn (default 0)")
    ap.add_argument("--joints", action="store_true", help="also list every joint over the goal")
    ap.add_argument("--json", metavar="OUT.json", help="write the per-joint differences as JSON")
    args = ap.parse_args(argv)
    ids = args.motions or sorted(gated_motions())
    results: list[Agreement] = []
    for mid in ids:
        for a in (a for seed in args.seeds for a in agreement(mid, args.seconds, seed)):
            results.append(a)
            print(a.line(), flush=True)
            if args.joints:
                for j in np.flatnonzero((a.deg > MAX_DEG) | (a.mm > MAX_MM)):
                    print(f"        {hm.BONES[j]:<24} {a.deg[j]:6.2f} deg {a.mm[j]:6.1f} mm")
    if args.json:
        data = [
            {
                "motion": a.motion,
                "seed": a.seed,
                "fps": a.fps,
                "reference_fps": REFERENCE_FPS,
                "passed": a.passed,
                "deg": {b: round(float(v), 4) for b, v in zip(hm.BONES, a.deg, strict=True)},
                "mm": {b: round(float(v), 3) for b, v in zip(hm.BONES, a.mm, strict=True)},
            }
            for a in results
        ]
        Path(args.json).write_text(json.dumps(data, indent=1), encoding="utf-8")
    return 0 if all(a.passed for a in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
