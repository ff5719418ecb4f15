"""Argument helpers shared by subcommands: motion parameters, seeds, timing, the avatar."""

from __future__ import annotations

import argparse
from typing import Any

from ..engine.program import MotionProgram
from ..engine.skeleton import DEFAULT_HEIGHT, Skeleton, default_avatar
from ..registry import get


def seed(text: str) -> int:
    """A ``--seed`` value: a whole number >= 0, the range the Blender panel allows too."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number; use 0 or more") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is below 0; seeds are whole numbers from 0")
    return value


def add_motion_args(p: argparse.ArgumentParser, seconds: float = 10.0, fps: float = 30.0) -> None:
    p.add_argument("--seconds", type=float, default=seconds, help=f"clip length in seconds (default {seconds:g})")
    p.add_argument("--fps", type=float, default=fps, help=f"frames per second (default {fps:g})")
    p.add_argument("--seed", type=seed, default=0, help="random seed; the same seed gives the same motion (default 0)")
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


def avatar(args: argparse.Namespace) -> Skeleton:
    try:
        return default_avatar(args.height)
    except ValueError as exc:
        from . import UserError

        raise UserError(f"--height: {exc}") from None


def program_for(motion_id: str) -> MotionProgram:
    return get(motion_id)
