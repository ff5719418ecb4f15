"""The score: a versioned JSON description of motions in sequence, read into plain dataclasses.

A score is small enough for a language model to write (see ``docs/score.md``)::

    {"format": "posers-score", "version": 1, "fps": 30, "seed": 1,
     "items": [{"motion": "idle-breathe", "seconds": 4},
               {"motion": "basic-walk", "to": [1, 4]},
               {"motion": "smoking-cigarette", "seconds": 20, "look_at": [0, 1.6, 6]}]}

Floor coordinates are metres in normalised humanoid space: the avatar starts
at the origin facing +Z, +X is its left. Headings are degrees, 0 = +Z,
90 = +X (a positive heading turns left). This module checks the shape of the
score only; which motion may follow which is :mod:`.graph`'s business.
Every mistake is one :class:`ScoreError` line naming the item and the fix.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.params import ParamError, check_seed
from ..engine.sampler import MAX_SECONDS

FORMAT = "posers-score"
VERSION = 1
MAX_SCORE_BYTES = 1_000_000
MAX_ITEMS = 200
DEFAULT_FPS = 30.0

_TOP_KEYS = ("format", "version", "fps", "seed", "height", "items", "title")
_ITEM_KEYS = ("name", "motion", "params", "seconds", "to", "face", "look_at", "until")
_UNTIL_KEYS = ("marker", "count", "after")


class ScoreError(ParamError):
    """A score the compiler cannot play; the message names the item and the fix. Nothing is written."""


@dataclass(frozen=True)
class Until:
    """End an item after its ``count``-th ``marker`` (a motion's phase marker, e.g. ``puff``) plus ``after`` s."""

    marker: str
    count: int = 1
    after: float = 1.0


@dataclass(frozen=True)
class Item:
    """One primitive of the score (see the module docstring for units)."""

    index: int  # 0-based position in the score
    motion: str
    name: str
    params: dict[str, Any] = field(default_factory=dict)
    seconds: float | None = None
    to: tuple[float, float] | None = None
    face: float | None = None  # heading in degrees
    look_at: tuple[float, float, float] | None = None
    until: Until | None = None

    @property
    def label(self) -> str:
        """How errors name the item: ``item 2 'walk to door' (basic-walk)``."""
        return f"item {self.index + 1} '{self.name}' ({self.motion})"


@dataclass(frozen=True)
class Score:
    fps: float
    seed: int
    items: tuple[Item, ...]
    height: float | None = None
    title: str = ""


def _unknown_keys(where: str, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    import difflib

    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
            raise ScoreError(f"{where}: unknown key '{key}'; {hint}")


def _number(where: str, key: str, value: Any, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        raise ScoreError(f"{where}: '{key}' must be a number from {lo:g} to {hi:g}, got {value!r}")
    if not lo <= float(value) <= hi:
        raise ScoreError(f"{where}: '{key}' = {value!r} is out of range; use {lo:g} to {hi:g}")
    return float(value)


def _point(where: str, key: str, value: Any, n: int, limit: float) -> tuple[float, ...]:
    shape = "[x, z]" if n == 2 else "[x, y, z]"
    if not isinstance(value, (list, tuple)) or len(value) != n:
        raise ScoreError(f"{where}: '{key}' must be {shape} in metres, got {value!r}")
    return tuple(_number(where, f"{key}[{i}]", v, -limit, limit) for i, v in enumerate(value))


def _until(where: str, value: Any) -> Until:
    if not isinstance(value, dict):
        raise ScoreError(f'{where}: \'until\' must be an object like {{"marker": "puff", "count": 2}}')
    _unknown_keys(f"{where} until", value, _UNTIL_KEYS)
    marker = value.get("marker")
    if not isinstance(marker, str) or not marker:
        raise ScoreError(f"{where}: 'until' needs a 'marker' name (a phase marker of the motion, e.g. \"puff\")")
    count = _number(where, "until.count", value.get("count", 1), 1, 1000)
    if count != int(count):
        raise ScoreError(f"{where}: 'until.count' must be a whole number, got {count:g}")
    after = _number(where, "until.after", value.get("after", 1.0), 0.0, 60.0)
    return Until(marker, int(count), after)


def parse_item(index: int, data: Any) -> Item:
    where = f"item {index + 1}"
    if not isinstance(data, dict):
        raise ScoreError(f"{where}: must be an object with at least a 'motion', got {type(data).__name__}")
    motion = data.get("motion")
    if not isinstance(motion, str) or not motion:
        raise ScoreError(f"{where}: needs 'motion' (a motion id such as \"idle-breathe\"; see 'posers list')")
    name = data.get("name", f"{index + 1} {motion}")
    if not isinstance(name, str) or not name.strip():
        raise ScoreError(f"{where} ({motion}): 'name' must be a non-empty string")
    where = f"item {index + 1} '{name}' ({motion})"
    _unknown_keys(where, data, _ITEM_KEYS)
    params = data.get("params", {})
    if not isinstance(params, dict):
        raise ScoreError(f"{where}: 'params' must be an object of parameter values (see 'posers describe {motion}')")
    seconds = data.get("seconds")
    return Item(
        index=index,
        motion=motion,
        name=name.strip(),
        params=dict(params),
        seconds=None if seconds is None else _number(where, "seconds", seconds, 0.1, MAX_SECONDS),
        to=None if data.get("to") is None else _point(where, "to", data["to"], 2, 100.0),  # type: ignore[arg-type]
        face=None if data.get("face") is None else _number(where, "face", data["face"], -360.0, 360.0),
        look_at=None if data.get("look_at") is None else _point(where, "look_at", data["look_at"], 3, 1000.0),  # type: ignore[arg-type]
        until=None if data.get("until") is None else _until(where, data["until"]),
    )


def parse_score(data: Any) -> Score:
    """A :class:`Score` from decoded JSON; shape errors raise :class:`ScoreError`."""
    if not isinstance(data, dict):
        raise ScoreError("a score must be a JSON object with 'version' and 'items'")
    _unknown_keys("score", data, _TOP_KEYS)
    if data.get("format", FORMAT) != FORMAT:
        raise ScoreError(f"score: 'format' must be \"{FORMAT}\", got {data.get('format')!r}")
    version = data.get("version")
    if version != VERSION:
        raise ScoreError(f"score: 'version' must be {VERSION} (this Posers reads version {VERSION}), got {version!r}")
    fps = _number("score", "fps", data.get("fps", DEFAULT_FPS), 1.0, 240.0)
    try:
        seed = check_seed(data.get("seed", 0))
    except ParamError as exc:
        raise ScoreError(f"score: {exc}") from None
    height = data.get("height")
    if height is not None:
        height = _number("score", "height", height, 0.5, 2.5)
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise ScoreError(
            'score: \'items\' must be a non-empty list of motions, e.g. [{"motion": "idle-breathe", "seconds": 4}]'
        )
    if len(items) > MAX_ITEMS:
        raise ScoreError(f"score: {len(items)} items is more than {MAX_ITEMS}; split the scene into several scores")
    title = data.get("title", "")
    if not isinstance(title, str):
        raise ScoreError("score: 'title' must be a string")
    return Score(
        fps=fps, seed=seed, items=tuple(parse_item(i, d) for i, d in enumerate(items)), height=height, title=title
    )


def load_score(path: str | Path) -> Score:
    """Read and check a score file (UTF-8 JSON); every problem is one :class:`ScoreError` line."""
    path = Path(path)
    if path.is_dir():
        raise ScoreError(f"score '{path}' is a folder; pass a .json file")
    try:
        if path.stat().st_size > MAX_SCORE_BYTES:
            raise ScoreError(f"score '{path}' is over {MAX_SCORE_BYTES // 1000} kB; a score is a few dozen lines")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScoreError(f"score file '{path}' does not exist") from None
    except UnicodeDecodeError:
        raise ScoreError(f"score file '{path}' is not UTF-8 text; save it as UTF-8 JSON") from None
    except json.JSONDecodeError as exc:
        raise ScoreError(f"score file '{path}' is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise ScoreError(f"score file '{path}' nests too deeply") from None
    return parse_score(data)
