"""The realism check: a frozen or sine-driven clip is told from real people; two halves of real people are not."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from posers_blender.quality.realism import Take, compare, file_take, take_from_clip
from posers_blender.quality.realism.classifier import grouped_auc, roc_auc
from posers_blender.quality.realism.windows import take_group
from posers_blender.quality.synthetic import hanging_arm, rest_clip, set_rotation, sine_idle

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "bvh"
IDLE = sorted((DATA / "idle").glob("reactidle_*.bvh")) if DATA.is_dir() else []
needs_data = pytest.mark.skipif(len(IDLE) < 8, reason="../shared/data/bvh/idle (ReActIdle) is not available")
SECONDS = 40.0  # per mocap take: 20 windows at a 2-s hop keep the tests fast
HOP = 2.0


def _crop(t: Take, seconds: float) -> Take:
    n = min(t.n_frames, int(seconds * t.fps))
    return replace(t, pos=t.pos[:n], head_fwd=t.head_fwd[:n])


def _idle(kind: str = "") -> list[Take]:
    return [_crop(file_take(p), SECONDS) for p in IDLE if kind in p.name]


def _standing(clip_seconds: float = 30.0) -> Take:
    clip = rest_clip(clip_seconds)
    clip = set_rotation(clip, "leftUpperArm", hanging_arm("left"))
    return set_rotation(clip, "rightUpperArm", hanging_arm("right"))


def test_auc_is_half_for_noise_and_one_for_separated_scores() -> None:
    y = np.array([1, 1, 0, 0])
    assert roc_auc(np.array([2.0, 3.0, 0.0, 1.0]), y) == 1.0
    assert roc_auc(np.array([1.0, 1.0, 1.0, 1.0]), y) == 0.5
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 5))
    yy = (np.arange(200) % 2).astype(float)
    auc, _ = grouped_auc(x, yy, [f"g{i % 4}" for i in range(200)])
    assert 0.3 < auc < 0.7


def test_groups_are_people_or_subjects() -> None:
    assert take_group("x/reactidle_007_acted.bvh") == "reactidle_007"
    assert take_group("cmu_16_15_walk.bvh") == "cmu_16"
    assert take_group("bnr1_walk_normal_001.bvh") == "bnr1"
    assert take_group("other.bvh") == "other"


@needs_data
def test_a_frozen_clip_is_told_from_real_people() -> None:
    frozen = take_from_clip(_standing(), "frozen", "frozen")
    result = compare([frozen], _idle("genuine"), "frozen", hop_s=HOP)
    assert result.auc >= 0.95, result.table()


@needs_data
def test_a_sine_driven_clip_is_told_from_real_people() -> None:
    takes = [
        take_from_clip(sine_idle(30.0, amplitude_deg=2.0 + s, freq=0.2 + 0.05 * s), f"sine {s}", f"seed {s}")
        for s in range(2)
    ]
    result = compare(takes, _idle("genuine"), "sine", hop_s=HOP)
    assert result.auc >= 0.95, result.table()
    assert result.top and result.top[0].words


@needs_data
def test_acted_and_genuine_idle_of_the_same_people_cannot_be_told_apart() -> None:
    result = compare(_idle("acted"), _idle("genuine"), "acted vs genuine", hop_s=HOP)
    assert result.auc <= 0.7, result.table()


@needs_data
def test_realism_cli_prints_json_with_the_auc_on_top(capsys: pytest.CaptureFixture[str]) -> None:
    from posers_blender.cli import main

    refs = [str(p) for p in IDLE[:4]]
    code = main(["realism", "idle-breathe", "--seconds", "8", "--seeds", "2", "--json", "--reference", *refs])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and 0.0 <= out["auc"] <= 1.0 and out["top_features"]
    args = ["realism", "idle-breathe", "--seconds", "8", "--seeds", "2", "--json", "--texture", "--reference", *refs]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert any("posture left out" in n for n in out["notes"])
    assert not any(f["key"].startswith("pose.") for f in out["top_features"])


def test_realism_cli_needs_a_reference(capsys: pytest.CaptureFixture[str]) -> None:
    from posers_blender.cli import main

    assert main(["realism", "idle-breathe"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("posers: error:") and "--reference" in err[0]


@needs_data
def test_pelvis_tilt_the_reference_cannot_show_is_left_out() -> None:
    """ReActIdle's pelvis only turns about the vertical: its hip line and spine joint never move against the
    hips, so those features would tell the rig apart, not the person. A generated take with a tilting pelvis is
    then compared without them, and the report says so; against a reference whose pelvis tilts they stay."""
    from posers_blender.quality.realism.features import PELVIS_TILT_FEATURES

    reference = _idle("genuine")
    assert reference and not any(t.pelvis_known for t in reference)
    tilted = set_rotation(_standing(), "hips", np.array([np.cos(0.02), 0.0, 0.0, np.sin(0.02)]))
    take = take_from_clip(tilted, "tilted", "tilted")
    assert take.pelvis_known
    result = compare([take], reference, "tilted", hop_s=HOP, top=1000)
    assert any("pelvis tilt" in n for n in result.notes)
    assert not {g.key for g in result.top} & PELVIS_TILT_FEATURES
    walked = file_take(DATA / "cmu_02_01_walk.bvh")
    assert walked.pelvis_known
    both = compare([take], [walked], "tilted", hop_s=HOP, top=1000)
    assert {g.key for g in both.top} >= PELVIS_TILT_FEATURES


def _hands_held_up(t: Take) -> Take:
    """A take with both wrists held 25 cm higher and 15 cm further forward in the hips' heading frame: the same
    movement in a pose the people never take."""
    from posers_blender.quality.realism.windows import CORE_JOINTS

    j = {name: i for i, name in enumerate(CORE_JOINTS)}
    p = t.pos.copy()
    side = p[:, j["leftUpperLeg"]] - p[:, j["rightUpperLeg"]]
    side[:, 1] = 0.0
    side /= np.linalg.norm(side, axis=1, keepdims=True)
    fwd = np.cross(side, np.array([0.0, 1.0, 0.0]))
    for wrist in ("leftHand", "rightHand"):
        p[:, j[wrist]] += np.array([0.0, 0.25, 0.0]) + 0.15 * fwd
    return replace(t, pos=p)


@needs_data
def test_texture_leaves_a_designed_pose_out() -> None:
    # the people's acted idle with the hands held up is told from their genuine idle by the pose alone
    posed = [_hands_held_up(t) for t in _idle("acted")]
    full = compare(posed, _idle("genuine"), "posed", hop_s=HOP)
    texture = compare(posed, _idle("genuine"), "posed", hop_s=HOP, texture=True)
    assert full.auc >= 0.95, full.table()
    assert texture.auc <= 0.7, texture.table()
    assert any("posture left out" in n for n in texture.notes)
