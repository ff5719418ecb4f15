"""posers realism MOTION|FILE --reference FILE_OR_DIR...: how well a window classifier tells the motion
(or a clip) from real people, as a cross-validated ROC AUC, and the features that give it away."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import UserError
from .common import motion_params, program_for

DEFAULT_SECONDS = 30.0
DEFAULT_SEEDS = 3


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p = sub.add_parser(
        "realism",
        help="can a classifier tell the motion from real people? (cross-validated ROC AUC; 0.5 = no)",
        description="Samples the motion at --seeds seeds (or reads FILE.bvh/.npz), retargets the reference mocap "
        "onto the same default avatar, cuts both into 2-s windows and cross-validates a regularised logistic "
        "regression on a rich feature set, holding out one person or seed at a time. Prints the ROC AUC "
        "(0.5: indistinguishable, 1: always told apart) and the features that separate most.",
    )
    p.add_argument("target", help="motion id (e.g. idle-breathe), or a FILE.bvh / FILE.npz clip")
    p.add_argument(
        "--reference",
        action="append",
        default=[],
        metavar="FILE_OR_DIR",
        nargs="+",
        help="reference mocap (.bvh/.npz files or folders, searched recursively)",
    )
    p.add_argument(
        "--seconds", type=float, default=DEFAULT_SECONDS, help=f"clip length per seed (default {DEFAULT_SECONDS:g})"
    )
    p.add_argument("--seed", type=int, default=0, help="first seed (default 0); seeds seed..seed+N-1 are sampled")
    p.add_argument(
        "--seeds",
        type=int,
        default=DEFAULT_SEEDS,
        help=f"number of seeds, each held out in turn (default {DEFAULT_SEEDS})",
    )
    p.add_argument(
        "--set", dest="assignments", action="append", default=[], metavar="NAME=VALUE", help="set a motion parameter"
    )
    p.add_argument("--params", metavar="PRESET.json", help="JSON preset of parameter values (--set wins over it)")
    p.add_argument("--top", type=int, default=8, help="how many separating features to list (default 8)")
    p.add_argument(
        "--texture",
        action="store_true",
        help="leave the posture features out (mean pose angles, wrist places, face pitch, hips height): judge how "
        "the motion moves, not the pose it holds (for a designed pose people in the reference never take)",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON (the AUC is the top-level 'auc')")
    return p


def run(args: argparse.Namespace) -> int:
    from ..quality.realism import compare, file_take, motion_takes, take_files

    refs = [r for group in args.reference for r in group]
    if not refs:
        raise UserError(
            "posers realism needs reference mocap: pass --reference FILE_OR_DIR (e.g. ../shared/data/bvh/idle)"
        )
    if not 2.0 <= args.seconds <= 600.0:
        raise UserError(f"--seconds {args.seconds:g} is out of range: use 2 to 600 (one window is 2 s)")
    if not 1 <= args.seeds <= 20:
        raise UserError(f"--seeds {args.seeds} is out of range: use 1 to 20")
    try:
        ref_takes = [file_take(f) for f in take_files(refs)]
        target = str(args.target)
        if target.lower().endswith((".bvh", ".npz")):
            if not Path(target).is_file():
                raise UserError(f"file '{target}' does not exist")
            gen = [file_take(target)]
            subject = Path(target).name
        else:
            prog = program_for(target)
            params = motion_params(prog, args)
            seeds = tuple(range(args.seed, args.seed + args.seeds))
            gen = motion_takes(prog, seeds, args.seconds, params=params)
            subject = f"{prog.meta.id} (seeds {seeds[0]}-{seeds[-1]}, {args.seconds:g} s)"
        result = compare(gen, ref_takes, subject, top=args.top, texture=args.texture)
    except ValueError as exc:  # BvhError is a ValueError
        raise UserError(str(exc)) from None
    if args.json:
        json.dump(result.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(result.table())
    return 0
