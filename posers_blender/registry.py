"""Finding the motion programs.

The programs live in the top-level ``motions/`` folder of the repository and
are always imported as the subpackage ``<this package>.motions``, so a motion
uses relative imports (``from ..engine import quat``) that work wherever the
package is installed:

- a normal (non-editable) pip install and the Blender extension zip copy
  ``motions/`` into the package at build time (``pyproject.toml``'s
  ``package-dir`` mapping; ``scripts/build_extension.py``);
- a repository checkout has no ``posers_blender/motions``, so the folder next
  to the package is mapped in as that subpackage on first use.

Inside Blender the package is ``bl_ext.<repo>.posers_blender``; the
subpackage name follows it, so nothing here names the top-level package.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from pathlib import Path
from types import ModuleType

from .engine.program import MotionError, MotionProgram

_PKG = __name__.rsplit(".", 1)[0]
#: Tag of the frozen naive baseline motions (``baseline-*``): listed and reportable, but exempt from the
#: "every built-in motion passes the hard gates" rule, because failing them is their purpose.
BASELINE_TAG = "baseline"
_cache: dict[str, MotionProgram] | None = None


def _motions_package() -> ModuleType:
    name = f"{_PKG}.motions"
    if name in sys.modules:
        return sys.modules[name]
    here = Path(__file__).resolve().parent
    if (here / "motions" / "__init__.py").exists():
        return importlib.import_module(name)
    repo_motions = here.parent / "motions"
    init = repo_motions / "__init__.py"
    if not init.exists():
        raise MotionError(
            f"no motion programs found: neither {here / 'motions'} nor {repo_motions} exists; reinstall Posers"
        )
    spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(repo_motions)])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent = sys.modules[_PKG]
    setattr(parent, "motions", module)  # noqa: B010 - the attribute does not exist until now
    return module


def discover(refresh: bool = False) -> dict[str, MotionProgram]:
    """All motion programs by id. A module that fails to import raises :class:`MotionError` naming it."""
    global _cache
    if _cache is not None and not refresh:
        return _cache
    pkg = _motions_package()
    found: dict[str, MotionProgram] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        modname = f"{pkg.__name__}.{info.name}"
        try:
            module = importlib.import_module(modname)
        except Exception as exc:
            raise MotionError(f"motion module '{info.name}' failed to import: {type(exc).__name__}: {exc}") from exc
        program = getattr(module, "PROGRAM", None)
        if program is None:
            continue
        if not isinstance(program, MotionProgram):
            raise MotionError(f"motion module '{info.name}': PROGRAM must be a MotionProgram instance")
        if program.meta.id in found:
            raise MotionError(f"two motion modules declare the id '{program.meta.id}'")
        found[program.meta.id] = program
    _cache = found
    return found


def motions_module(name: str) -> ModuleType:
    """A motion module by file name (``idle_breathe``), e.g. to reach its event ``schedule``."""
    pkg = _motions_package()
    return importlib.import_module(f"{pkg.__name__}.{name}")


def get(motion_id: str) -> MotionProgram:
    """The program with this id; an unknown id raises with a did-you-mean suggestion."""
    programs = discover()
    if motion_id in programs:
        return programs[motion_id]
    import difflib

    close = difflib.get_close_matches(motion_id, list(programs), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise MotionError(f"unknown motion '{motion_id}'{hint} (run 'posers list' to see them)")


def is_baseline(program: MotionProgram) -> bool:
    """True for the frozen naive baseline motions (tagged :data:`BASELINE_TAG`)."""
    return BASELINE_TAG in program.meta.tags


def gated_motions() -> dict[str, MotionProgram]:
    """The motions the hard gates must pass for: every built-in motion except the tagged baseline."""
    return {k: p for k, p in discover().items() if not is_baseline(p)}
