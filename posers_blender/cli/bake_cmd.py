"""posers bake ARGS: bake motions in Blender (pip ``bpy`` module) — the same code as scripts/posers_bake.py."""

from __future__ import annotations

import argparse
import importlib.util

from ..blender import headless
from . import UserError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p = sub.add_parser(
        "bake",
        help="bake motions onto a VRM or the built-in avatar with Blender (needs the bpy module)",
        epilog=headless.USAGE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    headless.add_arguments(p)
    return p


def run(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("bpy") is None:
        raise UserError(
            "'posers bake' needs Blender's Python module: pip install -r requirements/blender.txt "
            "(Python 3.11), or run scripts/posers_bake.py inside Blender"
        )
    return headless.run(args)
