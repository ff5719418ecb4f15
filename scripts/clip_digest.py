"""Save or compare the sampled arrays of every motion, to prove a refactor changes no motion.

Usage:
    python scripts/clip_digest.py save DIR      # sample every motion and write DIR/<case>.npz
    python scripts/clip_digest.py compare DIR   # sample again and compare bit for bit (exit 1 on any difference)

Cases: every motion at seeds 0-2 (12 s at 30 fps), seed 0 at 60 fps for 40 s (long enough for every
event schedule), and seed 1 on the sample VRMs' skeletons when ``../shared/data/vrm`` is present.
Arrays compared: local rotations, hips positions, expressions, gaze and markers.

Two runs of the same code in two processes can differ in the last bit (about 1e-16): OpenBLAS and
numpy's SIMD loops pick kernels by memory alignment. ``compare`` therefore reports three counts:
bit-identical, equal within ``--tol`` (default 1e-12, float noise), and different (exit 1).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from posers_blender.engine.clip import Clip  # noqa: E402
from posers_blender.engine.sampler import sample  # noqa: E402
from posers_blender.engine.skeleton import Skeleton, default_avatar  # noqa: E402
from posers_blender.io.vrm_skeleton import load_vrm_skeleton  # noqa: E402
from posers_blender.registry import discover  # noqa: E402

VRM_DIR = ROOT.parent / "shared" / "data" / "vrm"


def cases() -> Iterator[tuple[str, str, int, float, float, Skeleton]]:
    """(case name, motion id, seed, fps, seconds, skeleton) for every saved clip."""
    default = default_avatar()
    vrms = sorted(VRM_DIR.glob("*.vrm")) if VRM_DIR.is_dir() else []
    skeletons = [(p.stem, load_vrm_skeleton(p)) for p in vrms]
    for mid in sorted(discover()):
        for seed in (0, 1, 2):
            yield f"{mid}_s{seed}_30fps", mid, seed, 30.0, 12.0, default
        yield f"{mid}_s0_60fps_40s", mid, 0, 60.0, 40.0, default
        for name, skel in skeletons:
            yield f"{mid}_s1_{name}", mid, 1, 30.0, 8.0, skel


def arrays(clip: Clip) -> dict[str, np.ndarray]:
    out = {"lrot": clip.lrot, "hips_pos": clip.hips_pos}
    if clip.gaze is not None:
        out["gaze"] = clip.gaze
    for name, track in clip.expressions.items():
        out[f"expr_{name}"] = track
    out["marker_times"] = np.array([t for t, _ in clip.markers], dtype=np.float64)
    out["marker_names"] = np.array([n for _, n in clip.markers], dtype=str)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("save", "compare"))
    ap.add_argument("dir", type=Path)
    ap.add_argument("--motion", action="append", help="only these motion ids (repeatable)")
    ap.add_argument("--tol", type=float, default=1e-12, help="largest difference taken as float noise")
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    programs = discover()
    differ = noise = same = 0
    for name, mid, seed, fps, seconds, skel in cases():
        if args.motion and mid not in args.motion:
            continue
        got = arrays(sample(programs[mid], seed=seed, fps=fps, duration=seconds, skeleton=skel))
        path = args.dir / f"{name}.npz"
        if args.mode == "save":
            np.savez_compressed(path, **got)
            continue
        if not path.exists():
            print(f"MISSING {name}")
            differ += 1
            continue
        with np.load(path) as ref:
            keys = sorted(set(ref.files) | set(got))
            if any(k not in ref.files or k not in got or ref[k].shape != got[k].shape for k in keys):
                print(f"DIFFER {name}: arrays or shapes differ")
                differ += 1
                continue
            exact = [k for k in keys if np.array_equal(ref[k], got[k])]
            worst = max(
                (float(np.abs(ref[k] - got[k]).max()) for k in keys if k not in exact and ref[k].dtype.kind == "f"),
                default=0.0,
            )
            if len(exact) == len(keys):
                same += 1
            elif all(k in exact or ref[k].dtype.kind == "f" for k in keys) and worst <= args.tol:
                noise += 1
            else:
                print(f"DIFFER {name}: {', '.join(k for k in keys if k not in exact)} (max |d| {worst:.3g})")
                differ += 1
    if args.mode == "compare":
        print(f"{same} bit-identical, {noise} within {args.tol:g} (float noise), {differ} different")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
