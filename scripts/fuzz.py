"""Fuzz every motion inside its declared parameter space and count what breaks.

Usage (from the repository root; CPU heavy, ~1-3 s per setting):

    python scripts/fuzz.py [--motions ID ...] [--n 40] [--seed 0] [--no-corners] [--json OUT.json]
    python scripts/fuzz.py --rules      # the table of rejected combinations in docs/parameters.md

For each motion: ``--n`` random parameter sets drawn inside the declared ranges (a walk's cadence around
its speed's automatic cadence and ``in_place`` only on a straight path, so they fit its rules), plus the range
corners (every numeric parameter alone at its minimum and at its maximum, every enum choice, all
parameters at their minima and all at their maxima, the others at their defaults). Each setting gets a
random seed, an fps from {24, 30, 60, 120} and a clip length of 3-40 s, is sampled and scored with the
hard gates (``posers_blender.quality.evaluate`` with no bands). A setting ends in exactly one outcome:

- ``ok``        every hard gate passed;
- ``rejected``  the schema refused it (a cross-parameter constraint) with a one-line message;
- ``crash``     the motion program raised;
- ``nan``       the program wrote NaN or infinite values;
- ``gate``      at least one hard gate failed (counted per gate name).

An in-place walk (``in_place`` on) is scored on its treadmill belt: its feet slide back with the belt by
design, so the world-space contact gates would fail it; the belt is taken from the same setting walking,
after checking the in-place clip is that walk less a horizontal translation.

Failing settings are printed as ``posers sample`` command lines, so each can be reproduced.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from posers_blender.engine import sample  # noqa: E402
from posers_blender.engine.clip import Clip  # noqa: E402
from posers_blender.engine.gait import BASIC, RUNWAY, blend_styles  # noqa: E402
from posers_blender.engine.gait.style import MIN_TARGET_M, cadence_range  # noqa: E402
from posers_blender.engine.params import Param, ParamError, Schema  # noqa: E402
from posers_blender.engine.program import MotionError, MotionProgram  # noqa: E402
from posers_blender.quality import evaluate  # noqa: E402
from posers_blender.registry import gated_motions  # noqa: E402

FPS_CHOICES = (24.0, 30.0, 60.0, 120.0)
SECONDS_RANGE = (3.0, 40.0)
OUTCOMES = ("ok", "rejected", "crash", "nan", "gate")


@dataclass(frozen=True)
class Setting:
    """One fuzz case: parameter values (only those that differ from the defaults matter), seed and timing."""

    params: dict[str, Any]
    seed: int
    fps: float
    seconds: float
    origin: str  # "random" or the corner it came from

    def command(self, motion: str) -> str:
        sets = " ".join(f"--set {k}={_fmt(v)}" for k, v in self.params.items())
        return (
            f"posers sample {motion} --seed {self.seed} --fps {self.fps:g} --seconds {self.seconds:g} {sets}"
        ).strip()


@dataclass
class Outcome:
    setting: Setting
    kind: str  # one of OUTCOMES
    gates: tuple[str, ...] = ()
    detail: str = ""


@dataclass
class MotionTally:
    motion: str
    settings: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    gates: Counter[str] = field(default_factory=Counter)
    failures: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, out: Outcome) -> None:
        self.settings += 1
        self.counts[out.kind] += 1
        self.gates.update(out.gates)
        if out.kind not in ("ok",):
            self.failures.append(out)

    def line(self) -> str:
        c = self.counts
        gates = ", ".join(f"{g} {n}" for g, n in self.gates.most_common()) or "-"
        return (
            f"{self.motion:<20} {self.settings:>4} settings  ok {c['ok']:>4}  rejected {c['rejected']:>3}  "
            f"crash {c['crash']:>3}  nan {c['nan']:>3}  gate-fail {c['gate']:>4}  ({gates})  [{self.seconds:.0f} s]"
        )


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _draw_value(p: Param, rng: np.random.Generator) -> Any:
    if p.kind == "bool":
        return bool(rng.integers(0, 2))
    if p.kind == "enum":
        return p.choices[int(rng.integers(0, len(p.choices)))]
    assert p.min is not None and p.max is not None, f"parameter '{p.name}' has no range to fuzz"
    if p.kind == "int":
        return int(rng.integers(int(p.min), int(p.max) + 1))
    return round(float(rng.uniform(p.min, p.max)), 4)


def _walk_draw(params: dict[str, Any], schema: Schema, rng: np.random.Generator) -> dict[str, Any]:
    """A walk's draw made to fit its rules, so its counts are about the motion: the cadence automatic (0) or
    drawn within ``CADENCE_SPAN`` of the speed's automatic cadence (drawn over its whole range, ~75 % of walk
    draws broke that rule), ``in_place`` only on a straight path and a target at least ``MIN_TARGET_M`` away. The corners still try each rule's
    other side; tests/motions/test_walks.py checks the refusals."""
    if "cadence" not in params or "speed" not in params:
        return params
    style = blend_styles(BASIC, RUNWAY, float(params.get("style_intensity", 0.0)))
    lo, hi = cadence_range(float(params["speed"]), style)
    p = schema["cadence"]
    lo, hi = max(lo, float(p.min or 0.0)), min(hi, float(p.max or hi))
    params["cadence"] = 0.0 if rng.uniform() < 0.5 else round(float(rng.uniform(lo, hi)), 4)
    if params.get("path", "straight") != "straight":
        params["in_place"] = False
    if params.get("path") == "target" and float(np.hypot(params["target_x"], params["target_z"])) < MIN_TARGET_M:
        params["target_z"] = MIN_TARGET_M if params["target_z"] >= 0 else -MIN_TARGET_M
    return params


def corners(schema: Schema) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each numeric parameter alone at its min and max, each enum choice and bool value, all-min and all-max."""
    numeric = [p for p in schema if p.kind in ("float", "int") and p.min is not None and p.max is not None]
    yield "all-min", {p.name: p.min if p.kind == "float" else int(p.min or 0) for p in numeric}
    yield "all-max", {p.name: p.max if p.kind == "float" else int(p.max or 0) for p in numeric}
    for p in schema:
        if p.kind in ("float", "int") and p.min is not None and p.max is not None:
            for end, v in (("min", p.min), ("max", p.max)):
                if v != p.default:
                    yield f"{p.name}={end}", {p.name: v if p.kind == "float" else int(v)}
        elif p.kind == "enum":
            for c in p.choices:
                if c != p.default:
                    yield f"{p.name}={c}", {p.name: c}
        elif p.kind == "bool":
            yield f"{p.name}={not p.default}", {p.name: not p.default}


