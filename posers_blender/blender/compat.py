"""What differs between the Blender versions Posers supports: 4.5 LTS and 5.0 (both tested, pip ``bpy``).

Everything the add-on calls exists in both, so this module is small. The differences that matter:

- **Actions**: both have slotted Actions (layers -> keyframe strips -> one channelbag per slot, 4.4+);
  4.5 still has the legacy ``Action.fcurves`` (the first slot's channelbag), 5.0 removed it. Posers only
  uses the slotted API, through :func:`channelbags` and :func:`fcurves`, so code never touches the legacy
  path that 5.0 lacks.
- **NLA strips and AnimData** have ``action_slot`` in both (4.4+); nothing to adapt.
- **Layout panels** (``UILayout.panel``, collapsible sub-panels drawn from code) exist since 4.2.
- **Extensions**: the manifest's ``blender_version_min`` is :data:`MIN_VERSION`; older Blenders refuse to
  install it, and :func:`check_version` says the same in one line if the package is loaded another way.
- **Exit**: the pip ``bpy`` 4.5 module never finishes exiting once the VRM add-on (``io_scene_vrm`` 4.10.2)
  has been imported: the interpreter's teardown hangs after Blender's leak report (5.0 exits). Scripts and
  the test run end through :func:`exit`, which skips that teardown there (output flushed first).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any, NoReturn

import bpy

#: The oldest Blender the tests run on (the pip bpy 4.5 LTS wheel); blender_manifest.toml says the same.
MIN_VERSION = (4, 5, 0)


def version() -> tuple[int, int, int]:
    major, minor, patch = tuple(bpy.app.version)[:3]
    return int(major), int(minor), int(patch)


def check_version() -> None:
    """Raise one clear line when this Blender is older than :data:`MIN_VERSION`."""
    if version() < MIN_VERSION:
        have = ".".join(map(str, version()))
        need = ".".join(map(str, MIN_VERSION))
        raise RuntimeError(f"Posers needs Blender {need} or newer (this is {have}); update Blender")


def channelbags(action: bpy.types.Action, slot: Any = None) -> Iterator[Any]:
    """Every channelbag of a slotted Action (only ``slot``'s when given), across layers and keyframe strips."""
    for layer in action.layers:
        for strip in layer.strips:
            if slot is None:
                yield from strip.channelbags  # type: ignore[attr-defined]  # keyframe strips only
                continue
            bag = strip.channelbag(slot)  # type: ignore[attr-defined]
            if bag is not None:
                yield bag


def fcurves(action: bpy.types.Action, slot: Any = None) -> list[bpy.types.FCurve]:
    """The F-curves of a slotted Action (``slot``'s only when given): what ``Action.fcurves`` was before 5.0."""
    return [fc for bag in channelbags(action, slot) for fc in bag.fcurves]


def exit_hangs() -> bool:
    """True where the interpreter's teardown would hang: the pip bpy module before 5.0 with the VRM add-on."""
    return version() < (5, 0, 0) and not bpy.app.binary_path and "io_scene_vrm" in sys.modules


def exit(code: int) -> NoReturn:
    """End the process with ``code``; where teardown hangs (:func:`exit_hangs`), flush and skip it."""
    if exit_hangs():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
