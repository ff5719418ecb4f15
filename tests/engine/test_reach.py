"""The reach primitive: landing, speed profile, curvature, overshoot, proximal-to-distal order, grips."""

import numpy as np
import pytest

from posers_blender.engine import hand, quat, reach
from posers_blender.engine.curves import minimum_jerk
from posers_blender.engine.program import Tracks
from posers_blender.engine.skeleton import default_avatar
from posers_blender.quality import handmouth as hmq
from posers_blender.quality import smoothness

FPS = 120.0


def _scenario(sk, side="right", grip="cigarette", fps=FPS):
    """Hand from a waist-level hold to the lips and back, on a body with arms hanging and an APA shift."""
    s = 1.0 if side == "left" else -1.0
    t = np.arange(int(5.0 * fps)) / fps
    tr = Tracks(sk, len(t))
    for sd, ss in (("left", 1.0), ("right", -1.0)):
        tr.set(f"{sd}UpperArm", quat.from_axis_angle([0, 0, 1], np.radians(-ss * 82)))
    lms = reach.cigarette_landmarks(sk, side, grip)
    sk.landmarks.update(lms)
    eff = lms["cigaretteFilter"].offset
    plan = reach.ReachPlan(
        side,
        "hold",
        (reach.Move(1.0, 0.9, "lips", bulge=(s, 0, 1)), reach.Move(3.2, 0.7, "hold", peak_at=0.5, bulge=(s, 0, 1))),
        effector=eff,
    )
    grot, gpos = tr.fk()
    hold = gpos[:, sk.index("chest")] + np.array([s * 0.1, 0.0, 0.3]) * sk.height / 1.65
    wps = {
        "hold": reach.Waypoint(
            hold, reach.hand_rotation([s * 0.2, 0.1, 1.0], [-s, 0.5, 0.0], side), reach.elbow_pole(side)
        )
    }
    apa = reach.anticipation(
        t, plan, {**wps, "lips": reach.Waypoint(sk.landmark_positions("lips", grot, gpos), quat.IDENTITY, [0, -1, 0])}
    )
    tr.hips_offset += apa
    grot, gpos = tr.fk()
    lips = sk.landmark_positions("lips", grot, gpos)
    rh = grot[:, sk.index("head")]
    rot_lips = reach.face_hand_rotation(rh, side)
    wps["lips"] = reach.Waypoint(lips, rot_lips, reach.elbow_pole(side, out=1.0, back=0.0))
    res = reach.solve_reach(tr, plan, wps, t)
    hand.apply_grip(tr, side, grip)
    grot, gpos = tr.fk()
    return t, tr, plan, res, lips, apa, grot, gpos


@pytest.fixture(scope="module")
def scene():
    sk = default_avatar()
    return (sk, *_scenario(sk))


@pytest.mark.parametrize("peak_at", [0.35, 0.43, 0.5, 0.6])
def test_speed_profile_has_one_peak_at_the_requested_fraction(peak_at):
    u = np.linspace(0, 1, 4001)
    x = reach.speed_profile(u, peak_at)
    v = np.gradient(x, u)
    assert x[0] == pytest.approx(0) and x[-1] == pytest.approx(1)
    assert np.all(np.diff(x) >= -1e-12)
    assert u[np.argmax(v)] == pytest.approx(peak_at, abs=0.005)
    assert len(smoothness.movement_units(v, 4000, min_rise=0.01)) == 1
    assert v[0] == pytest.approx(0, abs=1e-3) and v[-1] == pytest.approx(0, abs=1e-3)


def test_speed_profile_at_half_is_minimum_jerk():
    u = np.linspace(0, 1, 101)
    np.testing.assert_allclose(reach.speed_profile(u, 0.5), minimum_jerk(u))


def test_effector_lands_on_the_moving_lips_within_1_mm_once_settled(scene):
    sk, t, tr, plan, res, lips, *_ = scene
    hold = (t > 1.9 + 0.3) & (t < 3.2)
    d = np.linalg.norm(res.achieved - lips, axis=1)
    assert d[hold].max() < 0.001
    assert res.reached.all()


def test_each_move_has_one_speed_peak_between_35_and_60_percent(scene):
    sk, t, tr, plan, res, *_ = scene
    v = hmq.point_speed(res.achieved, FPS)
    for m in plan.moves:
        w = (t >= m.start) & (t <= m.end)
        peaks = smoothness.movement_units(v[w], FPS)
        assert len(peaks) == 1, (m.to, len(peaks))
        rel = (t[w][peaks[0]] - m.start) / m.duration
        assert 0.35 <= rel <= 0.60, (m.to, rel)
    w = (t >= plan.moves[0].start) & (t <= plan.moves[0].end)
    rel_up = (t[w][np.argmax(v[w])] - plan.moves[0].start) / plan.moves[0].duration
    assert 0.38 <= rel_up <= 0.5  # facts §4: 0.40-0.45 T toward the face


def test_paths_are_curved_not_straight(scene):
    sk, t, tr, plan, res, *_ = scene
    for m in plan.moves:
        w = (t >= m.start) & (t <= m.end)
        assert hmq.path_deviation(res.achieved[w]) > 0.04


def test_arrival_overshoots_2_to_10_mm_and_settles_within_300_ms(scene):
    sk, t, tr, plan, res, lips, *_ = scene
    m = plan.moves[0]
    over, settle = hmq.overshoot_and_settle(res.achieved, lips, t, m.end, tol=0.0005, t_until=plan.moves[1].start)
    assert 0.002 <= over <= 0.010
    assert settle <= 0.3