def draw_settings(
    schema: Schema,
    n: int,
    rng: np.random.Generator,
    with_corners: bool = True,
    seconds: tuple[float, float] = SECONDS_RANGE,
) -> list[Setting]:
    """``n`` random settings inside the declared ranges, then (optionally) the corners; random seed and timing each."""
    cases: list[tuple[str, dict[str, Any]]] = [
        ("random", _walk_draw({p.name: _draw_value(p, rng) for p in schema}, schema, rng)) for _ in range(n)
    ]
    if with_corners:
        cases.extend(corners(schema))
    out = []
    for origin, params in cases:
        fps = FPS_CHOICES[int(rng.integers(0, len(FPS_CHOICES)))]
        length = round(float(rng.uniform(*seconds)), 2)
        out.append(Setting(params, int(rng.integers(0, 2**32)), fps, length, origin))
    return out


def run_setting(program: MotionProgram, s: Setting) -> Outcome:
    """Sample one setting and score its hard gates (an in-place walk on its belt: :func:`on_the_belt`)."""
    try:
        clip = sample(program, s.params, seed=s.seed, fps=s.fps, duration=s.seconds)
        if s.params.get("in_place") is True:
            clip = on_the_belt(program, s, clip)
    except ParamError as exc:
        return Outcome(s, "rejected", detail=str(exc))
    except MotionError as exc:
        kind = "nan" if "NaN" in str(exc) else "crash"
        return Outcome(s, kind, detail=str(exc))
    report = evaluate(clip, program.meta, checks=())
    failed = tuple(r.name for r in report.failed() if r.kind == "gate")
    if not failed:
        return Outcome(s, "ok")
    detail = "; ".join(f"{r.name}={r.value:.4g} ({r.bound}) {r.detail}" for r in report.failed() if r.kind == "gate")
    return Outcome(s, "gate", failed, detail)


