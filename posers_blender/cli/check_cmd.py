"""posers check MOTION|FILE.bvh|FILE.npz: score a motion or a clip with the quality suite.

Prints one line per metric (value, unit, gate/band/info, bound, PASS/FAIL,
detail). Exit status 1 when a hard gate fails, 0 otherwise (bands report but
do not fail the command), 2 for usage errors.
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
from .common import add_motion_args, avatar, motion_params, program_for

DEFAULT_SECONDS = 60.0  # long enough for rates (breaths, blinks) to mean something


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    names = ", ".join(k for k in known_checks() if k != "gates")
    p = sub.add_parser(
        "check",
        help="score a motion (or a .bvh/.npz clip) against the quality gates and bands",
        description=f"Hard gates always apply. Band checks: {names}.",
    )
    p.add_argument("target", help="motion id (e.g. idle-breathe), a mocap FILE.bvh or a sampled FILE.npz")
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


def _load_file(path: Path) -> Clip:
    if path.suffix.lower() == ".npz":
        return load_clip_npz(path)
    return load_bvh_clip(path)


def run(args: argparse.Namespace) -> int:
    checks = None
    if args.checks is not None:
        try:
            checks = validate_checks(args.checks.split(","))
        except ValueError as exc:
            raise UserError(str(exc)) from None
    target = str(args.target)
    if target.lower().endswith((".bvh", ".npz")):
        clip = _load_file(Path(target))
        report = evaluate(clip, None, checks=checks or (), standing=args.standing, subject=Path(target).name)
    else:
        prog = program_for(target)
        params = motion_params(prog, args)
        clip = sample(prog, params, seed=args.seed, fps=args.fps, duration=args.seconds, skeleton=avatar(args))
        report = evaluate(clip, prog.meta, checks=checks, standing=True if args.standing else None)
        report.subject = f"{prog.meta.id} (seed {args.seed}, {args.seconds:g} s at {args.fps:g} fps)"
    if args.json:
        json.dump(report.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(report.table())
    return 0 if report.gates_passed else 1
