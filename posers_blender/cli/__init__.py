"""The ``posers`` command line.

Each subcommand is a module ``<name>_cmd.py`` in this package with
``add_parser(subparsers)`` and ``run(args) -> int``; they are found automatically
and listed in :data:`PREFERRED_ORDER`.

Errors go through one handler in :func:`main`: a mistake the user can fix
(bad parameters or files, unknown motions: any of :data:`USER_ERRORS`, or an
``OSError`` on a file) ends with one line ``posers: error: ...`` on stderr and
exit status 2, never a traceback. A subcommand reports such a mistake by
raising :class:`UserError` (or a reader's own error class listed in
:data:`USER_ERRORS`). Anything else is a bug: its traceback is kept, followed
by one line asking to report it, and the exit status is 3.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback
from collections.abc import Sequence

from ..engine.params import ParamError
from ..engine.program import MotionError
from ..io.bvh_read import BvhError
from ..io.clip_file import ClipFileError
from ..io.vrm_skeleton import VrmError
from ..references import ReferenceError
from ..tuning import TuningError

#: Help order of the subcommands; any other ``*_cmd.py`` module in this package is added after them.
PREFERRED_ORDER: tuple[str, ...] = (
    "list",
    "describe",
    "sample",
    "compose",
    "check",
    "retarget",
    "alive",
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


#: Errors that are the input's fault, not a bug: one line and exit status 2.
USER_ERRORS: tuple[type[Exception], ...] = (
    UserError,
    ParamError,
    MotionError,
    BvhError,
    ClipFileError,
    VrmError,
    ReferenceError,
    TuningError,
)


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors as one ``posers: error:`` line like every other mistake."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"posers: error: {self.prog}: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="posers", description="Posers: procedural motion for VRM avatars.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"{__name__}.{name.replace('-', '_')}_cmd")
        p = module.add_parser(sub)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 done, 1 a quality gate failed, 2 bad input, 3 a bug)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed as one line
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return int(args._run(args) or 0)
    except USER_ERRORS as exc:
        return _error(str(exc) or type(exc).__name__)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into head
        return 0
    except OSError as exc:  # a file that cannot be read or written
        return _error(_os_error_text(exc))
    except Exception:
        traceback.print_exc()
        print(
            "posers: internal error: this is a bug in Posers, not in your input; please report it with the command "
            "line and the traceback above",
            file=sys.stderr,
        )
        return 3


def _error(message: str) -> int:
    print(f"posers: error: {' '.join(message.split())}", file=sys.stderr)
    return 2


def _os_error_text(exc: OSError) -> str:
    name = f"'{exc.filename}'" if exc.filename is not None else "a file"
    if isinstance(exc, FileNotFoundError):
        return f"{name} does not exist"
    if isinstance(exc, IsADirectoryError):
        return f"{name} is a folder, not a file"
    if isinstance(exc, PermissionError):
        return f"no permission to access {name}"
    return f"cannot access {name}: {exc.strerror or exc}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