def on_the_belt(program: MotionProgram, s: Setting, clip: Clip) -> Clip:
    """An in-place walk as its feet see it: on a treadmill belt (its ``in_place`` description: the feet slide
    back with the belt, so world-space contact gates fail by design). The belt is what the same setting
    walking (``in_place`` off) travels; the in-place clip must be that walk less a horizontal translation
    (same rotations, hips height), else :class:`MotionError`. Returns the clip with the belt added back."""
    walking = sample(program, {**s.params, "in_place": False}, seed=s.seed, fps=s.fps, duration=s.seconds)
    belt = walking.hips_pos - clip.hips_pos
    if not (np.allclose(walking.lrot, clip.lrot, atol=1e-9) and np.allclose(belt[:, 1], 0.0, atol=1e-9)):
        raise MotionError("the in-place walk is not the walk less a horizontal translation")
    return replace(clip, hips_pos=clip.hips_pos + belt)


def fuzz_motion(
    program: MotionProgram,
    n: int,
    rng: np.random.Generator,
    with_corners: bool = True,
    seconds: tuple[float, float] = SECONDS_RANGE,
) -> MotionTally:
    tally = MotionTally(program.meta.id)
    start = time.perf_counter()
    for s in draw_settings(program.schema, n, rng, with_corners, seconds):
        tally.add(run_setting(program, s))
    tally.seconds = time.perf_counter() - start
    return tally


def rules_markdown(programs: dict[str, MotionProgram]) -> str:
    """The rejected-combinations table of docs/parameters.md, generated from every schema's constraints."""
    lines = ["| motion | parameters | allowed combination | why |", "|---|---|---|---|"]
    for mid in sorted(programs):
        for c in programs[mid].schema.constraints:
            names = ", ".join(f"`{n}`" for n in c.names) + (" + clip length" if c.clip else "")
            lines.append(f"| {mid} | {names} | {c.rule} | {c.why or '-'} |")
    if len(lines) == 2:
        lines.append("| - | - | no motion declares a constraint | - |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--motions", nargs="*", help="motion ids (default: every gated motion)")
    ap.add_argument("--n", type=int, default=40, help="random settings per motion (default 40)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the draws (default 0)")
    ap.add_argument(
        "--seconds", type=float, nargs=2, default=SECONDS_RANGE, metavar=("MIN", "MAX"), help="clip lengths (3 40)"
    )
    ap.add_argument("--no-corners", action="store_true", help="skip the range corners")
    ap.add_argument("--json", metavar="OUT.json", help="write every outcome (failures with details) as JSON")
    ap.add_argument("--show", type=int, default=5, help="failing settings printed per motion (default 5)")
    ap.add_argument("--rules", action="store_true", help="print the rejected-combinations table and exit")
    args = ap.parse_args(argv)
    programs = gated_motions()
    if args.rules:
        print(rules_markdown(programs))
        return 0
    ids = args.motions or sorted(programs)
    unknown = [m for m in ids if m not in programs]
    if unknown:
        print(f"fuzz: unknown motion(s) {', '.join(unknown)}; known: {', '.join(sorted(programs))}", file=sys.stderr)
        return 2
    tallies = []
    for k, mid in enumerate(ids):
        rng = np.random.default_rng([args.seed, k])
        tally = fuzz_motion(programs[mid], args.n, rng, not args.no_corners, tuple(args.seconds))
        tallies.append(tally)
        print(tally.line(), flush=True)
        for out in tally.failures[: args.show]:
            print(f"    {out.kind:<8} [{out.setting.origin}] {out.setting.command(mid)}")
            print(f"             {out.detail[:300]}")
    if args.json:
        data = [
            {
                "motion": t.motion,
                "settings": t.settings,
                "counts": {k: t.counts[k] for k in OUTCOMES},
                "gates": dict(t.gates),
                "seconds": round(t.seconds, 1),
                "failures": [
                    {"kind": o.kind, "gates": list(o.gates), "detail": o.detail, **asdict(o.setting)}
                    for o in t.failures
                ],
            }
            for t in tallies
        ]
        Path(args.json).write_text(json.dumps(data, indent=1), encoding="utf-8")
    bad = sum(t.counts["crash"] + t.counts["nan"] + t.counts["gate"] for t in tallies)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
