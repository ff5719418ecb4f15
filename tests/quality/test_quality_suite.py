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
    from posers_blender.quality import bands

    assert report.get("foot_slide").bound == bands.FOOT_SLIDE_MAX_STANDING.text()  # idle-breathe is a standing motion


def test_every_builtin_motion_declares_only_known_checks():
    from posers_blender.quality import validate_checks
    from posers_blender.registry import discover

    names = set(known_checks())
    for prog in discover().values():
        assert set(validate_checks(prog.meta.checks)) <= names, prog.meta.id  # raises on an unknown name


def test_sliding_feet_fail_the_gate_and_the_report_says_so():
    clip = rest_clip(3.0)
    import numpy as np

    off = np.zeros((clip.n_frames, 3))
    off[:, 0] = np.linspace(0, 0.080, clip.n_frames)  # 80 mm at 27 mm/s: planted, sliding (bound 50 mm)
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


def test_gait_check_on_a_clockwork_walk_flags_its_regularity():
    from posers_blender.quality.synthetic import synthetic_walk

    walk = synthetic_walk(seconds=8.0, fps=60.0, cadence=110.0, step_length=0.65, hips_drop=0.12)
    report = evaluate(walk, checks=("gait",))
    assert report.get("foot_slide").passed and report.get("velocity_jump").passed, report.table()
    assert report.get("gait_cadence").passed
    assert report.get("gait_step_length").passed  # 0.65 m = 0.39 H
    assert report.get("gait_stride_cv").passed is False  # ~0%: a clock, not a person
    assert report.get("gait_leg_plv").value > 0.99 and report.get("gait_leg_plv").kind == "info"


def test_reach_check_reports_peaks_smoothness_and_onsets():
    from tests.quality.test_quality_timing import _reach_clip

    report = evaluate(_reach_clip(), checks=("reach",))
    assert report.value("reach_count") == 1
    assert report.get("reach_speed_peaks").passed
    assert report.value("reach_trunk_lead") == pytest.approx(50.0, abs=8.0)
    assert report.get("reach_trunk_lead").passed and report.get("reach_elbow_lag").passed


def test_smoking_and_hand_contact_checks_read_their_markers():
    clip = rest_clip(30.0)
    clip.markers = [
        (2.0, "puff_start"),
        (3.8, "puff_end"),
        (26.0, "puff_start"),
        (27.9, "puff_end"),
        (2.1, "touch:lips"),
    ]
    report = evaluate(clip, checks=("smoking", "hand-contact"))
    assert report.value("puff_duration") == pytest.approx(1.85, abs=0.06)
    assert report.get("inter_puff_interval").passed and report.value("inter_puff_interval") == pytest.approx(24.0)
    # a T-pose never brings the hand to the lips: both the elbow band and the contact band fail
    assert report.get("elbow_at_mouth").passed is False
    assert report.get("hand_contact_distance[lips]").passed is False


def test_events_check_scores_gesture_interval_cv():
    clip = rest_clip(60.0)
    clip.markers = [(t, "fidget") for t in (3.0, 9.0, 11.0, 25.0, 31.0, 47.0)] + [
        (k * 4.0, "inhale") for k in range(15)
    ]
    report = evaluate(clip, checks=("events",))
    names = [r.name for r in report.results if r.check == "events"]
    assert names == ["event_interval_cv[fidget]"]  # breaths are not gestures
    assert report.get("event_interval_cv[fidget]").passed


def test_gate_names_and_common_spellings_are_accepted_as_check_names():
    from posers_blender.quality import validate_checks

    assert validate_checks(["foot_slide", "joint_limits", "speed", "smoothness", "hand_chin", "sway"]) == (
        "smoothness",
        "hand-contact",
        "sway",
    )


def test_sparse_smoke_inhale_markers_are_not_read_as_breaths():
    from posers_blender.quality import vitals
    from posers_blender.quality.synthetic import sine_idle

    clip = sine_idle(90.0, freq=0.25)
    clip.markers = [(5.0 + 24.0 * k, "inhale") for k in range(4)]  # one smoke inhale per puff
    b = vitals.breathing(clip)
    assert b.source == "chest motion" and b.rate == pytest.approx(15.0, abs=0.3)


def test_gait_phase_markers_are_not_gestures():
    from posers_blender.quality.mechanical import is_gesture_marker

    assert not any(map(is_gesture_marker, ["leftHeelStrike", "right_toe_off", "inhale", "hold", "sigh"]))
    assert all(map(is_gesture_marker, ["fidget", "glance", "ash_tap", "weight_shift"]))


def test_posers_check_reads_a_mocap_bvh_through_the_retargeter(data_dir, capsys):
    bvh = data_dir / "bvh" / "bnr1_bye_proud_001.bvh"
    if not bvh.exists():
        pytest.skip("dev mocap clip not present")
    code = main(["check", str(bvh), "--checks", "periodicity,balance", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == (0 if data["gates_passed"] else 1)
    assert {"foot_slide", "joint_limit_frames", "periodicity_purity", "balance_margin"} <= {
        r["name"] for r in data["results"]
    }


def test_nan_clip_fails_the_gates_without_crashing():
    clip = rest_clip(1.0)
    clip.lrot[5, 3, 0] = float("nan")
    report = evaluate(clip)
    assert not report.gates_passed
    assert report.get("nan_values").value == 4 * 0 + 1 and report.get("pose_jump").passed is False
