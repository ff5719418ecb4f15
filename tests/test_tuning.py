"""The tuning loop: deterministic for a seed, never worse than the defaults, and its preset samples."""

from __future__ import annotations

import json

import pytest

from posers_blender.cli import main
from posers_blender.engine.sampler import sample
from posers_blender.registry import get
from posers_blender.tuning import tune


@pytest.fixture(scope="module")
def reference():
    # any clip with enough 2-s windows works as a reference; a different idle seed keeps the test mocap-free
    return [sample(get("idle-breathe"), seed=11, fps=30, duration=8.0)]


def test_same_search_seed_gives_the_same_best_and_it_beats_the_defaults(reference):
    prog = get("idle-breathe")
    a = tune(prog, reference, trials=3, seed=5, seconds=6.0)
    b = tune(prog, reference, trials=3, seed=5, seconds=6.0)
    assert a.best.params == b.best.params and a.best.seed == b.best.seed
    assert [t.score for t in a.trials] == [t.score for t in b.trials]
    assert a.trials[0].params == prog.schema.defaults() and a.trials[0].seed == 0
    assert a.best.score <= a.trials[0].score
    assert a.best.gates_passed
    prog.schema.validate(a.best.params)  # the preset is within every parameter's range


def test_tune_cli_needs_references_and_writes_a_usable_preset(data_dir, tmp_path, capsys):
    assert main(["tune", "idle-breathe", "--trials", "2"]) == 2
    assert "--reference DIR" in capsys.readouterr().err
    out = tmp_path / "best.json"
    args = ["tune", "idle-breathe", "--trials", "2", "--seconds", "6", "--quiet", "--out", str(out)]
    assert main([*args, "--reference", str(data_dir / "bvh")]) == 0
    preset = json.loads(out.read_text())
    assert preset["motion"] == "idle-breathe" and preset["references"] == ["bnr1_bye_proud_001"]
    clip_path = tmp_path / "tuned.npz"
    assert (
        main(
            [
                "sample",
                "idle-breathe",
                "--params",
                str(out),
                "--seed",
                str(preset["seed"]),
                "--seconds",
                "2",
                "--out",
                str(clip_path),
            ]
        )
        == 0
    )
