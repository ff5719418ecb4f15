"""The suite runner: ``evaluate(clip, meta) -> Report``.

Hard gates (the ``gates`` check) always run. Bands run for the check names a
motion declares in ``MotionMeta.checks`` (or that a caller passes), e.g.
``checks=("breathing", "sway", "blinks", "periodicity", "balance")``; see
:data:`CHECKS` (name -> description) for the vocabulary.

Adding a metric later: write the metric as a plain function in a module of
this package (pure numpy, a docstring naming its reference section and
unit), put its bound in :mod:`.bands`, then either add a line to an existing
check in :mod:`.checks` or register a new check there (checks import :mod:`.results`, never this module)::

    @register_check("my-check", "what it checks, for motion authors")
    def _my_check(ev: Evaluation) -> None:
        ev.band("my_metric", my_metric(ev.clip), bands.MY_BOUND, detail="...")

Every result line carries name, value, unit, bound, kind (gate/band/info),
pass/fail and source.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ..engine.clip import Clip
from ..engine.program import MotionMeta
from . import checks as _builtin_checks  # noqa: F401  (registers the built-in checks in REGISTRY)
from .results import BAND, GATE, INFO, REGISTRY, CheckFn, CheckSpec, Evaluation, Report, Result, register_check

__all__ = [
    "ALIASES",
    "BAND",
    "GATE",
    "INFO",
    "REGISTRY",
    "CheckFn",
    "CheckSpec",
    "Evaluation",
    "Report",
    "Result",
    "evaluate",
    "known_checks",
    "register_check",
    "validate_checks",
]


def known_checks() -> dict[str, str]:
    """Check name -> description, for motion authors (``MotionMeta.checks``) and ``posers check --checks``."""
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
    names = validate_checks(checks if checks is not None else (meta.checks if meta else ()))
    is_standing = bool(standing if standing is not None else (meta.standing if meta else False))
    who = subject or (meta.id if meta else str(clip.meta.get("motion", clip.meta.get("source", "clip"))))
    ev = Evaluation(clip, is_standing)
    for name in ("gates", *names):
        ev.check = name
        REGISTRY[name].fn(ev)
    return Report(who, names, ev.results)
