"""Realism as a tuning objective: the search scores settings by the classifier AUC and keeps gates as constraints."""

from __future__ import annotations

import math

from posers_blender.engine.sampler import sample
from posers_blender.registry import get
from posers_blender.tuning import GATE_PENALTY, tune


def test_realism_objective_scores_by_auc_and_repeats_for_a_seed() -> None:
    # mocap-free: another motion stands in for the reference people (two "people": two seeds)
    refs = [sample(get("nervous-fidget"), seed=s, fps=30, duration=6.0) for s in (11, 12)]
    for i, c in enumerate(refs):
        c.meta["source"] = f"fidget_person{i}.npz"
    prog = get("idle-breathe")
    a = tune(prog, refs, trials=2, objective="realism", seed=3, seconds=6.0)
    b = tune(prog, refs, trials=2, objective="realism", seed=3, seconds=6.0)
    assert [t.score for t in a.trials] == [t.score for t in b.trials]
    for t in a.trials:
        assert math.isfinite(t.auc) and 0.0 <= t.auc <= 1.0
        assert t.score == t.auc if t.gates_passed else t.score >= GATE_PENALTY
    assert a.best.score <= a.trials[0].score
    assert a.preset()["auc"] == round(a.best.auc, 4) and a.preset()["objective"] == "realism"
