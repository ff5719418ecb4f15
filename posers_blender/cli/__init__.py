"""The ``posers`` command line.

Each subcommand is a module ``<name>_cmd.py`` in this package with
``add_parser(subparsers)`` and ``run(args) -> int``; they are found automatically
and listed in :data:`PREFERRED_ORDER`. User
mistakes (bad parameters, missing files, unknown motions) end with one clear
line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from ..engine.params import ParamError
from ..engine.program import MotionError

#: Help order of the subcommands; any other ``*_cmd.py`` module in this package is added after them.
PREFERRED_ORDER: tuple[str, ...] = (
    "list",
    "describe",
    "sample",
    "check",
    "retarget",
    "tune",
    "realism",
    "report",
    "bake",
    "bench",
)


def _command_names() -> tuple[str, ...]:
    found = sorted(m.name[:-4] for m in pkgutil.iter_modules(__path__) if m.name.endswith("_cmd"))
    return tuple(n for n in PREFERRED_ORDER if n in found) + tuple(n for n in found if n not in PREFERRED_ORDER)


COMMANDS: tuple[str, ...] = _command_names()


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
