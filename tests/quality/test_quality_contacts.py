"""Contacts on synthetic clips with known answers (metrics §2 strict slide, penetration, floating)."""

from __future__ import annotations

import numpy as np
import pytest

from posers_blender.quality import contacts
from posers_blender.quality.synthetic import move_hips, rest_clip


def test_planted_feet_slide_zero_mm_and_make_one_contact_each():
    clip = rest_clip(seconds=3.0)
    plants = contacts.foot_contacts(clip)
    assert sorted(c.foot for c in plants) == ["left", "right"]
    assert all(c.start == 0 and c.end == clip.n_frames and not c.lifts for c in plants)
    assert contacts.foot_slide_max(clip) == pytest.approx(0.0, abs=1e-6)
    assert contacts.penetration_max(clip) == pytest.approx(0.0, abs=1e-6)
    assert contacts.floating_max(clip) == pytest.approx(0.0, abs=1e-6)


def test_foot_sliding_30_mm_measures_30_mm():
    clip = rest_clip(seconds=3.0)
    n = clip.n_frames
    # the whole body (both feet) slides 30 mm along +X at 10 mm/s: slow enough to stay "in contact"
    off = np.zeros((n, 3))
    off[:, 0] = np.linspace(0.0, 0.030, n)
    slid = move_hips(clip, off)
    assert contacts.foot_slide_max(slid) == pytest.approx(30.0, abs=0.5)


def test_slide_ignores_last_10_percent_roll_off_when_the_foot_lifts():
    clip = rest_clip(seconds=2.0, fps=100.0)
    n = clip.n_frames
    off = np.zeros((n, 3))
    # 1 s planted, then 0.1 s of 20 mm drift (the roll-off), then the body lifts 10 cm
    off[100:110, 2] = np.linspace(0.0, 0.020, 10)
    off[110:, 2] = 0.020
    off[110:, 1] = 0.10
    plants = contacts.foot_contacts(move_hips(clip, off))
    assert plants and all(c.lifts for c in plants)
    # contact covers frames 0..109 (110 frames); the last 11 are excluded: drift up to frame 98 only
    assert max(c.slide_mm for c in plants) < 1.0


def test_feet_8_mm_below_the_floor_penetrate_8_mm():
    clip = move_hips(rest_clip(seconds=1.0), [0.0, -0.008, 0.0])
    assert contacts.penetration_max(clip) == pytest.approx(8.0, abs=1e-6)


def test_body_10_mm_above_the_floor_floats_10_mm():
    clip = move_hips(rest_clip(seconds=1.0), [0.0, 0.010, 0.0])
    assert contacts.floating_max(clip) == pytest.approx(10.0, abs=1e-6)


def test_hand_to_lips_distance_in_mm():
    clip = rest_clip(seconds=1.0)
    d = contacts.point_distance(clip, "lips", "chin")
    sk = clip.skeleton
    expect = 1000.0 * np.linalg.norm(sk.landmark_rest("lips") - sk.landmark_rest("chin"))
    assert np.allclose(d, expect)
    assert np.all(contacts.hand_landmark_distance(clip, "left", "lips") > 500.0)  # T-pose: hands far away


def test_feet_skating_fast_on_the_floor_are_measured_as_skate_not_hidden():
    clip = rest_clip(seconds=2.0)
    off = np.zeros((clip.n_frames, 3))
    off[30:34, 0] = np.linspace(0.0, 0.030, 5)[1:]  # 30 mm in 4 frames = 0.22 m/s, then held
    off[34:, 0] = 0.030
    skated = move_hips(clip, off)
    sk = contacts.foot_skates(skated)
    assert max(s.path_mm for s in sk) == pytest.approx(30.0, abs=0.01)
    assert contacts.foot_skates(clip) == []


@pytest.mark.parametrize("side", ["left", "right"])
def test_fist_knuckles_are_a_hand_point_that_follows_the_finger_curl(side):
    # the lean's fist rests on the chin with the back of the curled index's middle joint (contact_local
    # 'knuckles'); the suite's hand points must include that same point, wherever the fingers curl
    from posers_blender.engine.skeleton import default_avatar
    from posers_blender.engine.standing import contact_local

    sk = default_avatar()
    clip = rest_clip(1.0)
    assert f"{side}Knuckles" in contacts.hand_points(clip, side)
    for curl in (0.0, 80.0):
        expected = contact_local(sk, side, "knuckles", curl)
        # the same curl posed by contact_local, measured through the landmark in the hand's frame
        from posers_blender.engine import hand, quat
        from posers_blender.engine.program import Tracks

        tr = Tracks(sk, 1)
        hand.curl_fingers(tr, side, np.full(1, curl), np.full(1, curl))
        grot, gpos = tr.fk()
        p = sk.landmark_positions(f"{side}Knuckles", grot, gpos)[0]
        jh = sk.index(f"{side}Hand")
        got = quat.rotate(quat.conj(grot[0, jh]), p - gpos[0, jh])
        assert np.allclose(got, expected, atol=1e-9)


def test_a_fist_under_the_chin_passes_the_1_cm_chin_contact_band():
    from posers_blender.engine import sample
    from posers_blender.quality import evaluate
    from posers_blender.registry import get

    program = get("contemplative-lean")
    clip = sample(program, {"gesture_weight": 0.0}, seed=1, fps=15, duration=40)
    touches = [t for t, n in clip.markers if n == "touch:chin"]
    assert len(touches) >= 2
    line = evaluate(clip, program.meta, checks=("hand-contact",)).get("hand_contact_distance[chin]")
    assert line.bound == "<= 10 mm" and line.passed, line
    # while the fist holds the chin, the knuckles are the hand point that touches it
    i = np.round(np.asarray(touches) * clip.fps).astype(int)
    knuckles = contacts.point_distance(clip, "rightKnuckles", "chin")[i]
    assert np.all(knuckles < 10.0), knuckles
    assert np.allclose(contacts.hand_landmark_distance(clip, "right", "chin")[i], knuckles)
