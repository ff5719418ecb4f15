"""The suite runner: ``evaluate(clip, meta) -> Report``.

Hard gates (the ``gates`` check) always run. Bands run for the check names a
motion declares in ``MotionMeta.checks`` (or that a caller passes), e.g.
``checks=("breathing", "sway", "blinks", "periodicity", "balance")``; see
:data:`CHECKS` (name -> description) for the vocabulary.

Adding a metric later: write the metric as a plain function in a module of
this package (pure numpy, a docstring naming its reference section and
unit), put its bound in :mod:`.bands`, then either add a line to an existing
check in :mod:`.checks` or register a new check there::

    @register_check("my-check", "what it checks, for motion authors")
    def _my_check(ev: Evaluation) -> None:
        ev.band("my_metric", my_metric(ev.clip), bands.MY_BOUND, detail="...")

Every result line carries name, value, unit, bound, kind (gate/band/info),
pass/fail and source.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from ..engine.clip import Clip
from ..engine.program import MotionMeta
from .bands import Bound

GATE, BAND, INFO = "gate", "band", "info"


@dataclass(frozen=True)
class Result:
    """One line of a report. ``passed`` is None for info lines."""

    check: str
    name: str
    value: float
    unit: str
    kind: str
    bound: str
    passed: bool | None
    source: str
    detail: str = ""

    def status(self) -> str:
        if self.passed is None:
            return "info"
        return "PASS" if self.passed else "FAIL"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["value"] = None if not math.isfinite(self.value) else self.value
        return d


@dataclass
class Report:
    """All result lines of one evaluated clip."""

    subject: str
    checks: tuple[str, ...]
    results: list[Result] = field(default_factory=list)

    @property
    def gates_passed(self) -> bool:
        return all(r.passed for r in self.results if r.kind == GATE)

    @property
    def bands_passed(self) -> bool:
        return all(r.passed for r in self.results if r.kind == BAND)

    def failed(self, kind: str | None = None) -> list[Result]:
        return [r for r in self.results if r.passed is False and (kind is None or r.kind == kind)]

    def get(self, name: str) -> Result:
        for r in self.results:
            if r.name == name:
                return r
        raise KeyError(f"no result named '{name}' in the report of {self.subject}")

    def value(self, name: str) -> float:
        return self.get(name).value

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "checks": list(self.checks),
            "gates_passed": self.gates_passed,
            "bands_passed": self.bands_passed,
            "results": [r.to_dict() for r in self.results],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=False)

    def table(self) -> str:
        """A fixed-width text table: check, metric, value, unit, kind, bound, status, detail."""
        rows = [("check", "metric", "value", "unit", "kind", "bound", "status", "detail")]
        for r in self.results:
            v = "nan" if not math.isfinite(r.value) else f"{r.value:.4g}"
            rows.append((r.check, r.name, v, r.unit, r.kind, r.bound, r.status(), r.detail))
        widths = [max(len(row[i]) for row in rows) for i in range(7)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(row[:7], widths)) + "  " + row[7] for row in rows]
        lines.insert(1, "-" * min(160, sum(widths) + 14))
        g = "PASS" if self.gates_passed else "FAIL"
        b = "PASS" if self.bands_passed else "FAIL"
        lines.append(f"{self.subject}: hard gates {g}, bands {b}")
        return "\n".join(line.rstrip() for line in lines)


@dataclass
class Evaluation:
    """What a check sees: the clip, whether it is a standing motion, and where to put its lines."""

    clip: Clip
    standing: bool
    check: str = ""
    results: list[Result] = field(default_factory=list)

    def _add(
        self, name: str, value: float, unit: str, kind: str, bound: str, passed: bool | None, source: str, detail: str
    ) -> None:
        self.results.append(Result(self.check, name, float(value), unit, kind, bound, passed, source, detail))

    def gate(self, name: str, value: float, bound: Bound, detail: str = "") -> None:
        """A hard gate line (fails the motion)."""
        self._add(name, value, bound.unit, GATE, bound.text(), bound.ok(value), bound.source, detail)

    def band(self, name: str, value: float, bound: Bound, detail: str = "") -> None:
        """A naturalness band line (declared checks only)."""
        src = bound.source + (" [PROVISIONAL]" if bound.provisional else "")
        self._add(name, value, bound.unit, BAND, bound.text(), bound.ok(value), src, detail)

    def info(self, name: str, value: float, unit: str, source: str, detail: str = "") -> None:
        """A measured figure without a bound."""
        self._add(name, value, unit, INFO, "-", None, source, detail)


CheckFn = Callable[[Evaluation], None]


@dataclass(frozen=True)
class CheckSpec:
    name: str
    description: str
    fn: CheckFn


#: Registered checks by name. ``gates`` always runs; the others run when declared.
REGISTRY: dict[str, CheckSpec] = {}


def register_check(name: str, description: str) -> Callable[[CheckFn], CheckFn]:
    """Decorator: register ``fn(ev)`` as the check ``name`` (kebab-case)."""

    def deco(fn: CheckFn) -> CheckFn:
        if name in REGISTRY:
            raise ValueError(f"quality check '{name}' is registered twice")
        REGISTRY[name] = CheckSpec(name, description, fn)
        return fn

    return deco


def _ensure_builtin() -> None:
    from . import checks  # noqa: F401  (registers the built-in checks)


def known_checks() -> dict[str, str]:
    """Check name -> description, for motion authors (``MotionMeta.checks``) and ``posers check --checks``."""
    _ensure_builtin()
    return {k: v.description for k, v in REGISTRY.items()}


#: Other spellings motion authors use. Names of hard gates are accepted and ignored (gates always run);
#: ``_`` and ``-`` are interchangeable.
ALIASES: dict[str, str] = {
    **{
        g: "gates"
        for g in (
            "foot-slide",
            "foot-skate",
            "penetration",
            "floating",
            "joint-limits",
            "limits",
            "speed",
            "speeds",
            "nan",
            "continuity",
            "contacts",
            "bone-length",
        )
    },  # fmt: skip
    "reaches": "reach",
    "hand-chin": "hand-contact",
    "hand-lips": "hand-contact",
    "hand-mouth": "hand-contact",
    "face-touch": "hand-contact",
    "breath": "breathing",
    "blink": "blinks",
    "gesture-intervals": "events",
    "smoke": "smoking",
}


def validate_checks(names: Iterable[str]) -> tuple[str, ...]:
    """Canonical check names (aliases resolved, gates dropped); an unknown name raises ValueError with a hint."""
    _ensure_builtin()
    out = []
    for raw in names:
        n = raw.strip().replace("_", "-")
        if not n:
            continue
        n = ALIASES.get(n, n)
        if n not in REGISTRY:
            close = difflib.get_close_matches(n, list(REGISTRY), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ValueError(f"unknown quality check '{n}'{hint} (known: {', '.join(sorted(REGISTRY))})")
        if n != "gates" and n not in out:
            out.append(n)
    return tuple(out)


def evaluate(
    clip: Clip,
    meta: MotionMeta | None = None,
    checks: Iterable[str] | None = None,
    standing: bool | None = None,
    subject: str | None = None,
) -> Report:
    """Score a clip: hard gates always, plus the bands of ``checks`` (default: ``meta.checks``).

    ``standing`` (default ``meta.standing``, else False) selects the stricter
    standing-motion gates (foot slide <= 2 mm, joint-speed p99 <= 300°/s).
    """
    _ensure_builtin()
    names = validate_checks(checks if checks is not None else (meta.checks if meta else ()))
    is_standing = bool(standing if standing is not None else (meta.standing if meta else False))
    who = subject or (meta.id if meta else str(clip.meta.get("motion", clip.meta.get("source", "clip"))))
    ev = Evaluation(clip, is_standing)
    for name in ("gates", *names):
        ev.check = name
        REGISTRY[name].fn(ev)
    return Report(who, names, ev.results)
