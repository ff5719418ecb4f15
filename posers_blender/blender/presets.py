"""Presets: JSON files of parameter values, the format ``posers tune --out`` writes and ``--params`` reads.

``{"motion": "idle-breathe", "params": {...}, "seed": 0}``; a flat ``{name: value}`` object is read too
(as ``--params`` does). Reading goes through the motion schema's ``load_preset``, so a bad file gets the
same one-line message as on the command line. No ``bpy`` here: the operators in :mod:`.ops` apply it.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import registry
from ..engine.params import ParamError


@dataclass(frozen=True)
class Preset:
    motion: str
    params: dict[str, Any]
    seed: int | None = None


def read(path: str | Path, motion: str) -> Preset:
    """The preset at ``path``; its ``motion`` (when it names one) wins over ``motion``. Raises ParamError."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        data = None  # load_preset below names the problem
    if isinstance(data, dict) and isinstance(data.get("motion"), str):
        if data["motion"] not in registry.discover():
            raise ParamError(
                f"preset '{path.name}' is for motion '{data['motion']}', which this version of Posers does not have"
            )
        motion = data["motion"]
    params = registry.get(motion).schema.load_preset(path)
    seed = data.get("seed") if isinstance(data, dict) else None
    return Preset(motion, params, seed if isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0 else None)


def write(path: str | Path, preset: Preset) -> None:
    """Write the preset as indented JSON, through a temporary file (an existing file is replaced whole)."""
    path = Path(path)
    body: dict[str, Any] = {"motion": preset.motion, "params": preset.params}
    if preset.seed is not None:
        body["seed"] = preset.seed
    fd, tmp = tempfile.mkstemp(suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(body, indent=2, sort_keys=True) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
