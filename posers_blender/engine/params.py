"""One parameter declaration per motion, projected to validation, JSON, JSON Schema and CLI flags.

The Blender PropertyGroup is generated from the same :class:`Schema` by the
adapter, so the UI, the command line and presets can never drift apart.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Units the schema understands; the Blender adapter maps them to property subtypes.
UNITS = ("", "s", "Hz", "1/min", "m", "mm", "deg", "deg/s", "m/s", "steps/min", "x", "%", "count")


class ParamError(ValueError):
    """A parameter value or name the motion does not accept. The message names the parameter and the fix."""


@dataclass(frozen=True)
class Param:
    """A single motion parameter.

    ``kind`` is ``"float"``, ``"int"``, ``"bool"`` or ``"enum"``; ``choices``
    lists enum values. ``min``/``max`` are inclusive; ``unit`` is one of
    :data:`UNITS`; ``group`` groups parameters in the panel and help text.
    """

    name: str
    kind: str
    default: Any
    description: str
    min: float | None = None
    max: float | None = None
    unit: str = ""
    group: str = "General"
    choices: tuple[str, ...] = ()
    label: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("float", "int", "bool", "enum"):
            raise ValueError(f"parameter '{self.name}': unknown kind '{self.kind}'")
        if self.unit not in UNITS:
            raise ValueError(f"parameter '{self.name}': unknown unit '{self.unit}'")
        if self.kind == "enum" and self.default not in self.choices:
            raise ValueError(f"parameter '{self.name}': default '{self.default}' not in {self.choices}")
        self.check(self.default)

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    def range_text(self) -> str:
        if self.kind == "enum":
            return "one of " + ", ".join(self.choices)
        if self.kind == "bool":
            return "true or false"
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.min:g} to {self.max:g}{unit}" if self.min is not None and self.max is not None else "any"

    def check(self, value: Any) -> Any:
        """Return ``value`` coerced to the parameter's type, or raise :class:`ParamError`."""
        name = self.name
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no", "on", "off"):
                return value.lower() in ("true", "1", "yes", "on")
            if isinstance(value, int) and value in (0, 1):
                return bool(value)
            raise ParamError(f"parameter '{name}' must be true or false, got {value!r}")
        if self.kind == "enum":
            if value in self.choices:
                return value
            close = difflib.get_close_matches(str(value), self.choices, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ParamError(f"parameter '{name}' must be {self.range_text()}, got {value!r}{hint}")
        try:
            if isinstance(value, bool):
                raise TypeError
            num = float(value)
        except (TypeError, ValueError):
            raise ParamError(f"parameter '{name}' must be a number ({self.range_text()}), got {value!r}") from None
        if not math.isfinite(num):
            raise ParamError(f"parameter '{name}' must be a finite number ({self.range_text()}), got {value!r}")
        if self.kind == "int":
            if num != int(num):
                raise ParamError(f"parameter '{name}' must be a whole number ({self.range_text()}), got {value!r}")
            num = int(num)
        if (self.min is not None and num < self.min) or (self.max is not None and num > self.max):
            raise ParamError(f"parameter '{name}' = {value!r} is out of range: allowed {self.range_text()}")
        return num

    def json_schema(self) -> dict[str, Any]:
        d: dict[str, Any] = {"description": self.description, "default": self.default}
        if self.kind == "float":
            d["type"] = "number"
        elif self.kind == "int":
            d["type"] = "integer"
        elif self.kind == "bool":
            d["type"] = "boolean"
        else:
            d["type"] = "string"
            d["enum"] = list(self.choices)
        if self.min is not None:
            d["minimum"] = self.min
        if self.max is not None:
            d["maximum"] = self.max
        if self.unit:
            d["x-unit"] = self.unit
        d["x-group"] = self.group
        return d


class Params(Mapping[str, Any]):
    """Validated parameter values: a read-only mapping that also allows ``params.rate``."""

    def __init__(self, values: Mapping[str, Any]):
        self._values = dict(values)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(key) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Params({self._values!r})"

    def to_dict(self) -> dict[str, Any]:
        return dict(self._values)


@dataclass(frozen=True)
class ClipTiming:
    """The clip a parameter set is sampled into: length in seconds and frames per second."""

    duration: float
    fps: float


#: A constraint's test: ``(params, timing) -> bool`` (timing is zeros for rules that do not use the clip).
HoldsFn = Callable[[Params, ClipTiming], bool]
#: A constraint's fix: ``(params, timing) -> str``, what to change, with numbers.
FixFn = Callable[[Params, ClipTiming], str]


@dataclass(frozen=True)
class Constraint:
    """A rule over several parameters (and, with ``clip=True``, the clip's length and fps) that no range can say.

    ``rule`` is the allowed combination in words (shown by ``posers describe``, the JSON Schema and
    docs/parameters.md), ``holds(params, timing)`` tests it and ``fix(params, timing)`` says what to change,
    with numbers. ``why`` says what breaks otherwise. A broken rule raises one line naming every
    parameter involved with its value, the rule and the fix.
    """

    names: tuple[str, ...]
    rule: str
    holds: HoldsFn
    fix: FixFn
    why: str = ""
    clip: bool = False

    def text(self) -> str:
        """The rule and its reason in one line (``posers describe``, docs)."""
        return f"{self.rule} ({self.why})" if self.why else self.rule

    def json_schema(self) -> dict[str, Any]:
        """The rule as text for the JSON Schema's ``x-constraints`` (JSON Schema cannot say it natively)."""
        d: dict[str, Any] = {"parameters": list(self.names), "rule": self.rule}
        if self.clip:
            d["uses"] = "clip length and fps"
        if self.why:
            d["why"] = self.why
        return d

    def check(self, params: Params, units: Mapping[str, str], timing: ClipTiming | None) -> None:
        """Raise :class:`ParamError` when the rule is broken (clip rules are skipped without ``timing``)."""
        if self.clip and timing is None:
            return
        t = timing if timing is not None else ClipTiming(0.0, 0.0)
        if self.holds(params, t):
            return
        values = [f"{n} = {_value_text(params[n], units.get(n, ''))}" for n in self.names]
        if self.clip:
            values.append(f"clip = {t.duration:g} s at {t.fps:g} fps")
        raise ParamError(f"{', '.join(values)}: needs {self.rule}; {self.fix(params, t)}")


def _value_text(value: Any, unit: str) -> str:
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{text} {unit}" if unit and not isinstance(value, bool | str) else text


@dataclass(frozen=True)
class Schema:
    """The ordered parameter declarations of one motion, and the rules that tie several of them together."""

    params: tuple[Param, ...] = field(default_factory=tuple)
    constraints: tuple[Constraint, ...] = ()

    def __post_init__(self) -> None:
        names = [p.name for p in self.params]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"duplicate parameter names: {sorted(dupes)}")
        for c in self.constraints:
            missing = [n for n in c.names if n not in names]
            if missing:
                raise ValueError(f"constraint '{c.rule}' names unknown parameters {missing}")

    def __iter__(self) -> Iterator[Param]:
        return iter(self.params)

    def __getitem__(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise self._unknown(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def groups(self) -> dict[str, list[Param]]:
        out: dict[str, list[Param]] = {}
        for p in self.params:
            out.setdefault(p.group, []).append(p)
        return out

    def _unknown(self, name: str) -> ParamError:
        close = difflib.get_close_matches(name, self.names, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return ParamError(f"unknown parameter '{name}'{hint} (known: {', '.join(self.names) or 'none'})")

    def validate(
        self, values: Mapping[str, Any] | None = None, duration: float | None = None, fps: float | None = None
    ) -> Params:
        """Defaults overlaid with ``values``, each checked, then the constraints.

        Unknown names raise with a suggestion. Constraints on the clip run only when ``duration`` and
        ``fps`` are given (the sampler always gives them).
        """
        out = self.defaults()
        for name, value in (values or {}).items():
            param = self[name]  # raises for unknown names
            out[name] = param.check(value)
        params = Params(out)
        timing = ClipTiming(float(duration), float(fps)) if duration is not None and fps is not None else None
        units = {p.name: p.unit for p in self.params}
        for c in self.constraints:
            c.check(params, units, timing)
        return params

    def parse_assignments(self, items: list[str]) -> dict[str, Any]:
        """Parse ``name=value`` strings from the command line (values checked later by :meth:`validate`)."""
        out: dict[str, Any] = {}
        for item in items:
            if "=" not in item:
                raise ParamError(f"'--set {item}' must look like name=value (for example --set rate=14)")
            name, value = item.split("=", 1)
            name = name.strip().replace("-", "_")
            out[name] = self[name].check(value.strip())
        return out

    def json_schema(self, title: str = "") -> dict[str, Any]:
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title,
            "type": "object",
            "additionalProperties": False,
            "properties": {p.name: p.json_schema() for p in self.params},
            **({"x-constraints": [c.json_schema() for c in self.constraints]} if self.constraints else {}),
        }

    def load_preset(self, path: str | Path) -> dict[str, Any]:
        """Read a JSON preset: either ``{"params": {...}}`` or a flat ``{name: value}`` object.

        Anything but a small UTF-8 JSON object of known, valid parameters raises :class:`ParamError`.
        """
        path = Path(path)
        if path.is_dir():
            raise ParamError(f"preset '{path}' is a folder; pass a .json file")
        try:
            if path.stat().st_size > MAX_PRESET_BYTES:
                raise ParamError(f"preset file '{path}' is over {MAX_PRESET_BYTES // 1000} kB; a preset is a few lines")
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ParamError(f"preset file '{path}' does not exist") from None
        except UnicodeDecodeError:
            raise ParamError(f"preset file '{path}' is not UTF-8 text; save it as UTF-8 JSON") from None
        except json.JSONDecodeError as exc:
            raise ParamError(f"preset file '{path}' is not valid JSON: {exc.msg} at line {exc.lineno}") from None
        except RecursionError:
            raise ParamError(f"preset file '{path}' nests too deeply; a preset is a flat JSON object") from None
        if isinstance(data, dict) and isinstance(data.get("params"), dict):
            data = data["params"]
        if not isinstance(data, dict):
            raise ParamError(f"preset file '{path}' must hold a JSON object of parameter values")
        self.validate(data)
        return dict(data)


#: Seeds are 32-bit: numpy folds larger integers onto the same streams (seed 0 and 2**32 gave identical clips).
SEED_MAX = 2**32 - 1
#: Largest preset file read (a preset of every parameter is a few kB).
MAX_PRESET_BYTES = 1_000_000


def check_seed(value: Any) -> int:
    """``value`` as a seed (a whole number from 0 to :data:`SEED_MAX`), or :class:`ParamError`."""
    try:
        if isinstance(value, bool):
            raise TypeError
        seed = int(value) if not isinstance(value, str) else int(value.strip())
        exact = not isinstance(value, float) or float(seed) == value
    except (TypeError, ValueError, OverflowError):
        exact, seed = False, -1
    if not exact or not 0 <= seed <= SEED_MAX:
        raise ParamError(f"seed {value!r} is out of range: use a whole number from 0 to {SEED_MAX}")
    return seed
