"""posers bake ARGS: bake motions in Blender (pip ``bpy`` module) — the same code as scripts/posers_bake.py."""

from __future__ import annotations

import argparse
import atexit
import importlib.util

from ..blender import headless
from . import USER_ERRORS, UserError


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
    if _skip_hanging_teardown not in _registered:
        atexit.register(_skip_hanging_teardown)
        _registered.append(_skip_hanging_teardown)
    try:
        code = headless.run(args)
    except _USER_FAULTS:
        _status[0] = 2  # the CLI turns these into one line and status 2 after this returns
        raise
    except KeyboardInterrupt:
        _status[0] = 130
        raise
    _status[0] = code
    return code


#: What the CLI reports in one line with status 2.
_USER_FAULTS: tuple[type[BaseException], ...] = (*USER_ERRORS, OSError)
#: The exit status ``posers`` will end with, for :func:`_skip_hanging_teardown` (3: an internal error).
_status = [3]
_registered: list[object] = []


def _skip_hanging_teardown() -> None:
    """At exit: end now where the pip bpy 4.5 module would hang in teardown (see ``compat.exit``)."""
    from ..blender import compat

    if compat.exit_hangs():
        compat.exit(_status[0])
