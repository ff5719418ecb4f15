"""posers check MOTION|FILE.bvh|FILE.npz: score a motion or a clip with the quality suite.

Prints one line per metric (value, unit, gate/band/info, bound, PASS/FAIL,
detail). Exit status 1 when a hard gate fails, 0 otherwise (bands report but
do not fail the command), 2 for usage errors.

BVH input is retargeted and then resampled to ``--fps`` (default 30) before it
is scored: the gates are defined at 20-30 fps (metrics file §0: published
thresholds assume those rates), and a 120 fps take scored at its own rate
fails them on marker noise alone (CMU hand channels: one-frame jumps and joint
speeds that vanish at 30 fps). Sampled ``.npz`` clips are scored as saved.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..engine.clip import Clip
from ..engine.sampler import sample
from ..io.clip_file import load_clip_npz
from ..mocap import load_bvh_clip
from ..quality import evaluate, known_checks, validate_checks
from . import UserError
from .common import add_motion_args, avatar, motion_params, motion_target_points, program_for

DEFAULT_SECONDS = 60.0  # long enough for rates (breaths, blinks) to mean something


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    names = ", ".join(k for k in known_checks() if k != "gates")
    p = sub.add_parser(
        "check",
        help="score a motion (or a .bvh/.npz clip) against the quality gates and bands",
        description=f"Hard gates always apply. Band checks: {names}.",
    )
    p.add_argument(
        "target",
        help="motion id (e.g. idle-breathe), a mocap FILE.bvh (scored at --fps, default 30) or a sampled FILE.npz",
    )
    add_motion_args(p, seconds=DEFAULT_SECONDS)
    p.add_argument(
        "--checks",
        metavar="NAME,...",
        help="band checks to apply (default: the motion's declared checks; none for files)",
    )
    p.add_argument(
        "--standing", action="store_true", help="apply the standing-motion gates to a file (motions declare it)"
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    return p


def _load_file(path: Path, fps: float) -> tuple[Clip, str]:
    """The clip to score and how to name it: an NPZ as saved, a BVH retargeted and resampled to ``fps``."""
    if path.suffix.lower() == ".npz":
        return load_clip_npz(path), path.name
    if not fps > 0:
        raise UserError(f"--fps {fps:g}: the rate to score '{path.name}' at must be above 0 (default 30)")
    return load_bvh_clip(path, fps=fps), f"{path.name} (at {fps:g} fps)"


def run(args: argparse.Namespace) -> int:
    checks = None
    if args.checks is not None:
        try:
            checks = validate_checks(args.checks.split(","))
        except ValueError as exc:
            raise UserError(str(exc)) from None
    target = str(args.target)
    if target.lower().endswith((".bvh", ".npz")):
        clip, subject = _load_file(Path(target), args.fps)
        report = evaluate(clip, None, checks=checks or (), standing=args.standing, subject=subject)
    else:
        prog = program_for(target)
        params = motion_params(prog, args)
        goals = motion_target_points(prog, args)
        clip = sample(
            prog, params, seed=args.seed, fps=args.fps, duration=args.seconds, skeleton=avatar(args), targets=goals
        )
        report = evaluate(clip, prog.meta, checks=checks, standing=True if args.standing else None)
        report.subject = f"{prog.meta.id} (seed {args.seed}, {args.seconds:g} s at {args.fps:g} fps)"
    if args.json:
        json.dump(report.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(report.table())
    return 0 if report.gates_passed else 1
