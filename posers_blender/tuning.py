"""The tuning loop (the founding document's "quality reward model" strategy): search a motion's parameters
and seeds for settings that pass every hard gate and come closest to reference mocap.

The objective is the quality suite's Fréchet distance between 2-s window features of a sampled clip and of
the reference clips (:mod:`posers_blender.quality.distance`), plus a penalty that makes any failed hard gate
(and, with ``frechet+bands``, any failed band) worse than every passing setting. The search is random
sampling of the schema's ranges for the first ``explore`` share of the trials, then a (1+1)-style
evolution strategy around the best setting with a shrinking step (a light CMA-like refinement without the
covariance). Every random number comes from one generator seeded by ``seed``, so a run repeats exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .engine.clip import Clip
from .engine.params import Param, check_seed
from .engine.program import MotionError, MotionProgram
from .engine.sampler import sample

Array = NDArray[np.float64]

OBJECTIVES: dict[str, str] = {
    "frechet": "Fréchet distance to the reference clips; a failed hard gate adds 1000 per gate",
    "frechet+bands": "as 'frechet', plus 10 per failed naturalness band the motion declares",
    "realism": "how well a window classifier tells the motion from the references (cross-validated ROC AUC, "
    "0.5 = indistinguishable; posers realism); a failed hard gate adds 1000 per gate",
}
GATE_PENALTY = 1000.0
BAND_PENALTY = 10.0
#: Seeds are drawn from this range (any int works for sampling; a bounded range keeps presets readable).
SEED_RANGE = 1_000_000


class TuningError(ValueError):
    """A search that cannot run as asked (unknown objective, no trials, no reference windows)."""


@dataclass
class Trial:
    params: dict[str, Any]
    seed: int
    score: float
    frechet: float
    gates_passed: bool
    failed: list[str]
    auc: float = math.nan  # the realism objective's score before penalties


@dataclass
class TuneResult:
    motion: str
    objective: str
    search_seed: int
    best: Trial
    trials: list[Trial] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def preset(self) -> dict[str, Any]:
        """The best settings as a preset (``posers sample --params`` reads its ``params``)."""
        b = self.best
        return {
            "motion": self.motion,
            "params": b.params,
            "seed": b.seed,
            "objective": self.objective,
            "score": round(b.score, 4),
            "frechet": None if math.isnan(b.frechet) else round(b.frechet, 4),
            "auc": None if math.isnan(b.auc) else round(b.auc, 4),
            "gates_passed": b.gates_passed,
            "failed": b.failed,
            "trials": len(self.trials),
            "search_seed": self.search_seed,
            "seconds": self.seconds,
            "references": self.references,
        }


def _searchable(program: MotionProgram) -> list[Param]:
    return [
        p
        for p in program.schema
        if p.kind in ("bool", "enum") or (p.min is not None and p.max is not None and p.max > p.min)
    ]


def _decode(params: Sequence[Param], u: Array, cats: Sequence[int]) -> dict[str, Any]:
    """Numbers in [0, 1] (numeric params) and category indices (bool/enum) -> parameter values."""
    out: dict[str, Any] = {}
    k = 0
    c = 0
    for p in params:
        if p.kind == "bool":
            out[p.name] = bool(cats[c])
            c += 1
        elif p.kind == "enum":
            out[p.name] = p.choices[cats[c]]
            c += 1
        else:
            lo, hi = float(p.min), float(p.max)  # type: ignore[arg-type]
            v = lo + float(np.clip(u[k], 0.0, 1.0)) * (hi - lo)
            out[p.name] = int(round(v)) if p.kind == "int" else round(v, 6)
            k += 1
    return out


def _encode_defaults(params: Sequence[Param]) -> tuple[Array, list[int]]:
    u, cats = [], []
    for p in params:
        if p.kind == "bool":
            cats.append(int(bool(p.default)))
        elif p.kind == "enum":
            cats.append(p.choices.index(p.default))
        else:
            lo, hi = float(p.min), float(p.max)  # type: ignore[arg-type]
            u.append((float(p.default) - lo) / (hi - lo))
    return np.asarray(u, dtype=np.float64), cats


def _reference_takes(clips: Sequence[Clip]) -> list[Any]:
    """Reference clips as realism takes, grouped by the person their file name names."""
    from .quality.realism import take_from_clip
    from .quality.realism.windows import take_group

    out = []
    for i, c in enumerate(clips):
        name = str(c.meta.get("source") or c.meta.get("motion") or f"reference {i}")
        out.append(take_from_clip(c, name, take_group(name)))
    return out


def _realism_auc(clip: Clip, seed: int, reference_takes: Sequence[Any]) -> float:
    """The realism AUC of one sampled clip against the reference takes (NaN if a side has no window)."""
    from .quality.realism import compare, take_from_clip

    try:
        return compare([take_from_clip(clip, f"seed {seed}", f"seed {seed}")], reference_takes).auc
    except ValueError:
        return math.nan


def tune(
    program: MotionProgram,
    reference_clips: Sequence[Clip],
    trials: int = 20,
    objective: str = "frechet",
    seed: int = 0,
    seconds: float = 8.0,
    fps: float = 30.0,
    explore: float = 0.5,
    progress: Callable[[int, Trial], None] | None = None,
) -> TuneResult:
    """Search ``program``'s parameters and seeds; deterministic for a given ``seed``.

    The first trial is the motion's defaults at seed 0 (so the result is never worse than the defaults).
    ``seconds`` should give the Fréchet distance its minimum number of windows (5.5 s at 2-s windows).
    """
    from .quality import evaluate
    from .quality.distance import frechet_distance, window_features

    if objective not in OBJECTIVES:
        raise TuningError(f"objective '{objective}' unknown: use one of {', '.join(OBJECTIVES)}")
    if trials < 1:
        raise TuningError(f"trials = {trials}: try at least 1 setting")
    ref = np.concatenate([window_features(c) for c in reference_clips], axis=0) if reference_clips else None
    if ref is None or len(ref) == 0:
        raise TuningError("no reference windows: the reference clips are missing or shorter than one 2-s window")
    ref_takes = _reference_takes(reference_clips) if objective == "realism" else []
    rng = np.random.default_rng(np.random.SeedSequence([check_seed(seed), 0x7E7E]))
    params = _searchable(program)
    n_num = sum(1 for p in params if p.kind in ("float", "int"))
    n_choices = [2 if p.kind == "bool" else len(p.choices) for p in params if p.kind in ("bool", "enum")]

    def run(values: dict[str, Any], motion_seed: int) -> Trial:
        try:
            clip = sample(program, values, seed=motion_seed, fps=fps, duration=seconds)
        except MotionError as exc:
            return Trial(values, motion_seed, math.inf, math.nan, False, [f"motion error: {exc}"])
        report = evaluate(clip, program.meta)
        gates = [r.name for r in report.failed("gate")]
        bands = [r.name for r in report.failed("band")]
        try:
            fd = frechet_distance(window_features(clip), ref)
        except ValueError:
            fd = math.nan
        auc = math.nan
        if objective == "realism":
            auc = _realism_auc(clip, motion_seed, ref_takes)
            score = (auc if math.isfinite(auc) else 1.0) + GATE_PENALTY * len(gates)
        else:
            score = (fd if math.isfinite(fd) else 1e6) + GATE_PENALTY * len(gates)
        if objective == "frechet+bands":
            score += BAND_PENALTY * len(bands)
        return Trial(values, motion_seed, float(score), fd, not gates, gates + bands, auc)

    u0, c0 = _encode_defaults(params)
    history: list[Trial] = []
    best_u, best_c = u0, list(c0)
    best = run(program.schema.defaults(), 0)
    history.append(best)
    if progress:
        progress(0, best)
    n_explore = max(0, int(round(explore * (trials - 1))))
    for i in range(1, trials):
        motion_seed = int(rng.integers(0, SEED_RANGE))
        if i <= n_explore:
            u = rng.uniform(0.0, 1.0, n_num)
            cats = [int(rng.integers(0, k)) for k in n_choices]
        else:
            frac = (i - n_explore) / max(1, trials - 1 - n_explore)
            sigma = 0.2 * (1.0 - frac) + 0.04 * frac
            u = np.clip(best_u + rng.normal(0.0, sigma, n_num), 0.0, 1.0)
            cats = [int(rng.integers(0, k)) if rng.uniform() < 0.2 else c for k, c in zip(n_choices, best_c)]
        values = {**program.schema.defaults(), **_decode(params, u, cats)}
        t = run(values, motion_seed)
        history.append(t)
        if progress:
            progress(i, t)
        if t.score < best.score:
            best, best_u, best_c = t, u, cats
    return TuneResult(program.meta.id, objective, int(seed), best, history, seconds=seconds)