def test_shoulder_starts_before_elbow_before_wrist_and_the_pelvis_leads(scene):
    sk, t, tr, plan, res, lips, apa, *_ = scene
    for m in plan.moves:
        on = {}
        for bone in ("rightUpperArm", "rightLowerArm", "rightHand"):
            sp = hmq.rotation_speed(tr.lrot[:, sk.index(bone)], FPS)
            on[bone] = hmq.onset_time(sp, t, m.start - 0.2, m.end)
        lag1 = on["rightLowerArm"] - on["rightUpperArm"]
        lag2 = on["rightHand"] - on["rightLowerArm"]
        assert 0.0 < lag1 <= 0.1 and 0.0 < lag2 <= 0.1, (m.to, on)
        hand_on = hmq.onset_time(hmq.point_speed(res.achieved, FPS), t, m.start - 0.2, m.end)
        pelvis_on = hmq.onset_time(hmq.point_speed(apa, FPS), t, m.start - 0.3, m.end)
        assert 0.0 < hand_on - pelvis_on <= 0.1


def test_elbow_stays_below_the_hand_and_out(scene):
    sk, t, tr, plan, res, lips, apa, grot, gpos = scene
    elbow = gpos[:, sk.index("rightLowerArm")]
    wrist = gpos[:, sk.index("rightHand")]
    sh = gpos[:, sk.index("rightUpperArm")]
    at_lips = (t > 2.2) & (t < 3.2)
    assert np.all(elbow[at_lips, 1] < wrist[at_lips, 1] - 0.1)
    assert np.all(elbow[:, 0] < sh[:, 0] + 0.03)  # right arm: elbow never far inside the shoulder line


def test_no_finger_or_hand_point_enters_the_head(scene):
    sk, t, tr, plan, res, lips, apa, grot, gpos = scene
    fingers = ("Index", "Middle", "Ring", "Little", "Thumb")
    pts = [gpos[:, sk.index("rightHand")]] + [gpos[:, sk.index(f"right{f}Distal")] for f in fingers]
    pts += [sk.landmark_positions(f"right{f}Tip", grot, gpos) for f in fingers]
    depth = hmq.head_penetration(sk, grot, gpos, np.stack(pts, axis=1))
    assert depth.max() <= 0.0


@pytest.mark.parametrize("height", [1.5, 1.9])
@pytest.mark.parametrize("side", ["left", "right"])
def test_reach_lands_on_other_heights_and_either_hand(height, side):
    sk = default_avatar(height)
    t, tr, plan, res, lips, *_ = _scenario(sk, side=side, fps=30.0)
    hold = (t > 2.3) & (t < 3.1)
    assert np.linalg.norm(res.achieved - lips, axis=1)[hold].max() < 0.002


def test_cigarette_filter_sits_on_the_palm_side_between_index_and_middle_pip():
    sk = default_avatar()
    for side in ("left", "right"):
        lm = reach.cigarette_landmarks(sk, side)
        f = np.asarray(lm["cigaretteFilter"].offset)
        e = np.asarray(lm["cigaretteEmber"].offset)
        assert f[1] < 0 < e[1]  # filter below the palm (palm faces -Y at rest), ember out of the back
        assert np.linalg.norm(f - e) == pytest.approx(0.084, rel=0.05)
        rest = sk.rest_positions()
        hand = rest[sk.index(f"{side}Hand")]
        pip = 0.5 * (rest[sk.index(f"{side}IndexIntermediate")] + rest[sk.index(f"{side}MiddleIntermediate")]) - hand
        assert abs(f[0] - pip[0]) < 0.02 and abs(f[2] - pip[2]) < 0.02


def test_grip_weight_closes_before_arrival():
    t = np.arange(0, 3, 1 / 60)
    plan = reach.ReachPlan("right", "a", (reach.Move(1.0, 0.9, "b", grip=1.0),))
    w = reach.grip_weight(t, plan, initial=0.0, lead=0.25)
    assert w[t < 1.6].max() == 0.0
    assert w[t >= 1.9 - 1e-9].min() == pytest.approx(1.0)
    assert 0 < w[np.searchsorted(t, 1.75)] < 1


def test_eyes_reach_the_target_before_the_hand():
    t = np.arange(0, 3, 1 / 120)
    plan = reach.ReachPlan("right", "a", (reach.Move(1.0, 0.9, "b"),))
    eyes = reach.approach_weight(t, plan, ["b"], delay=0.18, duration=0.08)
    hand = reach.approach_weight(t, plan, ["b"])
    t_eyes = t[np.argmax(eyes > 0.99)]
    t_hand = t[np.argmax(hand > 0.99)]
    assert t_eyes < t_hand - 0.3


def test_waypoints_solved_only_around_their_moves_match_a_solve_on_every_frame(monkeypatch):
    """Each waypoint's arrival is solved only from the moves to it until the moves away from it have arrived
    (linear cost in the clip's length); the arm is the same, to float noise, as with every frame solved."""
    from posers_blender.engine.reach import solver

    sk = default_avatar()
    t, tr, plan, res, *_ = _scenario(sk)
    frames = solver.arrival_frames(plan, t)
    assert frames["hold"][0] == 0 and len(frames["hold"]) < len(t) and frames["lips"][0] == int(1.0 * FPS)
    everywhere = {name: np.arange(len(t)) for name in frames}
    monkeypatch.setattr(solver, "arrival_frames", lambda plan, t: everywhere)
    _, tr_full, _, res_full, *_ = _scenario(sk)
    np.testing.assert_allclose(tr.lrot, tr_full.lrot, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.achieved, res_full.achieved, rtol=0, atol=1e-12)
