"""posers tune MOTION --trials N --reference DIR [--objective ...] [--seed S] [--out preset.json]:
search a motion's parameters and seeds for settings that pass every hard gate and come closest to
reference mocap (the quality suite's Fréchet distance, or with --objective realism the settings real people are
hardest to tell from: the lowest cross-validated classifier AUC); prints the best settings as a preset JSON."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from . import UserError
from .common import add_seed_arg, program_for


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    from ..tuning import OBJECTIVES

    p = sub.add_parser(
        "tune",
        help="search parameters and seeds that pass the gates and come closest to reference mocap",
        description="Random search over the motion's parameter ranges and seeds, then an evolution-strategy "
        "refinement around the best; scored by the Fréchet distance to reference clips of the motion's "
        "category (from --reference DIR; categories from a SOURCES.md there). Deterministic for --seed.",
    )
    p.add_argument("motion", help="motion id, e.g. idle-breathe")
    p.add_argument("--trials", type=int, default=20, help="number of settings to try (default 20)")
    p.add_argument(
        "--objective",
        default="frechet",
        choices=sorted(OBJECTIVES),
        help="; ".join(f"{k}: {v}" for k, v in OBJECTIVES.items()),
    )
    add_seed_arg(p, "search seed; the same seed gives the same result")
    p.add_argument("--reference", action="append", default=[], metavar="DIR", help="reference mocap folder or file")
    p.add_argument("--seconds", type=float, default=8.0, help="clip length per trial (default 8; >= 5.5)")
    p.add_argument("--out", help="also write the preset JSON here")
    p.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    p.add_argument("--quiet", action="store_true", help="no per-trial progress on stderr")
    return p


def run(args: argparse.Namespace) -> int:
    from ..references import ReferenceError, load_references, motion_categories
    from ..tuning import tune

    program = program_for(args.motion)
    if not args.reference:
        raise UserError(
            "posers tune needs reference mocap to compare with: pass --reference DIR (a folder of BVH clips, "
            "e.g. ../shared/data/bvh); mocap is not shipped with Posers"
        )
    if not 1 <= args.trials <= 10000:
        raise UserError(f"--trials {args.trials} is out of range: use 1 to 10000")
    if not 5.5 <= args.seconds <= 120.0:
        raise UserError(f"--seconds {args.seconds:g} is out of range: use 5.5 to 120 (the distance needs 5.5 s)")
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not args.force:
        raise UserError(f"'{out}' already exists; pass --force to overwrite it or choose another --out")
    cats = motion_categories(program.meta)
    try:
        refs = load_references(args.reference, cats)
    except ReferenceError as exc:
        raise UserError(str(exc)) from None

    def progress(i: int, t: object) -> None:
        if not args.quiet:
            fd = getattr(t, "frechet", math.nan)
            status = "gates PASS" if getattr(t, "gates_passed", False) else "gates FAIL"
            score = f"AUC {getattr(t, 'auc', math.nan):.3f}" if args.objective == "realism" else f"Fréchet {fd:.2f}"
            print(f"trial {i + 1}/{args.trials}: {score}, {status}, seed {getattr(t, 'seed', '?')}", file=sys.stderr)

    result = tune(
        program, [r.clip for r in refs], args.trials, args.objective, args.seed, args.seconds, progress=progress
    )
    result.references = [r.name for r in refs]
    text = json.dumps(result.preset(), indent=2, sort_keys=True)
    print(text)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    return 0
