"""Result lines, reports and the check registry: what every check writes into and registers with.

The built-in checks (:mod:`.checks`) and any new check module import from here; :mod:`.suite` imports the
checks and runs them. Nothing here imports a check, so the registry and its checks form no import cycle.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from ..engine.clip import Clip
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
