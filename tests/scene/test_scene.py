"""Scores: the format and its schema, the graph's errors, seams, planted feet, determinism, the docs' examples."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from posers_blender import humanoid as hm
from posers_blender.cli import main
from posers_blender.quality import evaluate
from posers_blender.scene import ScoreError, compose, load_score, parse_score
from posers_blender.scene.schema import score_schema

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "docs" / "examples").glob("*.json"))
FIGURE = {
    "version": 1,
    "fps": 30,
    "seed": 1,
    "items": [
        {"name": "wait", "motion": "idle-breathe", "seconds": 4},
        {"name": "walk", "motion": "basic-walk", "to": [1, 4]},
        {"name": "smoke", "motion": "smoking-cigarette", "seconds": 20},
        {"name": "think", "motion": "contemplative-lean", "seconds": 8},
    ],
}


@pytest.fixture(scope="module")
def figure():
    return compose(parse_score(FIGURE))


def score_with(*items: dict) -> dict:
    return {"version": 1, "fps": 30, "seed": 0, "items": list(items)}


# -- the format and its schema --------------------------------------------------------------------------
def test_schema_lists_composable_motions_with_their_params_and_hides_walk_targets():
    s = score_schema()
    item = s["properties"]["items"]["items"]
    assert "basic-walk" in item["properties"]["motion"]["enum"]
    assert not any(m.startswith("baseline") for m in item["properties"]["motion"]["enum"])
    walk = next(r for r in item["allOf"] if r["if"]["properties"]["motion"]["const"] == "basic-walk")
    assert "speed" in walk["then"]["properties"]["params"]["properties"]
    assert "target_x" not in walk["then"]["properties"]["params"]["properties"]
    assert walk["then"]["required"] == ["to"]


def test_every_example_validates_against_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    for path in EXAMPLES:
        jsonschema.validate(json.loads(path.read_text()), score_schema())


def test_cli_prints_the_schema(capsys):
    assert main(["compose", "--json-schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Posers score"


# -- the graph's errors: one line naming the item and the fix ------------------------------------------
@pytest.mark.parametrize(
    ("items", "words"),
    [
        ([{"motion": "idel-breathe", "seconds": 2}], ["item 1", "unknown motion", "idle-breathe"]),
        ([{"motion": "idle-breathe", "seconds": 2, "params": {"rate": 99}}], ["item 1", "rate", "10 to 20"]),
        (
            [{"motion": "idle-breathe", "seconds": 2}, {"motion": "basic-walk", "to": [0.1, 0.2]}],
            ["item 2", "0.22 m", "at least 0.5 m"],
        ),
        (
            [{"motion": "idle-breathe", "seconds": 2}, {"motion": "baseline-walk", "seconds": 2}],
            ["item 2", "cannot follow item 1", "baseline"],
        ),
        ([{"motion": "idle-breathe", "seconds": 2, "to": [1, 1]}], ["item 1", "'to' is for walks"]),
        ([{"motion": "basic-walk", "to": [0, 3], "params": {"path": "arc"}}], ["item 1", "'path'", '"to"']),
        ([{"motion": "idle-breathe"}], ["item 1", "'seconds'"]),
        ([{"motion": "basic-walk", "to": [0, 3], "seconds": 1}], ["item 1", "takes", "raise 'seconds'"]),
        (
            [{"motion": "idle-breathe", "seconds": 3, "until": {"marker": "puff"}}],
            ["item 1", "'puff'", "its markers"],
        ),
    ],
)
def test_an_impossible_score_is_one_error_naming_the_item_and_the_fix(items, words):
    with pytest.raises(ScoreError) as err:
        compose(parse_score(score_with(*items)))
    text = str(err.value)
    assert "\n" not in text
    for w in words:
        assert w in text, text


def test_a_bad_score_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(score_with({"motion": "idle-breathe", "seconds": 2}, {"motion": "basic-walk", "to": [0, 0]}))
    )
    out = tmp_path / "scene.bvh"
    assert main(["compose", str(bad), "--out", str(out)]) == 2
    assert "item 2" in capsys.readouterr().err
    assert not out.exists()


# -- the figure scene: idle -> walk to (1, 4) -> smoking -> contemplative lean --------------------------
def test_pelvis_ends_within_0_3_m_of_the_walk_target(figure):
    seg = figure.segments[1]
    end = figure.clip.hips_pos[seg.end - 1]
    assert np.hypot(end[0] - 1.0, end[2] - 4.0) < 0.3


def test_no_joint_moves_more_than_0_3_m_and_the_pelvis_no_more_than_0_08_m_per_frame(figure):
    _, gpos = figure.clip.fk()
    step = np.linalg.norm(np.diff(gpos, axis=0), axis=2)
    assert step.max() < 0.3
    assert step[:, 0].max() < 0.08


def test_root_position_and_heading_are_continuous_through_every_seam(figure):
    clip = figure.clip
    fwd = np.stack([np.zeros(clip.n_frames)] * 3, axis=1)
    from posers_blender.engine import quat

    fwd = quat.rotate(clip.lrot[:, 0], np.array([0.0, 0.0, 1.0]))
    for seg in figure.segments[1:]:
        k = seg.start
        before = np.linalg.norm(clip.hips_pos[k - 1] - clip.hips_pos[k - 2])
        across = np.linalg.norm(clip.hips_pos[k] - clip.hips_pos[k - 1])
        assert across < before + 0.005, seg.name
        assert np.degrees(np.arccos(np.clip(np.dot(fwd[k], fwd[k - 1]), -1, 1))) < 2.0, seg.name


def test_planted_feet_stay_planted_across_seams(figure):
    _, gpos = figure.clip.fk()
    for seg in figure.segments[1:]:
        k = seg.start
        for side in ("left", "right"):
            a = gpos[k - 3 : k + 3, hm.INDEX[f"{side}Foot"]]
            if np.ptp(a[:3, 1]) < 1e-4:  # planted before the seam
                assert np.linalg.norm(a[3] - a[2]) < 0.002, (seg.name, side)


def test_every_hard_gate_passes_on_the_whole_scene(figure):
    report = evaluate(figure.clip, None, standing=False)
    assert report.gates_passed, report.table()


def test_same_score_and_seed_give_the_same_output(figure):
    # Equal to 1e-12, not always to the last bit: composed again later in the same process (after other tests),
    # the smoking segment's right arm has come out up to 5e-16 apart in a few frames; the source inside the
    # reach solve is not found yet (BLAS products and numpy's transcendental loops were ruled out or written out).
    again = compose(parse_score(FIGURE)).clip
    assert np.allclose(again.lrot, figure.clip.lrot, rtol=0.0, atol=1e-12)
    assert np.allclose(again.hips_pos, figure.clip.hips_pos, rtol=0.0, atol=1e-12)
    other = compose(parse_score(dict(FIGURE, seed=2))).clip
    assert not np.array_equal(other.lrot[:100], figure.clip.lrot[:100])


def test_each_item_is_one_segment_in_order(figure):
    assert [s.name for s in figure.segments] == ["wait", "walk", "smoke", "think"]
    assert [s.enter for s in figure.segments] == ["start", "step-off", "stop", "handover"]
    assert figure.segments[0].end == 120 and figure.segments[2].end - figure.segments[2].start == 600
    assert figure.segment_clip(2).n_frames == 600


# -- the docs' examples ---------------------------------------------------------------------------------
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_docs_example_composes_and_passes_the_hard_gates(path, tmp_path):
    out = tmp_path / "scene.npz"
    assert main(["compose", str(path), "--out", str(out)]) == 0
    scene = compose(load_score(path))
    assert len(scene.segments) >= len(json.loads(path.read_text())["items"])
    report = evaluate(scene.clip, None, standing=False)
    assert report.gates_passed, report.table()
    assert_issue_figures(scene.clip)


def test_docs_score_md_shows_every_example():
    text = (REPO / "docs" / "score.md").read_text()
    for path in EXAMPLES:
        assert f"examples/{path.name}" in text


# -- turns: a walk never makes a U-turn itself ----------------------------------------------------------
def issue_figures(clip) -> dict[str, float]:
    """The issue's own figures: largest joint and pelvis step per frame (m, at the clip's 30 fps), worst slide (mm)."""
    from posers_blender.quality.contacts import foot_slide_max

    _, gpos = clip.fk()
    step = np.linalg.norm(np.diff(gpos, axis=0), axis=2)
    return {"joint": float(step.max()), "pelvis": float(step[:, 0].max()), "slide_mm": foot_slide_max(clip)}


def assert_issue_figures(clip) -> None:
    f = issue_figures(clip)
    assert f["joint"] < 0.3 and f["pelvis"] < 0.08 and f["slide_mm"] < 5.0, f


@pytest.mark.parametrize(
    "items",
    [
        # the first pass's failures: a target straight behind, and one behind after a walk
        [{"motion": "idle-breathe", "seconds": 2}, {"motion": "basic-walk", "to": [-0.0002, -2.93]}],
        [{"motion": "basic-walk", "to": [0, 3]}, {"motion": "basic-walk", "to": [-0.47, -3.13]}],
        [{"motion": "basic-walk", "to": [0.3, -3]}, {"motion": "idle-breathe", "seconds": 2}],
    ],
    ids=["stand-then-behind", "walk-then-behind", "first-walk-behind"],
)
def test_a_walk_to_a_target_behind_turns_on_the_spot_first(items):
    scene = compose(parse_score(score_with(*items)))
    turns = [s for s in scene.segments if s.kind == "hold"]
    assert len(turns) == 1 and turns[0].name.endswith("(turn)")
    walk = scene.segments[scene.segments.index(turns[0]) + 1]
    assert walk.kind == "walk" and walk.enter == "step-off"
    to = scene.score.items[walk.item].to
    end = scene.clip.hips_pos[walk.end - 1]
    assert np.hypot(end[0] - to[0], end[2] - to[1]) < 0.3
    assert_issue_figures(scene.clip)
    report = evaluate(scene.clip, None, standing=False)
    assert report.gates_passed, report.table()


def test_a_half_turn_into_a_standing_motion_keeps_the_ankles_in_range():
    # the first pass pushed the lifted foot's ankle past its dorsiflexion limit (a flat foot under a bent knee)
    scene = compose(
        parse_score(
            score_with(
                {"motion": "idle-breathe", "seconds": 2},
                {"motion": "basic-walk", "to": [0, 3]},
                {"motion": "smoking-cigarette", "seconds": 6, "face": 180},
            )
        )
    )
    report = evaluate(scene.clip, None, standing=False)
    assert report.gates_passed, report.table()
    assert_issue_figures(scene.clip)


# -- arms handed over along a reach ---------------------------------------------------------------------
def hand_track(clip, side: str, a: int, b: int) -> np.ndarray:
    _, gpos = clip.fk()
    return gpos[a:b, hm.INDEX[f"{side}Hand"]]


def chest_reaches(clip, side: str, a: int, b: int):
    """The hand's reaches in frames ``[a, b)``, measured in the chest's frame (the quality suite's figures)."""
    from posers_blender.quality.contacts import track
    from posers_blender.quality.kinematics import kinematics
    from posers_blender.quality.smoothness import analyse_reaches, hand_effector, trunk_frame

    name = hand_effector(clip, side)
    local = trunk_frame(clip, track(kinematics(clip), name))
    return analyse_reaches(local[a:b], clip.fps, name)


@pytest.fixture(scope="module")
def smoke_then_lean():
    return compose(
        parse_score(
            score_with(
                {"motion": "smoking-cigarette", "until": {"marker": "lower", "after": 2.5}},
                {"motion": "contemplative-lean", "seconds": 5},
            )
        )
    )


def test_smoking_into_the_lean_carries_both_hands_by_a_reach_with_one_speed_peak(smoke_then_lean):
    seg = smoke_then_lean.segments[1]
    clip = smoke_then_lean.clip
    assert set(seg.hands) == {"left", "right"}  # the cigarette hand from its hold to the chin, the other across
    for side in seg.hands:
        (r,) = chest_reaches(clip, side, seg.start - 5, seg.start + 45)  # transport ~1 s and its settle
        assert r.units == 1, (side, r)  # facts §4: one movement unit per phase
        assert 0.4 < r.peak_speed < 1.1, (side, r)  # facts §4: 0.63-0.72 m/s in a drinking transport
        assert 0.4 < r.peak_fraction < 0.6, (side, r)
        assert r.overshoot_mm <= 10.0 and r.settle_ms <= 350.0, (side, r)  # facts §4: 2-10 mm, ~0.3 s
    assert_issue_figures(clip)


def test_a_hand_near_the_chin_goes_to_the_lean_s_chin_without_dropping_to_the_waist(figure):
    # walk_and_smoke's smoker ends with the hand near the chin. The first pass's lean entered from hanging arms:
    # the hand fell 39 cm (1.36 -> 0.97 m) and came back up. Now the lean starts in its pose and the hand stays.
    seg = figure.segments[3]
    assert seg.hands == ("left",)  # only the other hand travels (across the body, under the elbow)
    p = hand_track(figure.clip, "right", seg.start, seg.start + 45)
    assert p[:, 1].min() > p[0, 1] - 0.08
    assert figure.segments[2].hands == ("right",)  # the cigarette hand comes up from the walk to its hold


# -- anticipation ---------------------------------------------------------------------------------------
def test_the_head_turns_toward_the_walk_target_before_the_body_moves(figure):
    from posers_blender.engine import quat

    seg = figure.segments[1]  # the walk to (1, 4): about 14° to the left of the idle stance's heading
    grot, _ = figure.clip.fk()
    ahead = np.array([0.0, 0.0, 1.0])

    def yaw(j: int, i: int) -> float:
        f = quat.rotate(grot[i, j], ahead)
        return float(np.degrees(np.arctan2(f[0], f[2])))

    a, k = seg.start - 12, seg.start
    head, hips = hm.INDEX["head"], hm.INDEX["hips"]
    assert yaw(head, k) - yaw(head, a) > 4.0  # the head is on its way toward the target at the seam
    assert abs(yaw(hips, k) - yaw(hips, a)) < 1.0  # the body has not turned yet
    # and the head started at most ~0.3 s before it: 9 frames before the seam it is within 2° of where it was
    # (idle-breathe's fitted head micro-motion alone wanders about 1-1.5° in 0.1 s; the anticipation turn is > 4°)
    assert abs(yaw(head, k - 9) - yaw(head, a)) < 2.0


# -- turns on the spot that look alive ------------------------------------------------------------------
def yaw_deg(q: np.ndarray) -> np.ndarray:
    from posers_blender.engine import quat

    f = quat.rotate(q, np.array([0.0, 0.0, 1.0]))
    return np.degrees(np.unwrap(np.arctan2(f[..., 0], f[..., 2])))


@pytest.fixture(scope="module")
def half_turns():
    """A 180° turn after a walk that ends the score (a hold, no standing motion around it) and one into a stance."""
    scenes = {
        "hold": compose(parse_score(score_with({"motion": "basic-walk", "to": [0, 3], "face": 180}))),
        "stand": compose(
            parse_score(
                score_with(
                    {"motion": "idle-breathe", "seconds": 2},
                    {"motion": "smoking-cigarette", "seconds": 5, "face": 180},
                )
            )
        ),
    }
    return {k: (s, s.segments[-1]) for k, s in scenes.items()}


@pytest.mark.parametrize("case", ["hold", "stand"])
def test_no_bone_is_frozen_during_a_turn_on_the_spot(half_turns, case):
    # the second pass held the last pose for the 2.7 s of a half turn: chest and spine exactly still, no blink
    from posers_blender.engine import quat

    scene, seg = half_turns[case]
    c, second = scene.clip, int(scene.clip.fps)
    lrot = c.lrot[seg.start : seg.end]
    upper = [hm.INDEX[b] for b in ("spine", "chest", "upperChest", "neck", "head")]
    speed = np.degrees(np.linalg.norm(quat.to_scaled_axis(quat.mul(lrot[1:], quat.conj(lrot[:-1]))), axis=2)) * c.fps
    for i in range(0, len(speed) - second):
        window = speed[i : i + second]
        assert window[:, hm.INDEX["chest"]].max() > 0.0 and window[:, hm.INDEX["neck"]].max() > 0.0, (case, i)
        assert window[:, upper].max() > 0.05, (case, i)
    assert np.ptp(c.expressions["blink"][seg.start : seg.end]) > 0.5  # she blinks while she turns


@pytest.mark.parametrize("case", ["hold", "stand"])
def test_the_hips_turn_at_most_200_deg_per_s_in_a_half_turn(half_turns, case):
    # people turn the pelvis at most a few hundred °/s in a stepping turn; the second pass swung it ~32° in 0.1 s
    # (370°/s) with each foot's travel; now an equal share per step on a minimum-jerk profile (about 155°/s)
    scene, seg = half_turns[case]
    grot, _ = scene.clip.fk()
    hips = yaw_deg(grot[seg.start : seg.end, hm.INDEX["hips"]])
    assert abs(abs(hips[-1] - hips[0]) - 180.0) < 15.0
    assert np.abs(np.diff(hips)).max() * scene.clip.fps < 200.0


@pytest.mark.parametrize("case", ["hold", "stand"])
def test_the_pelvis_moves_over_the_support_foot_before_each_lift(half_turns, case):
    scene, seg = half_turns[case]
    _, gpos = scene.clip.fk()
    ank = gpos[seg.start : seg.end][:, [hm.INDEX["leftFoot"], hm.INDEX["rightFoot"]]]
    pelvis = gpos[seg.start : seg.end, hm.INDEX["hips"]][:, [0, 2]]
    lifts = 0
    for k in range(2):
        up = ank[:, k, 1] > ank[:, k, 1].min() + 0.01
        for i in np.nonzero(up[1:] & ~up[:-1])[0] + 1:
            support, mid = ank[i, 1 - k, [0, 2]], ank[i][:, [0, 2]].mean(axis=0)
            side = (support - mid) / np.linalg.norm(support - mid)
            before = max(i - 9, 0)  # 0.3 s earlier
            assert np.dot(pelvis[i] - mid, side) > 0.01, (case, k, i)  # on the support side of the stance
            assert np.dot(pelvis[i] - pelvis[before], side) > 0.015, (case, k, i)  # and it moved there
            lifts += 1
    assert lifts >= 4  # a half turn is four steps


@pytest.mark.parametrize("case", ["hold", "stand"])
def test_a_half_turn_keeps_the_issue_figures_and_the_gates_and_is_deterministic(half_turns, case):
    scene, _ = half_turns[case]
    assert_issue_figures(scene.clip)  # planted feet slide < 5 mm
    report = evaluate(scene.clip, None, standing=False)
    assert report.gates_passed, report.table()
    again = compose(scene.score).clip
    # to 1e-12 (see test_same_score_and_seed_give_the_same_output)
    assert np.allclose(again.lrot, scene.clip.lrot, rtol=0.0, atol=1e-12)
    assert np.allclose(again.hips_pos, scene.clip.hips_pos, rtol=0.0, atol=1e-12)
    assert np.array_equal(again.expressions["blink"], scene.clip.expressions["blink"])
