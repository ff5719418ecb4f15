"""The ``posers`` command line.

Each subcommand is a module in this package with ``add_parser(subparsers)``
and ``run(args) -> int``; :data:`COMMANDS` lists them in help order. User
mistakes (bad parameters, missing files, unknown motions) end with one clear
line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from posers_blender.engine.params import ParamError
from posers_blender.engine.program import MotionError

COMMANDS: tuple[str, ...] = ("list", "describe", "sample", "check", "retarget", "tune", "report", "bench")


class UserError(Exception):
    """A mistake the user can fix; printed as one line."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="posers", description="Posers: procedural motion for VRM avatars.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"{__name__}.{name.replace('-', '_')}_cmd")
        p = module.add_parser(sub)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except (ParamError, MotionError, UserError) as exc:
        print(f"posers: error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"posers: error: file not found: {exc.filename}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into head
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
