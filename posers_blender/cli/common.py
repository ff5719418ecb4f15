"""Argument helpers shared by subcommands: motion parameters, seeds, timing, the avatar."""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..engine.params import SEED_MAX, ParamError, check_seed
from ..engine.program import MotionProgram
from ..engine.skeleton import DEFAULT_HEIGHT, Skeleton, default_avatar
from ..engine.targets import motion_targets
from ..registry import get


def seed_arg(text: str) -> int:
    """argparse type of every ``--seed``: a whole number from 0 to :data:`SEED_MAX` (32 bits)."""
    try:
        return check_seed(text)
    except ParamError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_seed_arg(p: argparse.ArgumentParser, help_text: str) -> None:
    p.add_argument("--seed", type=seed_arg, default=0, help=f"{help_text}; 0 to {SEED_MAX} (default 0)")


def add_motion_args(p: argparse.ArgumentParser, seconds: float = 10.0, fps: float = 30.0) -> None:
    p.add_argument("--seconds", type=float, default=seconds, help=f"clip length in seconds (default {seconds:g})")
    p.add_argument("--fps", type=float, default=fps, help=f"frames per second (default {fps:g})")
    add_seed_arg(p, "random seed; the same seed gives the same motion")
    p.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a motion parameter (repeatable); see 'posers describe MOTION'",
    )
    p.add_argument("--params", metavar="PRESET.json", help="JSON preset of parameter values (--set wins over it)")
    p.add_argument(
        "--target",
        dest="target_specs",
        action="append",
        default=[],
        metavar="NAME=X,Y,Z",
        help="place a target the motion reads (metres, avatar space: +Y up, facing +Z, left +X; repeatable), "
        "e.g. lookAt=0.5,1.5,2 (every motion reads lookAt; standing ones leftFoot/rightFoot)",
    )
    p.add_argument(
        "--height",
        type=float,
        default=DEFAULT_HEIGHT,
        help=f"height of the built-in avatar in metres (default {DEFAULT_HEIGHT})",
    )


def motion_params(program: MotionProgram, args: argparse.Namespace) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if getattr(args, "params", None):
        values.update(program.schema.load_preset(args.params))
    values.update(program.schema.parse_assignments(args.assignments))
    program.schema.validate(values)
    return values


def motion_target_points(program: MotionProgram | Sequence[MotionProgram], args: argparse.Namespace) -> dict[str, Any]:
    """``--target NAME=X,Y,Z`` values as points ``[3]``: a target the motion (one of the motions) reads, three
    finite numbers."""
    programs = [program] if isinstance(program, MotionProgram) else list(program)
    allowed = tuple(dict.fromkeys(n for prog in programs for n in motion_targets(prog.meta.targets)))
    ids = "' + '".join(prog.meta.id for prog in programs)
    out: dict[str, Any] = {}
    for spec in getattr(args, "target_specs", None) or []:
        name, sep, value = str(spec).partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParamError(f"--target {spec!r}: write NAME=X,Y,Z, e.g. --target lookAt=0.5,1.5,2")
        if name not in allowed:
            raise ParamError(f"--target {name}: motion '{ids}' does not read it; use one of {', '.join(allowed)}")
        try:
            xyz = [float(v) for v in value.split(",")]
        except ValueError:
            xyz = []
        if len(xyz) != 3 or not all(math.isfinite(v) for v in xyz):
            raise ParamError(f"--target {name}={value}: give three finite numbers in metres, e.g. {name}=0.5,1.5,2")
        out[name] = np.array(xyz)
    return out


def avatar(args: argparse.Namespace) -> Skeleton:
    try:
        return default_avatar(args.height)
    except ValueError as exc:
        from . import UserError

        raise UserError(f"--height: {exc}") from None


def program_for(motion_id: str) -> MotionProgram:
    return get(motion_id)
