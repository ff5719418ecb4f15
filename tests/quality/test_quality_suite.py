"""The suite runner and ``posers check`` on real motions."""

from __future__ import annotations

import json

import pytest

from posers_blender.cli import main
from posers_blender.engine.sampler import sample
from posers_blender.quality import evaluate, known_checks
from posers_blender.quality.synthetic import move_hips, rest_clip
from posers_blender.registry import get


@pytest.fixture(scope="module")
def idle():
    return get("idle-breathe")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_idle_breathe_passes_every_hard_gate(idle, seed):
    clip = sample(idle, {}, seed=seed, fps=30.0, duration=30.0)
    report = evaluate(clip, idle.meta)
    assert report.gates_passed, report.table()
    names = {r.name for r in report.results}
    assert {"foot_slide", "joint_limit_frames", "pose_jump", "nan_values", "breath_rate", "balance_margin"} <= names
    assert report.get("foot_slide").bound == "<= 2 mm"  # idle-breathe is a standing motion


def test_every_builtin_motion_declares_only_known_checks():
    from posers_blender.registry import discover

    names = set(known_checks())
    for prog in discover().values():
        assert set(prog.meta.checks) <= names, prog.meta.id


def test_sliding_feet_fail_the_gate_and_the_report_says_so():
    clip = rest_clip(3.0)
    import numpy as np

    off = np.zeros((clip.n_frames, 3))
    off[:, 0] = np.linspace(0, 0.012, clip.n_frames)
    report = evaluate(move_hips(clip, off), standing=False)
    assert not report.gates_passed
    assert [r.name for r in report.failed("gate")] == ["foot_slide"]


def test_unknown_check_name_is_rejected_with_a_suggestion():
    with pytest.raises(ValueError, match="did you mean 'breathing'"):
        evaluate(rest_clip(1.0), checks=("breathng",))


def test_posers_check_prints_pass_lines_and_exits_zero(idle, capsys):
    assert main(["check", "idle-breathe", "--seconds", "20"]) == 0
    out = capsys.readouterr().out
    assert "foot_slide" in out and "PASS" in out and "hard gates PASS" in out


def test_posers_check_json_and_explicit_checks(capsys):
    assert main(["check", "idle-breathe", "--seconds", "10", "--json", "--checks", "sway"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["gates_passed"] is True and data["checks"] == ["sway"]
    assert {r["check"] for r in data["results"]} == {"gates", "sway"}


def test_posers_check_exits_one_when_a_gate_fails(tmp_path, capsys):
    clip = move_hips(rest_clip(2.0), [0.0, -0.02, 0.0])  # feet 20 mm into the floor
    path = tmp_path / "sunk.npz"
    clip.save_npz(path)
    assert main(["check", str(path)]) == 1
    assert "penetration" in capsys.readouterr().out


def test_posers_check_unknown_check_is_a_one_line_error(capsys):
    assert main(["check", "idle-breathe", "--checks", "sway,nope"]) == 2
    assert "unknown quality check 'nope'" in capsys.readouterr().err
